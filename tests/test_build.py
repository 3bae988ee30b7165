"""The build pipeline's cache decisions (gihi.pipeline.build), with notebook execution and PDF rendering
replaced by stubs that record their calls. The real end-to-end build is tested in
tests/test_report_build.py.

Each test that runs :func:`gihi.pipeline.build.build_report` (its data step is real: the edition is
validated, computed and saved, some 20 s a build) is marked ``e2e``."""
import json
import os
import shutil
from pathlib import Path

import pytest

from gihi.pipeline import build as B
from gihi.pipeline import cache, execute
from gihi.publish import render
from gihi.report.chapters import CHAPTERS
from gihi.core.errors import DataError
from gihi.model.store import INDEX_FILE

ROOT = Path(__file__).resolve().parents[1]


class Recorder:
    """Stub executor and renderer: writes the outputs the real ones would, records the calls."""

    def __init__(self, fail: set[str] = frozenset()):
        self.executed: list[str] = []
        self.rendered: list[str] = []
        self.fail = set(fail)
        self.same_bundles = False   # True: a re-executed chapter writes the bundle it wrote before

    def execute_chapter(self, name, year, data_dir, output_dir, **kw):
        self.executed.append(name)
        if name in self.fail:
            raise execute.ChapterExecutionError(name, 3, "ValueError", "boom")
        base = Path(output_dir) / str(year)
        (base / "notebooks").mkdir(parents=True, exist_ok=True)
        (base / "notebooks" / f"{name}.ipynb").write_text(f"nb {name} {len(self.executed)}")
        (base / "notebooks" / f"{name}.html").write_text(f"html {name}")
        (base / "chapters" / name).mkdir(parents=True, exist_ok=True)
        (base / "chapters" / name / "bundle.json").write_text(json.dumps({"chapter": name, "n": 0 if self.same_bundles else len(self.executed)}))
        return base / "notebooks" / f"{name}.ipynb"

    def render(self, job: B.EditionJob) -> B.Rendered:
        """The edition worker (:func:`gihi.pipeline.build._render`). Also writes what it was given
        into the PDF: the build may call it in another process. ``job.store``: the edition the data
        step saved, which the real renderer reads."""
        assert (Path(job.store) / INDEX_FILE).is_file(), "no saved edition to render from"
        lang, year, output_dir = job.lang, job.year, Path(job.output_dir)
        self.rendered.append(lang)
        if lang in self.fail:
            raise RuntimeError(f"{lang} boom")
        if lang == B.PROFILES:
            whole = B.profiles_pdf(output_dir, year)
            whole.parent.mkdir(parents=True, exist_ok=True)
            (whole.parent / "beijing.pdf").write_bytes(b"%PDF beijing")
            whole.write_bytes(f"%PDF profiles pid={os.getpid()}".encode())
            return B.Rendered(str(whole.parent), 0.01)
        if job.report_only:   # the bilingual report, its profile pages appended by the build
            return B.Rendered(None, 0.01, f"content {lang}", 1, 1, (f"%PDF {lang} report pid={os.getpid()}".encode(), b"id"))
        profiles = job.profiles_pdf
        if lang == "bi" and profiles is not None:
            assert Path(profiles).is_file(), "the bilingual edition is rendered before the profiles it appends"
        p = B.edition_path(output_dir, year, lang)
        p.write_bytes(f"%PDF {lang} profiles={profiles} pid={os.getpid()}".encode())
        return B.Rendered(str(p), 0.01, f"content {lang}", 1, 1)

    def append_profiles(self, year, lang, report, report_id, pages, output_dir):
        p = B.edition_path(Path(output_dir), year, lang)
        p.write_bytes(report + b" + " + pages)
        return p


@pytest.fixture
def project(tmp_path):
    """A copy of what the keys hash: notebooks, gihi, templates, content; and the data."""
    root = tmp_path / "root"
    for d in ("notebooks", "templates", "content"):
        shutil.copytree(ROOT / d, root / d)
    shutil.copytree(ROOT / "gihi", root / "gihi", ignore=shutil.ignore_patterns("__pycache__"))
    data = tmp_path / "data"
    for d in ("meta", "history", "gii", "2023"):   # 2023/ has the edition's own meta/
        shutil.copytree(ROOT / "data" / d, data / d)
    return root, data, tmp_path / "out"


@pytest.fixture
def rec(monkeypatch):
    r = Recorder()
    monkeypatch.setattr(execute, "execute_chapter", r.execute_chapter)
    monkeypatch.setattr(execute, "kernel_name", lambda: "python3")
    monkeypatch.setattr(B, "_render", r.render)
    monkeypatch.setattr(render, "append_profiles", r.append_profiles)
    return r


