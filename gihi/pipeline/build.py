"""The report build, as a pipeline of named steps: data → chapters → editions → manifest.

1. **data**: validate the inputs, compute the index, write ``<output>/<year>/data/``;
2. **chapters**: execute every chapter notebook with papermill, in parallel threads; each thread
   keeps one kernel and runs its chapters in it one after another, reset in between
   (:mod:`gihi.pipeline.kernels`); writing notebooks, HTML copies and chapter bundles;
3. **editions**: render the bilingual, Chinese and English PDFs, in parallel processes. The
   city profiles (the bilingual edition's last appendix, and one PDF per city) depend on the
   data alone: they are laid out in a process of their own while the chapters run, and their
   pages are appended to the bilingual edition (:mod:`gihi.publish.appendix_pdf`);
4. **manifest**: record input hashes, package versions, parameters and timings in
   ``<output>/<year>/manifest.json``.

Each step is skipped when the content hash of everything it depends on equals the one recorded
by the last build and the outputs recorded then are still there, unchanged (:mod:`gihi.pipeline.cache`).

**Staging.** A build never writes into ``<output>/<year>/`` directly. It works in
``<output>/.build/<year>/``, which starts as a hard-linked copy of the last good build (every
writer replaces files, never edits them in place, so the links cannot leak changes back), and
only when every step has succeeded is that directory swapped in for ``<output>/<year>/``
(:func:`swap_in`). A failing chapter, an edition that does not render, invalid data or Ctrl-C
leave the last good outputs byte-for-byte as they were. A failed build's staging directory is
kept, for inspection (failed notebooks are ``.build/<year>/notebooks/<chapter>.failed.ipynb``)
and so that the next build resumes from it instead of redoing what succeeded.
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from gihi.core.paths import EDITION_FILES, ROOT, STAGING, available_years, pdf_name
from gihi.model.edition import STORE_DIR
from gihi.pipeline import cache
from gihi.report.chapters import CHAPTERS, data_inputs

# STAGING (paths): <output>/.build/<year>/ is where a build works until it has succeeded
CODE_INPUTS = ("gihi", "templates/narrative")   # everything a chapter's code can read
REPORT_TEMPLATES = ("templates/report", "templates/profiles")
PROFILES = "profiles"   # the per-city profile PDFs: rendered next to the editions, cached the same way


class BuildError(RuntimeError):
    """The build failed; ``problems`` lists one line per failure (step, item, reason)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class Options:
    year: int
    data_dir: Path
    output_dir: Path
    langs: tuple[str, ...] = ("bi", "zh", "en")
    chapters: tuple[str, ...] | None = None   # None: all; otherwise re-execute these, reuse the others
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    force: bool = False
    profiles: bool = True   # also write <output>/<year>/profiles/<id>.pdf (with the bilingual edition)
    root: Path = ROOT   # where notebooks/, gihi/, templates/ and content/ are (tests use a copy)


@dataclass
class Step:
    name: str
    status: str          # "executed", "cached", "reused" (stale cache kept by --chapters) or "failed"
    seconds: float
    detail: str = ""


def edition_path(output_dir: Path, year: int, lang: str) -> Path:
    return Path(output_dir) / str(year) / pdf_name(year, lang)


def chapter_outputs(output_dir: Path, year: int, chapter: str) -> list[Path]:
    base = Path(output_dir) / str(year)
    return [base / "notebooks" / f"{chapter}.ipynb", base / "notebooks" / f"{chapter}.html", base / "chapters" / chapter]


# --------------------------------------------------------------------------- staging

def _old(live: Path) -> Path:
    return live.with_name(f".{live.name}.old")


