"""End to end: ``report_build.py --year 2023`` as editors run it (subprocess, real papermill and
WeasyPrint), into temporary output directories.

* a cold build writes the three editions, the manifest and a timing summary;
* a rebuild with nothing changed executes no notebook and renders no PDF;
* a second clean build (no cache at all) gives byte-identical PDFs, bundles and notebooks;
* a chapter whose notebook raises fails the build naming chapter, cell and error, keeps the
  failed notebook, and leaves the last good outputs byte-identical;
* Ctrl-C during a build leaves the last good outputs byte-identical and no temporary files.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from _builds import default_sigint, traced_build  # noqa: F401  (traced_build: session fixture, test_once's full build)
from gihi.pipeline import build as B, execute
from gihi.report.chapters import CHAPTERS
from gihi.publish.render import MAX_BYTES

ROOT = Path(__file__).resolve().parents[1]
YEAR = 2023
pytestmark = pytest.mark.e2e   # report_build.py / build_report for real: notebooks, kernels, WeasyPrint
PDFS = [f"GIHI-{YEAR}-{p}.pdf" for p in ("bilingual", "zh", "en")]


def cli(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "report_build.py"), "--year", str(YEAR), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=900, **kw)


def tree_hashes(root: Path, skip=(".cache", B.STAGING)) -> dict[str, str]:
    """sha256 of every file under ``root`` (relative path → digest), ``skip`` directories left out."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if p.is_file() and not any(part in skip for part in rel.parts):
            out[str(rel)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A cold build into a fresh directory; returns (output dir, completed process)."""
    out = tmp_path_factory.mktemp("e2e") / "out"
    proc = cli("--output-dir", str(out), "--jobs", "2")
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, proc


@pytest.mark.slow
def test_cold_build_writes_three_editions_and_a_manifest(built):
    out, proc = built
    base = out / str(YEAR)
    for name in PDFS:
        pdf = base / name
        assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size <= MAX_BYTES, name
    m = json.loads((base / "manifest.json").read_text(encoding="utf-8"))
    assert m["status"] == "ok" and m["parameters"]["year"] == YEAR
    assert {s["status"] for s in m["timings"]["steps"]} == {"executed"}
    assert "timing summary:" in proc.stdout and f"[{len(CHAPTERS)}/{len(CHAPTERS)}]" in proc.stdout
    assert m["environment"]["packages"]["weasyprint"] and m["environment"]["packages"]["papermill"]
    assert not (out / B.STAGING / str(YEAR)).exists(), "the staging directory is swapped in"


@pytest.mark.slow
def test_rebuild_with_nothing_changed_executes_nothing(built):
    out, _ = built
    before = tree_hashes(out / str(YEAR))
    proc = cli("--output-dir", str(out), "--jobs", "2")
    assert proc.returncode == 0, proc.stderr[-3000:]
    m = json.loads((out / str(YEAR) / "manifest.json").read_text(encoding="utf-8"))
    assert {s["status"] for s in m["timings"]["steps"]} == {"cached"}, m["timings"]
    after = tree_hashes(out / str(YEAR))
    after.pop("manifest.json"), before.pop("manifest.json")   # only its timings differ
    assert after == before


@pytest.mark.slow
def test_two_clean_builds_are_byte_identical(built, traced_build):
    out1, _ = built
    # the other clean build: test_once's (traced; tracing changes no output), into another directory
    assert traced_build.returncode == 0, traced_build.stderr
    out2 = traced_build.output
    a, b = tree_hashes(out1 / str(YEAR)), tree_hashes(out2 / str(YEAR))
    a.pop("manifest.json"), b.pop("manifest.json")
    assert a.keys() == b.keys()
    # the executed notebooks show their parameters, and so the output directory they were given and
    # the saved edition they read (edition_store, inside it): the one difference allowed between
    # builds into two places
    nbs = [k for k in a if k.startswith("notebooks/")]
    differ = sorted(k for k in a if a[k] != b[k] and k not in nbs)
    assert differ == [], differ[:20]
    for k in nbs:
        t1 = _without_paths((out1 / str(YEAR) / k).read_text(encoding="utf-8"), out1)
        t2 = _without_paths((out2 / str(YEAR) / k).read_text(encoding="utf-8"), out2)
        assert t1 == t2, k
    assert all(k in a for k in PDFS)


#: the injected parameters that name a path of the build: ``name = "<path>"`` in a notebook's JSON
#: (escaped quotes) or in its HTML copy (quotes as entities, the code highlighted in spans)
_PATH_PARAMETER = re.compile(r'\b(output_dir|edition_store)\b((?:\s|=|<[^<>]*>)*?)(\\"|&quot;|&#34;)(.*?)\3')


def _without_paths(text: str, out: Path) -> str:
    """A notebook (or its HTML copy) with the output directory and the values of the parameters
    output_dir and edition_store (where the data step saved the edition) replaced by placeholders."""
    text = text.replace(str(out), "<out>")
    return _PATH_PARAMETER.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}<path>{m.group(3)}", text)


def _broken_notebooks(tmp_path: Path, chapter: str) -> Path:
    """A copy of notebooks/ whose ``chapter`` raises in its last cell."""
    nbdir = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", nbdir)
    nb = nbformat.read(nbdir / f"{chapter}.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('chapter broken on purpose')"))
    nbformat.write(nb, nbdir / f"{chapter}.ipynb")
    return nbdir


@pytest.mark.slow
def test_failing_chapter_keeps_the_last_good_outputs(built, tmp_path, monkeypatch):
    out = tmp_path / "out"
    shutil.copytree(built[0], out, ignore=shutil.ignore_patterns(B.STAGING))
    before = tree_hashes(out)
    monkeypatch.setattr(execute, "NOTEBOOKS_DIR", _broken_notebooks(tmp_path, "07_methods"))
    opts = B.Options(year=YEAR, data_dir=ROOT / "data", output_dir=out, chapters=("07_methods",), jobs=1)
    with pytest.raises(B.BuildError) as e:
        B.build_report(opts, log=lambda s: None)
    [problem] = e.value.problems
    failed = out / B.STAGING / str(YEAR) / "notebooks" / "07_methods.failed.ipynb"
    assert problem.startswith("chapters: chapter 07_methods, cell ")
    assert "RuntimeError: chapter broken on purpose" in problem and str(failed) in problem
    assert failed.is_file()
    assert tree_hashes(out) == before, "the last good outputs are untouched"


@pytest.mark.slow
def test_interrupted_build_leaves_no_trace(built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built[0], out, ignore=shutil.ignore_patterns(B.STAGING))
    before = tree_hashes(out)
    proc = subprocess.Popen([sys.executable, str(ROOT / "report_build.py"), "--year", str(YEAR), "--output-dir",
                             str(out), "--force", "--jobs", "2"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=default_sigint)   # SIGINT may come down ignored (a suite run in the background)
    # interrupt once the build works in its staging directory and the notebooks have started
    stage = out / B.STAGING / str(YEAR)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and not (stage / "data").is_dir():
        time.sleep(0.1)
    time.sleep(4)
    assert proc.poll() is None, "the build ended before it could be interrupted"
    children = psutil.Process(proc.pid).children(recursive=True)   # kernels, render workers
    os.killpg(proc.pid, signal.SIGINT)   # what Ctrl-C in a terminal does: the whole process group
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, (proc.returncode, stderr[-2000:])
    gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive, [c.cmdline() for c in alive]   # no kernel or worker left running
    assert "interrupted" in stderr
    assert tree_hashes(out) == before
    assert not (out / B.STAGING / str(YEAR)).exists()
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp") or ".tmp-" in p.name]


@pytest.mark.slow
def test_real_pdfs_embed_the_named_fonts_and_figure_text_has_glyphs(built):
    """The PDF tests of test_pdf.py use stand-in figures; here the real ones: every font is an
    embedded subset of the house families, and every character of the figures' text (print SVGs,
    set by WeasyPrint) has a glyph in them."""
    import html as htmllib
    import re

    from _fonts import FAMILIES, cmap as _cmap, pdf_fonts as _fonts

    out, _ = built
    base = out / str(YEAR)
    allowed = tuple(f.replace(" ", "-") for f in FAMILIES)
    for name in PDFS:
        fonts = _fonts(base / name)
        for font, descriptor in fonts.items():
            assert re.match(r"^/[A-Z]{6}\+", font) and font[8:].startswith(allowed), (name, font)
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), (name, font)
    covered = frozenset().union(*(_cmap(f) for f in FAMILIES))
    chars = set()
    for svg in (base / "chapters").glob("*/figures/*.print-*.svg"):
        chars |= set(htmllib.unescape("".join(re.findall(r"<text\b[^>]*>([^<]*)</text>", svg.read_text(encoding="utf-8")))))
    assert len(chars) > 100
    missing = sorted(c for c in chars - set(" \n\t") if ord(c) not in covered)
    assert missing == [], [f"U+{ord(c):04X} {c}" for c in missing]