def run(project, rec, **kw):
    root, data, out = project
    rec.executed.clear()
    rec.rendered.clear()
    kw.setdefault("profiles", False)
    opts = B.Options(year=2023, data_dir=data, output_dir=out, root=root, jobs=kw.pop("jobs", 1), **kw)
    return B.build_report(opts, log=lambda s: None)


@pytest.mark.e2e
def test_cold_build_runs_everything_then_nothing(project, rec):
    m = run(project, rec)
    assert sorted(rec.executed) == sorted(CHAPTERS) and rec.rendered == ["bi", "zh", "en"]
    assert m["status"] == "ok" and m["data"]["outputs"]
    m2 = run(project, rec)
    assert rec.executed == [] and rec.rendered == []
    assert {c["status"] for c in m2["chapters"].values()} == {"cached"}
    assert {e["status"] for e in m2["editions"].values()} == {"cached"}
    assert [s["status"] for s in m2["timings"]["steps"]][0] == "cached"


@pytest.mark.e2e
def test_manifest_records_inputs_versions_parameters_timings(project, rec):
    run(project, rec)
    m = json.loads((project[2] / "2023" / "manifest.json").read_text())
    assert m["parameters"]["year"] == 2023 and m["parameters"]["langs"] == ["bi", "zh", "en"]
    assert m["environment"]["packages"]["weasyprint"] and m["environment"]["packages"]["papermill"]
    ch = m["chapters"]["02_science"]
    assert set(ch["inputs"]) == {"notebook", "code", "data", "content", "params", "env"}
    assert ch["key"] == cache.hash_value(ch["inputs"])
    assert "notebooks/02_science.ipynb" in ch["outputs"] and "chapters/02_science/bundle.json" in ch["outputs"]
    assert {s["step"] for s in m["timings"]["steps"]} >= {"data", "chapter 01_overview", "edition bi"}
    assert m["timings"]["total_seconds"] >= 0


@pytest.mark.e2e
def test_changed_notebook_reruns_that_chapter_only(project, rec):
    run(project, rec)
    nb = project[0] / "notebooks" / "03_highland.ipynb"
    nb.write_text(nb.read_text().replace("parameters", "parameters", 1) + "\n")
    run(project, rec)
    assert rec.executed == ["03_highland"] and rec.rendered == ["bi", "zh", "en"]


@pytest.mark.e2e
def test_notebook_change_that_leaves_the_bundle_as_it_was_renders_no_pdf(project, rec):
    rec.same_bundles = True
    run(project, rec)
    nb = project[0] / "notebooks" / "03_highland.ipynb"
    nb.write_text(nb.read_text() + "\n")
    run(project, rec)
    assert rec.executed == ["03_highland"] and rec.rendered == []


@pytest.mark.e2e
def test_changed_focus_data_reruns_the_chapters_that_read_it(project, rec):
    run(project, rec)
    f = project[1] / "2023" / "ai_patents" / "ipc.csv"
    f.write_text(f.read_text() + "\n")
    run(project, rec)
    assert sorted(rec.executed) == ["06_ai_patents", "07_methods"]


@pytest.mark.e2e
def test_changed_indicator_data_reruns_all_chapters(project, rec):
    run(project, rec)
    f = project[1] / "2023" / "indicators.csv"
    f.write_text(f.read_text() + "\n")
    run(project, rec)
    assert sorted(rec.executed) == sorted(CHAPTERS)


@pytest.mark.e2e
def test_changed_code_or_narrative_template_reruns_all(project, rec):
    run(project, rec)
    style = project[0] / "gihi" / "report" / "style.py"
    style.write_text(style.read_text() + "\n# x\n")
    run(project, rec)
    assert sorted(rec.executed) == sorted(CHAPTERS)
    t = next((project[0] / "templates" / "narrative" / "02_science").glob("*.j2"))
    t.write_text(t.read_text() + " ")
    run(project, rec)
    assert sorted(rec.executed) == sorted(CHAPTERS)


@pytest.mark.e2e
def test_editor_content_reruns_its_chapter(project, rec):
    run(project, rec)
    d = project[0] / "content" / "2023" / "04_ecosystem"
    d.mkdir(parents=True)
    (d / "overview.en.md").write_text("An editor's note.\n")
    run(project, rec)
    assert rec.executed == ["04_ecosystem"]