def recover(live: Path) -> None:
    """Finish an interrupted :func:`swap_in`: if ``live`` is missing but its previous version
    was set aside, put it back."""
    old = _old(live)
    if not live.exists() and old.exists():
        os.replace(old, live)
    elif old.exists():
        shutil.rmtree(old)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def prepare_stage(live: Path, stage: Path) -> None:
    """Start ``stage`` as a copy of ``live`` (hard links: instant, no extra space)."""
    if stage.exists():
        shutil.rmtree(stage)
    stage.parent.mkdir(parents=True, exist_ok=True)
    if live.exists():
        shutil.copytree(live, stage, copy_function=_link_or_copy, symlinks=True)
    else:
        stage.mkdir()


def swap_in(stage: Path, live: Path) -> None:
    """Replace ``live`` by ``stage``: two renames (the previous ``live`` is set aside, then
    removed); :func:`recover` completes the swap if the process dies between them."""
    old = _old(live)
    if old.exists():
        shutil.rmtree(old)
    if live.exists():
        os.replace(live, old)
    os.replace(stage, live)
    shutil.rmtree(old, ignore_errors=True)


# --------------------------------------------------------------------------- keys

def _repo_relative(p: Path) -> str:
    """A path as recorded in keys and passed to notebooks: relative to the repository when inside it."""
    try:
        return str(Path(p).resolve().relative_to(ROOT))
    except ValueError:
        return str(p)


def _params(opts: Options) -> dict:
    return {"year": opts.year, "data_dir": _repo_relative(opts.data_dir), "output_dir": _repo_relative(opts.output_dir),
            "lang": "bi"}


def edition_store(output_dir: Path, year: int) -> Path:
    """Where the data step saves the edition: ``<output_dir>/<year>/edition/``."""
    return Path(output_dir) / str(year) / STORE_DIR


def _earlier_editions(opts: Options) -> list[Path]:
    """The data directories of the editions before this one: their ranks, names and values enter
    the rank changes, movers, drivers and data review, so they are in every cache key."""
    d = Path(opts.data_dir)
    return [d / str(y) for y in available_years(d) if y < opts.year]


def data_key(opts: Options, code: str, env: str) -> dict:
    """What the data step depends on: the shared metadata, the published history, the GII
    benchmark, this edition's data and the earlier editions' (:func:`_earlier_editions`)."""
    d = Path(opts.data_dir)
    return {"code": code, "env": env, "year": opts.year,
            "data": cache.hash_paths([d / "meta", d / "history", d / "gii", *_earlier_editions(opts), d / str(opts.year)], d)}


def chapter_key(opts: Options, chapter: str, code: str, env: str) -> dict:
    """What a chapter's results depend on: notebook, code, data, editor content, parameters, environment."""
    d = Path(opts.data_dir)
    r = opts.root
    return {"notebook": cache.hash_paths([r / "notebooks" / f"{chapter}.ipynb"], r), "code": code,
            "data": cache.hash_paths([*_earlier_editions(opts), *(d / p for p in data_inputs(chapter, opts.year))], d),
            "content": cache.hash_paths([r / "content" / str(opts.year) / chapter], r),
            "params": _params(opts), "env": env}


def edition_key(opts: Options, lang: str, bundles: str, code: str, env: str, data: str) -> dict:
    """What an edition (or, for ``lang="profiles"``, the profile PDFs) depends on: the bundles,
    the code, the report and profile templates, the data (the data step's key: the profiles
    appendix is drawn from the data directly) and the environment."""
    return {"lang": lang, "bundles": bundles if lang != PROFILES else None, "code": code, "env": env,
            "templates": cache.hash_paths([opts.root / p for p in REPORT_TEMPLATES], opts.root), "data": data}


# --------------------------------------------------------------------------- steps

def profiles_pdf(output_dir: Path, year: int) -> Path:
    """The profiles document the profiles step keeps: the bilingual edition's appendix pages."""
    from gihi.publish.profiles import PROFILES_DIR, whole_pdf_name
    return Path(output_dir) / str(year) / PROFILES_DIR / whole_pdf_name(year)


def parts_cache(output_dir: Path, year: int) -> Path:
    """Where laid-out parts are kept between builds (:class:`gihi.publish.render.PartCache`), one
    folder per edition: ``<output_dir>/.cache/<year>/parts/<edition>/``. The entries are named by
    the hash of their content, so a failed build cannot leave a wrong one behind."""
    return Path(output_dir) / ".cache" / str(year) / "parts"


@dataclass(frozen=True)
class Rendered:
    """What an edition's worker did: the PDF (``path``; None while the bilingual report waits for
    its profile pages, then in ``report``), its content key, and how many of its parts it laid
    out (``laid``) of how many (``parts``); ``laid == parts == 0``: its content had not changed."""

    path: str | None
    seconds: float
    content: str | None = None
    laid: int = 0
    parts: int = 0
    report: tuple[bytes, bytes] | None = None


@dataclass(frozen=True)
class EditionJob:
    """One edition to render (plain values: it goes to a worker process)."""

    year: int
    lang: str
    output_dir: str          # the staging root
    store: str               # the saved edition
    cache_dir: str           # parts_cache()
    force: bool = False
    previous: str | None = None   # the content key of the PDF on record, if it is intact
    salt: str = ""           # what else the PDF holds (the profile pages' key, for the bilingual edition)
    profiles_pdf: str | None = None   # the profile pages to append (None: lay them out)
    report_only: bool = False         # the bilingual report without its profile pages (appended later)


def _render(job: EditionJob) -> Rendered:
    """Render one edition, or with ``lang="profiles"`` the profile PDFs (runs in a worker process),
    from the edition saved at ``job.store``. An edition whose content key equals ``job.previous``
    is not laid out again; otherwise only its changed parts are (:mod:`gihi.publish.parts`)."""
    from gihi.model.edition import load_edition
    t = time.perf_counter()
    ed = load_edition(job.store)
    if job.lang == PROFILES:
        from gihi.publish.profiles import write_profile_pdfs
        paths = write_profile_pdfs(ed, Path(job.output_dir))
        return Rendered(str(paths[0].parent), time.perf_counter() - t)
    from gihi.publish.assemble import edition_parts
    from gihi.publish.render import PROFILE_EDITIONS, PartCache, content_key, render_edition, render_report
    out = Path(job.output_dir)
    parts = edition_parts(ed, job.lang, out, profiles=job.lang in PROFILE_EDITIONS)
    key = cache.hash_value([content_key(parts, out, job.lang, job.year), job.salt])
    target = edition_path(out, job.year, job.lang)
    if not job.force and job.previous == key and target.is_file():
        return Rendered(str(target), time.perf_counter() - t, key)
    parts_dir = Path(job.cache_dir) / job.lang
    pc = PartCache(parts_dir, read=not job.force)
    if job.report_only:
        report = render_report(ed, job.lang, out, cache=pc, parts=parts)
        path = None
    else:
        report, path = None, str(render_edition(ed, job.lang, out, profiles_pdf=job.profiles_pdf, cache=pc, parts=parts))
    pc.keep_only(pc.used)
    return Rendered(path, time.perf_counter() - t, key, len(pc.rendered), len(set(pc.used)), report)


def _pool_context():
    # fork: the workers inherit the imported modules (WeasyPrint's start-up is not repeated)
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _worker_init() -> None:
    """Every worker process ends with the build, however the build ends (kill -9 included)."""
    from gihi.pipeline.safety import die_with_parent
    die_with_parent()