@pytest.mark.e2e
def test_report_template_change_rerenders_without_executing(project, rec):
    run(project, rec)
    d = project[0] / "templates" / "report"
    d.mkdir(parents=True, exist_ok=True)
    (d / "extra.css").write_text("p { margin: 0 }\n")
    run(project, rec)
    assert rec.executed == [] and rec.rendered == ["bi", "zh", "en"]


@pytest.mark.e2e
def test_missing_or_edited_output_is_rebuilt(project, rec):
    run(project, rec)
    out = project[2] / "2023"
    (out / "chapters" / "05_disciplines" / "bundle.json").write_text("{}")
    (out / "GIHI-2023-zh.pdf").unlink()
    run(project, rec)
    assert rec.executed == ["05_disciplines"] and rec.rendered == ["bi", "zh", "en"]


@pytest.mark.e2e
def test_parameters_and_environment_are_part_of_the_key(project, rec, monkeypatch):
    run(project, rec)
    env = cache.environment()
    env["packages"]["pandas"] = "0.0.1"
    monkeypatch.setattr(cache, "environment", lambda: env)
    run(project, rec)
    assert sorted(rec.executed) == sorted(CHAPTERS)


@pytest.mark.e2e
def test_chapters_option_reruns_those_and_reuses_the_others(project, rec):
    run(project, rec)
    run(project, rec, chapters=("02_science", "06_ai_patents"))
    assert sorted(rec.executed) == ["02_science", "06_ai_patents"] and rec.rendered == ["bi", "zh", "en"]
    # a stale chapter is kept (with a note) under --chapters, refreshed by a full build
    nb = project[0] / "notebooks" / "01_overview.ipynb"
    nb.write_text(nb.read_text() + "\n")
    m = run(project, rec, chapters=("02_science",))
    assert rec.executed == ["02_science"] and m["chapters"]["01_overview"]["status"] == "reused"
    run(project, rec)
    assert rec.executed == ["01_overview"]


@pytest.mark.e2e
def test_force_and_single_language(project, rec):
    run(project, rec, langs=("en",))
    assert rec.rendered == ["en"]
    m = run(project, rec, langs=("en",), force=True)
    assert sorted(rec.executed) == sorted(CHAPTERS) and rec.rendered == ["en"]
    assert m["editions"]["en"]["status"] == "executed"


@pytest.mark.e2e
def test_failed_chapter_fails_the_build_and_names_it(project, rec):
    rec.fail = {"04_ecosystem"}
    with pytest.raises(B.BuildError) as e:
        run(project, rec)
    assert e.value.problems == ["chapters: chapter 04_ecosystem, cell 3: ValueError: boom"]
    assert rec.rendered == []
    assert not (project[2] / "2023").exists()   # nothing published
    m = json.loads((project[2] / B.STAGING / "2023" / "manifest.json").read_text())
    assert m["status"] == "failed" and "04_ecosystem" not in m["chapters"]
    rec.fail = set()
    run(project, rec)
    assert rec.executed == ["04_ecosystem"]  # the failed build's other chapters are reused
    assert (project[2] / "2023" / "manifest.json").exists() and not (project[2] / B.STAGING / "2023").exists()


@pytest.mark.e2e
def test_invalid_data_raises_before_anything_runs(project, rec):
    f = project[1] / "2023" / "indicators.csv"
    lines = f.read_text().splitlines()
    lines[3] = lines[3].replace("I0", "X0", 1)
    f.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError):
        run(project, rec)
    assert rec.executed == [] and not (project[2] / "2023" / "manifest.json").exists()


@pytest.mark.e2e
def test_invalid_data_stops_the_profiles_started_beside_it(project, rec):
    """With two jobs the profiles start before the data step; invalid data still stop the build
    with nothing written, and no worker is left running."""
    import psutil
    f = project[1] / "2023" / "indicators.csv"
    lines = f.read_text().splitlines()
    lines[3] = lines[3].replace("I0", "X0", 1)
    f.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError):
        run(project, rec, profiles=True, jobs=2)
    assert rec.executed == [] and not (project[2] / "2023").exists()
    assert not (project[2] / B.STAGING / "2023").exists()
    me = psutil.Process()
    assert not [c for c in me.children(recursive=True) if c.cmdline() == me.cmdline()]   # no forked worker


@pytest.mark.e2e
def test_parallel_threads_execute_every_chapter_once(project, rec):
    run(project, rec, jobs=4, langs=("bi",))  # one edition: rendered in this process
    assert sorted(rec.executed) == sorted(CHAPTERS) and rec.rendered == ["bi"]