def _map_editions(opts: Options, output_dir: Path, render: list[tuple[EditionJob, str]], workers: int, early=None):
    """Render editions, yielding ``(lang, key, Rendered or the exception)`` as each ends.

    ``early``: ``(key, Future)`` of the profiles step, started in a process of its own while
    the chapters ran. Then the bilingual edition's report is rendered in a worker like the other
    editions, at once, and its profile pages are appended here when both have ended.
    Otherwise, with one worker, everything runs in this process, the profiles first; with more,
    in worker processes (the profiles, if wanted, were cached: their document is read).
    """
    whole = profiles_pdf(output_dir, opts.year)
    if workers == 1 and early is None:
        failed_profiles = False
        for job, k in sorted(render, key=lambda jk: jk[0].lang != PROFILES):
            try:
                result = _render(replace(job, profiles_pdf=None) if failed_profiles else job)
            except Exception as e:  # noqa: BLE001 - reported with the edition it belongs to
                failed_profiles |= job.lang == PROFILES
                result = e
            yield job.lang, k, result
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context(), initializer=_worker_init) as pool:
        pending: dict[Future, tuple[str, str]] = {pool.submit(_render, job): (job.lang, k) for job, k in render}
        appending = any(job.report_only for job, _ in render)
        if early is not None:
            key, fut = early
            pending[fut] = (PROFILES, key)
        report, pages_ok = None, None if early is not None else True
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                lang, k = pending.pop(fut)
                try:
                    result = fut.result()
                except Exception as e:  # noqa: BLE001
                    pages_ok = False if lang == PROFILES else pages_ok
                    yield lang, k, e
                    continue
                if lang == PROFILES and not isinstance(result, Rendered):   # the early pool's (path, seconds)
                    result = Rendered(*result)
                if lang == "bi" and appending:
                    report = (k, result)
                    continue
                pages_ok = True if lang == PROFILES else pages_ok
                yield lang, k, result
            if report is not None and pages_ok is not None:
                (k, result), report = report, None
                if result.report is None:   # unchanged: the PDF on record stands
                    yield "bi", k, result
                elif not pages_ok:
                    yield "bi", k, RuntimeError("the profiles step failed, so its pages cannot be appended")
                else:
                    from gihi.publish.render import append_profiles
                    t = time.perf_counter()
                    try:
                        path = append_profiles(opts.year, "bi", *result.report, whole.read_bytes(), output_dir)
                        yield "bi", k, replace(result, path=str(path), report=None,
                                               seconds=result.seconds + time.perf_counter() - t)
                    except Exception as e:  # noqa: BLE001
                        yield "bi", k, e


def build_report(opts: Options, log: Callable[[str], None] = print) -> dict:
    """Run the build; returns the manifest written. Raises :class:`BuildError` (chapters or
    editions failed) or :class:`gihi.core.errors.DataError` (invalid input; nothing is written)."""
    t_start = time.perf_counter()
    live = Path(opts.output_dir) / str(opts.year)
    stage_root = Path(opts.output_dir) / STAGING
    out = stage_root / str(opts.year)
    recover(live)
    failed = cache.load_manifest(out / cache.MANIFEST)
    if failed.get("status") == "failed" and failed.get("year") == opts.year:
        old = failed   # resume a failed build: what it finished is reused (keys permitting)
    else:
        old = cache.load_manifest(live / cache.MANIFEST)
        prepare_stage(live, out)
    try:
        manifest = _build(opts, stage_root, old, t_start, log)
    except BuildError:
        raise          # the staging directory stays, for inspection
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)   # invalid data, Ctrl-C, a bug: nothing to keep
        try:
            stage_root.rmdir()                   # and no empty .build/ left behind
        except OSError:
            pass
        raise
    swap_in(out, live)
    _remove_if_empty(stage_root)
    return manifest


def data_only(opts: Options) -> list[Path]:
    """The data step alone (``--data-only``), all or nothing like a full build: it runs in the
    staging directory, a hard-linked copy of the last good outputs, which is swapped in only when
    the data, the downloads and the saved edition have all been written. Returns the files written
    (their final paths)."""
    live = Path(opts.output_dir) / str(opts.year)
    stage_root = Path(opts.output_dir) / STAGING
    out = stage_root / str(opts.year)
    recover(live)
    prepare_stage(live, out)
    try:
        from gihi.pipeline.data_stage import run_data_stage
        _, written = run_data_stage(Path(opts.data_dir), opts.year, stage_root)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        try:
            stage_root.rmdir()
        except OSError:
            pass
        raise
    swap_in(out, live)
    _remove_if_empty(stage_root)
    return [live / Path(p).relative_to(out) for p in written]