@pytest.mark.e2e
def test_profiles_render_with_the_bilingual_edition_and_follow_the_data(project, rec):
    run(project, rec, profiles=True)
    assert sorted(rec.rendered) == ["bi", "en", "profiles", "zh"]
    assert (project[2] / "2023" / "profiles" / "beijing.pdf").is_file()
    run(project, rec, profiles=True)
    assert rec.rendered == []
    hist = project[1] / "history" / "ranks.csv"
    hist.write_text(hist.read_text() + "\n")    # data the profiles show, read by no chapter
    run(project, rec, profiles=True)
    assert sorted(rec.rendered) == ["bi", "en", "profiles", "zh"]
    run(project, rec, profiles=True, langs=("zh",), force=True)
    assert rec.rendered == ["zh"]


@pytest.mark.e2e
def test_profiles_are_laid_out_while_the_chapters_run(project, rec):
    """With two jobs the profiles step runs in a process of its own, started before the chapters;
    the bilingual edition's report is rendered in a worker at the same time as the other
    editions, and the profile pages are appended to it (here) once both have ended."""
    m = run(project, rec, profiles=True, jobs=2)
    base = project[2] / "2023"
    whole = B.profiles_pdf(project[2], 2023).read_bytes()
    assert whole.startswith(b"%PDF profiles pid=") and int(whole.split(b"pid=")[1]) != os.getpid()   # another process
    report, pages = B.edition_path(project[2], 2023, "bi").read_bytes().split(b" + ")
    assert report.startswith(b"%PDF bi report pid=") and int(report.split(b"pid=")[1]) != os.getpid()
    assert pages == whole
    assert {lang: e["status"] for lang, e in m["editions"].items()} == dict.fromkeys(("bi", "zh", "en", "profiles"), "executed")
    m2 = run(project, rec, profiles=True, jobs=2)
    assert m2["editions"]["profiles"]["status"] == "cached" and (base / "profiles" / "beijing.pdf").is_file()
    assert not (project[2] / B.STAGING / "2023").exists()


@pytest.mark.e2e
def test_failed_profiles_fail_the_bilingual_edition_and_the_build(project, rec):
    rec.fail = {B.PROFILES}
    with pytest.raises(B.BuildError) as e:
        run(project, rec, profiles=True, jobs=2)
    assert "profiles: RuntimeError: profiles boom" in str(e.value)
    assert "bilingual: RuntimeError: the profiles step failed" in str(e.value)
    assert not B.edition_path(project[2], 2023, "bi").exists()   # nothing swapped in


@pytest.mark.e2e
def test_sequential_build_lays_out_the_profiles_first(project, rec):
    run(project, rec, profiles=True)
    assert rec.rendered[0] == "profiles"
    bi = B.edition_path(project[2], 2023, "bi").read_bytes().decode()
    assert f"profiles={B.profiles_pdf(project[2] / B.STAGING, 2023)}" in bi
    run(project, rec, profiles=False, force=True, langs=("bi",))
    assert "profiles=None" in B.edition_path(project[2], 2023, "bi").read_bytes().decode()   # lays them out itself


@pytest.mark.e2e
def test_summary_lists_every_step(project, rec):
    m = run(project, rec)
    text = B.summary(m)
    assert "timing summary:" in text and "chapter 07_methods" in text and "total (wall clock)" in text


# a chapter's key hashes data_inputs(chapter), data/2023/meta/ included: the edition's tree (weights),
# indicators and cities are there
@pytest.mark.e2e
def test_changed_edition_metadata_reruns_all_chapters(project, rec):
    run(project, rec)
    f = project[1] / "2023" / "meta" / "tree.csv"
    f.write_text(f.read_text() + "\n")
    m = run(project, rec)
    assert m["timings"]["steps"][0]["status"] == "executed"   # the data step saw the change
    assert sorted(rec.executed) == sorted(CHAPTERS)


# the previous edition's data (data/<earlier year>/) decide the rank changes, movers and history of
# this edition (gihi.analysis.changes): they are in the data step's key and in every chapter's
def test_data_key_covers_the_previous_editions_data(project):
    root, data, out = project
    shutil.copytree(data / "2023", data / "2022")   # an earlier edition with data: its ranks are computed
    opts = B.Options(year=2023, data_dir=data, output_dir=out, root=root)
    before = cache.hash_value(B.data_key(opts, "code", "env"))
    chapter = cache.hash_value(B.chapter_key(opts, "01_overview", "code", "env"))
    f = data / "2022" / "indicators.csv"
    f.write_text(f.read_text() + "\n")
    assert cache.hash_value(B.data_key(opts, "code", "env")) != before
    assert cache.hash_value(B.chapter_key(opts, "01_overview", "code", "env")) != chapter