def _remove_if_empty(directory: Path) -> None:
    try:
        directory.rmdir()
    except OSError:
        pass


def _build(opts: Options, stage_root: Path, old: dict, t_start: float, log: Callable[[str], None]) -> dict:
    """The steps, run in the staging directory ``stage_root`` (an ``output_dir`` of its own)."""
    out = stage_root / str(opts.year)
    manifest_path = out / cache.MANIFEST
    env_info = cache.environment()
    env = cache.hash_value(env_info)
    code = cache.hash_paths([opts.root / p for p in CODE_INPUTS], opts.root)
    steps: list[Step] = []
    manifest = {"year": opts.year, "parameters": {**_params(opts), "langs": list(opts.langs), "jobs": opts.jobs,
                                                  "chapters": list(opts.chapters) if opts.chapters else None,
                                                  "force": opts.force},
                "environment": env_info, "data": {}, "chapters": {}, "editions": {}}

    key = cache.hash_value(data_key(opts, code, env))
    # 1. data: the edition is validated, computed and saved once (<out>/edition/); every later step
    # reads that copy
    t = time.perf_counter()
    prev = old.get("data", {})
    if not opts.force and prev.get("key") == key and cache.outputs_intact(prev.get("outputs"), out):
        status = "cached"
        manifest["data"] = prev
    else:
        from gihi.pipeline.data_stage import run_data_stage
        _, written = run_data_stage(Path(opts.data_dir), opts.year, stage_root)
        status = "executed"
        manifest["data"] = {"key": key, "outputs": cache.record_outputs(written, out)}
    steps.append(Step("data", status, time.perf_counter() - t))
    manifest["data"]["seconds"] = round(steps[-1].seconds, 3)
    log(f"data      {status:9s} {steps[-1].seconds:6.1f} s")

    # profiles: they depend on the edition alone, so with more than one job they are laid out in a
    # process of their own while the chapters run (forked now, before any thread starts)
    early, early_pool = None, None
    if opts.profiles and "bi" in opts.langs:
        k = cache.hash_value(edition_key(opts, PROFILES, "", code, env, key))
        prev = old.get("editions", {}).get(PROFILES, {})
        if not opts.force and prev.get("key") == k and cache.outputs_intact(prev.get("outputs"), out):
            manifest["editions"][PROFILES] = {**prev, "status": "cached"}
        elif opts.jobs > 1:
            early_pool = _pool_context().Pool(1, initializer=_worker_init)
            job: Future = Future()   # settled by the pool's result thread
            early_pool.apply_async(_render, (EditionJob(opts.year, PROFILES, str(stage_root),
                                                        str(edition_store(stage_root, opts.year)), ""),),
                                   callback=job.set_result, error_callback=job.set_exception)
            early = (k, job)
    try:
        return _chapters_and_editions(opts, stage_root, old, t_start, log, manifest, steps, code, env, early)
    finally:
        if early_pool is not None:
            early_pool.terminate()   # it has ended unless the build stopped early (a failed chapter, Ctrl-C)
            early_pool.join()


def _chapters_and_editions(opts: Options, stage_root: Path, old: dict, t_start: float, log: Callable[[str], None],
                           manifest: dict, steps: list[Step], code: str, env: str, early) -> dict:
    """Steps 2–4 of :func:`_build` (``early``: the profiles step it started, or None)."""
    out = stage_root / str(opts.year)
    manifest_path = out / cache.MANIFEST

    # 2. chapters
    wanted = set(opts.chapters or ())
    keys = {ch: chapter_key(opts, ch, code, env) for ch in CHAPTERS}
    todo, problems = [], []
    for ch in CHAPTERS:
        k = cache.hash_value(keys[ch])
        prev = old.get("chapters", {}).get(ch, {})
        intact = cache.outputs_intact(prev.get("outputs"), out)
        if opts.force or ch in wanted or not intact:
            todo.append(ch)
        elif prev.get("key") == k:
            manifest["chapters"][ch] = {**prev, "status": "cached"}
        elif opts.chapters:   # --chapters: keep the others' results even though their inputs changed
            manifest["chapters"][ch] = {**prev, "status": "reused"}
            log(f"note: {ch} is out of date (its inputs changed); its cached result is used because of "
                f"--chapters. Build without --chapters to refresh it.")
        else:
            todo.append(ch)
    for ch in CHAPTERS:
        if ch in manifest["chapters"]:
            c = manifest["chapters"][ch]
            steps.append(Step(f"chapter {ch}", c["status"], 0.0))
    if todo:
        from gihi.pipeline.execute import ChapterExecutionError, execute_parallel, kernel_name
        kernel_name()  # install the project kernelspec once, before the threads start
        t_all = time.perf_counter()
        # longest first (by the last build's timings): the two workers then finish together
        todo.sort(key=lambda ch: -float(old.get("chapters", {}).get(ch, {}).get("seconds", 0.0)))
        results = execute_parallel(todo, opts.jobs, opts.year, opts.data_dir, stage_root,
                                   edition_store=edition_store(stage_root, opts.year))
        for i, (ch, result) in enumerate(results, 1):
            if isinstance(result, ChapterExecutionError):
                kept = out / "notebooks" / f"{ch}.failed.ipynb"
                problems.append(f"chapters: {result} (executed notebook kept: {kept})" if kept.exists() else f"chapters: {result}")
                steps.append(Step(f"chapter {ch}", "failed", time.perf_counter() - t_all, str(result)))
                log(f"[{i}/{len(todo)}] {ch:15s} FAILED: {result}")
                continue
            if isinstance(result, BaseException):
                results.close()   # stop the other threads and their kernels first
                raise result
            k = cache.hash_value(keys[ch])
            manifest["chapters"][ch] = {"key": k, "inputs": keys[ch], "seconds": round(result, 3),
                                        "status": "executed",
                                        "outputs": cache.record_outputs(chapter_outputs(stage_root, opts.year, ch), out)}
            steps.append(Step(f"chapter {ch}", "executed", result))
            log(f"[{i}/{len(todo)}] {ch:15s} executed  {result:6.1f} s")
    else:
        log("chapters  cached    (nothing changed)")
    manifest["chapters"] = {ch: manifest["chapters"][ch] for ch in CHAPTERS if ch in manifest["chapters"]}
    if problems:
        _finish(manifest, manifest_path, steps, t_start, old, failed=True)
        raise BuildError(problems)

    # 3. editions
    # the PDFs are made from the bundles alone: a notebook's own prose or its HTML copy changing
    # does not re-render them. When anything an edition could show changed, its worker assembles
    # it and compares the content key of its pages: an edition whose pages did not change (the
    # Chinese edition after an English edit) is not laid out again, and one that did lays out
    # only the parts that changed (gihi.publish.parts)
    bundles = cache.hash_value({ch: {p: h for p, h in manifest["chapters"][ch]["outputs"].items()
                                     if p.startswith("chapters/")} for ch in CHAPTERS})
    render = []
    wanted = list(opts.langs) + ([PROFILES] if opts.profiles and "bi" in opts.langs and not early else [])
    salt = early[0] if early else manifest["editions"].get(PROFILES, {}).get("key", "")
    whole = profiles_pdf(stage_root, opts.year)
    for lang in wanted:
        k = cache.hash_value(edition_key(opts, lang, bundles, code, env, manifest["data"]["key"]))
        prev = old.get("editions", {}).get(lang, {})
        intact = cache.outputs_intact(prev.get("outputs"), out)
        if lang == PROFILES and PROFILES in manifest["editions"]:   # cached (decided before the chapters)
            steps.append(Step(f"edition {lang}", "cached", 0.0))
        elif not opts.force and prev.get("key") == k and intact:
            manifest["editions"][lang] = {**prev, "status": "cached"}
            steps.append(Step(f"edition {lang}", "cached", 0.0))
        else:
            appendix = str(whole) if lang == "bi" and opts.profiles else None
            render.append((EditionJob(opts.year, lang, str(stage_root), str(edition_store(stage_root, opts.year)),
                                      str(parts_cache(opts.output_dir, opts.year)), opts.force,
                                      prev.get("content") if intact else None, salt if lang == "bi" else "",
                                      appendix, report_only=lang == "bi" and early is not None), k))
    # longest first (by the last build's timings), so that the workers finish together
    render.sort(key=lambda jk: -float(old.get("editions", {}).get(jk[0].lang, {}).get("seconds", 0.0)))
    if render or early:
        workers = max(1, min(opts.jobs, len(render)))
        for lang, k, result in _map_editions(opts, stage_root, render, workers, early):
            name = EDITION_FILES.get(lang, lang)
            if isinstance(result, Exception):
                problems.append(f"editions: {name}: {type(result).__name__}: {result}")
                steps.append(Step(f"edition {lang}", "failed", 0.0, str(result)))
                log(f"edition {name:9s} FAILED: {result}")
                continue
            same = lang != PROFILES and result.parts == 0
            status = "cached" if same else "executed"
            manifest["editions"][lang] = {"key": k, "content": result.content, "seconds": round(result.seconds, 3),
                                          "status": status, "parts": {"laid out": result.laid, "of": result.parts},
                                          "outputs": cache.record_outputs([Path(result.path)], out)}
            steps.append(Step(f"edition {lang}", status, result.seconds))
            if lang == PROFILES:
                log(f"edition {name:9s} rendered  {result.seconds:6.1f} s  {Path(result.path).name}")
            elif same:
                log(f"edition {name:9s} unchanged {result.seconds:6.1f} s  (its pages did not change)")
            else:
                log(f"edition {name:9s} rendered  {result.seconds:6.1f} s  {Path(result.path).name} "
                    f"({result.laid} of {result.parts} parts laid out)")
    else:
        log("editions  cached    (nothing changed)")
    manifest["editions"] = {lang: manifest["editions"][lang] for lang in (*EDITION_FILES, PROFILES)
                            if lang in manifest["editions"]}
    _finish(manifest, manifest_path, steps, t_start, old, failed=bool(problems))
    if problems:
        raise BuildError(problems)
    return manifest


def _finish(manifest: dict, path: Path, steps: list[Step], t_start: float, old: dict, failed: bool) -> None:
    """Record timings and write the manifest. Editions not rebuilt this time keep their entry."""
    for lang, entry in old.get("editions", {}).items():
        manifest["editions"].setdefault(lang, {**entry, "status": "not requested"})
    manifest["timings"] = {"steps": [{"step": s.name, "status": s.status, "seconds": round(s.seconds, 3)} for s in steps],
                           "total_seconds": round(time.perf_counter() - t_start, 3)}
    manifest["status"] = "failed" if failed else "ok"
    cache.write_manifest(path, manifest)


def summary(manifest: dict) -> str:
    """The timing summary printed at the end of a build."""
    rows = [(s["step"], s["status"], s["seconds"]) for s in manifest["timings"]["steps"]]
    width = max(len(r[0]) for r in rows)
    lines = ["timing summary:"] + [f"  {n:{width}s}  {st:9s} {sec:6.1f} s" for n, st, sec in rows]
    lines.append(f"  {'total (wall clock)':{width}s}  {'':9s} {manifest['timings']['total_seconds']:6.1f} s")
    return "\n".join(lines)


__all__ = ["Options", "BuildError", "build_report", "data_only", "edition_path", "summary", "edition_store"]
