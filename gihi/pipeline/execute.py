"""Execute a chapter notebook with papermill and export it to HTML.

:func:`execute_chapter` follows papermill's ``execute_notebook`` pipeline, step by step, so that
each step can be controlled:

1. **load** ``notebooks/<chapter>.ipynb``;
2. **parameterize** it (papermill injects a cell after the one tagged ``parameters``) with
   ``year``, ``data_dir``, ``output_dir``, ``lang`` and ``edition_store`` (the edition the
   build's data step saved, or None: the notebook opens and computes the edition itself);
3. **execute** it in a kernel running this interpreter (see :func:`kernel_name`), working
   directory the repository root, which is also on ``PYTHONPATH``;
4. **raise for errors**: an error output raises :class:`ChapterExecutionError` naming the
   chapter, the cell index and the error; with ``strict=True`` (default) so does any output on
   stderr (warnings, debug prints) — executed notebooks must be clean;
5. **write** ``<output_dir>/<year>/notebooks/<chapter>.ipynb`` and an HTML copy
   (``<chapter>.html``, nbconvert ``HTMLExporter``, no input/output prompts).

Reruns are byte-identical where possible: execution timestamps, papermill's timing and path
metadata and the kernel's volatile metadata are stripped before writing (:func:`scrub`), and the
notebook's own outputs are deterministic (see :mod:`gihi.report.chapters.view`).
"""
from __future__ import annotations

import html
import json
import os
import re
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import nbformat

from gihi.core.paths import DATA_DIR, OUTPUT_DIR, ROOT, resolve
from gihi.report.chapters import CHAPTERS

NOTEBOOKS_DIR = ROOT / "notebooks"
KERNEL = "python3"
LOCAL_KERNEL = "gihi"
START_TIMEOUT = 120
# The kernel's own log (its terminal, not the notebook) at CRITICAL: ipykernel warns on every start
# that the local TCP connection to it is unencrypted, and logs the interrupt jupyter_client sends
# when it shuts a kernel down. Notebook outputs are unaffected and checked (errors are cell errors).
# No input history database: faster start, and nothing written outside the output directory.
KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.enabled=False"]
# notebook-level metadata kept (everything else, e.g. papermill's paths and timings, is dropped)
KEEP_NB_METADATA = ("kernelspec", "language_info", "title")
KEEP_LANGUAGE_INFO = ("name", "file_extension", "mimetype", "nbconvert_exporter", "pygments_lexer", "codemirror_mode")


class ChapterExecutionError(RuntimeError):
    """A chapter notebook failed: ``chapter``, ``cell_index`` (0-based, in the executed notebook,
    the injected-parameters cell included), ``ename``, ``evalue``."""

    def __init__(self, chapter: str, cell_index: int | None, ename: str, evalue: str, traceback: str = ""):
        self.chapter, self.cell_index, self.ename, self.evalue, self.traceback = chapter, cell_index, ename, evalue, traceback
        where = f"cell {cell_index}" if cell_index is not None else "kernel"
        super().__init__(f"chapter {chapter}, {where}: {ename}: {evalue}")


# --------------------------------------------------------------------------- kernel

def _python_kernel_ok(name: str) -> bool:
    """Whether kernelspec ``name`` starts this interpreter (jupyter_client maps a bare
    ``python``/``python3`` argv[0] to ``sys.executable``)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        return False
    exe = spec.argv[0] if spec.argv else ""
    bare = {"python", f"python{sys.version_info[0]}", f"python{sys.version_info[0]}.{sys.version_info[1]}"}
    return exe in bare or Path(exe).resolve() == Path(sys.executable).resolve()


def kernel_name() -> str:
    """The kernel to run notebooks with: ``python3`` when it resolves to this interpreter;
    otherwise a project-local kernelspec ``gihi`` is installed into ``<sys.prefix>/share/jupyter``
    (pointing at ``sys.executable``) and used."""
    if _python_kernel_ok(KERNEL):
        return KERNEL
    if not _python_kernel_ok(LOCAL_KERNEL):
        from jupyter_client.kernelspec import KernelSpecManager
        d = Path(sys.prefix) / "share" / "jupyter" / "kernels" / LOCAL_KERNEL
        d.mkdir(parents=True, exist_ok=True)
        spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (gihi)", "language": "python"}
        (d / "kernel.json").write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
        KernelSpecManager().get_kernel_spec(LOCAL_KERNEL)  # raises if still not found
    return LOCAL_KERNEL


_ENV_LOCK = threading.Lock()
_ENV_USERS = 0
_ENV_SAVED: dict[str, str | None] = {}


@contextmanager
def _kernel_env():
    """Put the repository root on the kernel's PYTHONPATH (``import gihi`` without installing)
    and silence frozen-module debugger notes; restore the environment when the last concurrent
    user leaves (chapters may run in parallel threads)."""
    global _ENV_USERS, _ENV_SAVED
    with _ENV_LOCK:
        if _ENV_USERS == 0:
            _ENV_SAVED = {k: os.environ.get(k) for k in ("PYTHONPATH", "PYDEVD_DISABLE_FILE_VALIDATION")}
            parts = [str(ROOT)] + [p for p in (_ENV_SAVED["PYTHONPATH"] or "").split(os.pathsep) if p and p != str(ROOT)]
            os.environ["PYTHONPATH"] = os.pathsep.join(parts)
            os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
        _ENV_USERS += 1
    try:
        yield
    finally:
        with _ENV_LOCK:
            _ENV_USERS -= 1
            if _ENV_USERS == 0:
                for k, v in _ENV_SAVED.items():
                    if v is None:
                        os.environ.pop(k, None)
                    else:
                        os.environ[k] = v


# --------------------------------------------------------------------------- checks and scrubbing

def notebook_problems(nb, chapter: str = "?", strict: bool = True) -> list[ChapterExecutionError]:
    """Error outputs (and, if ``strict``, stderr streams) of an executed notebook."""
    out = []
    for i, cell in enumerate(nb.cells):
        for o in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if o.get("output_type") == "error":
                out.append(ChapterExecutionError(chapter, i, o.get("ename", "Error"), o.get("evalue", ""),
                                                 "\n".join(o.get("traceback", []))))
            elif strict and o.get("output_type") == "stream" and o.get("name") == "stderr":
                text = "".join(o.get("text", "")).strip()
                out.append(ChapterExecutionError(chapter, i, "stderr", text.splitlines()[0] if text else "(empty)", text))
    return out


def scrub(nb):
    """Drop volatile metadata in place (timestamps, durations, paths, kernel versions)."""
    meta = nb.metadata
    for k in list(meta):
        if k not in KEEP_NB_METADATA:
            del meta[k]
    if "language_info" in meta:
        li = meta["language_info"]
        for k in list(li):
            if k not in KEEP_LANGUAGE_INFO:
                del li[k]
    for cell in nb.cells:
        for k in ("execution", "papermill", "collapsed", "scrolled"):
            cell.metadata.pop(k, None)
        cell.pop("id", None)
    nb.nbformat_minor = min(nb.get("nbformat_minor", 4), 4)  # cell ids (random) belong to 4.5+
    return nb


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)


#: nbconvert template of the HTML copies (templates/notebook/gihi: lab, with contents and folded code)
HTML_TEMPLATES = ROOT / "templates" / "notebook"
HTML_TEMPLATE = "gihi"
TOC_TITLE = "目录 · Contents"
TOC_DEPTH = 3
_HEADING = re.compile(r'<h([1-6]) id="([^"]+)">(.*?)<a class="anchor-link"', re.S)


def notebook_toc(nb, depth: int = TOC_DEPTH) -> list[tuple[int, str, str]]:
    """``(level, anchor, text)`` of the headings of ``nb``'s Markdown cells down to ``depth``, with
    the anchors nbconvert gives them (its own Markdown renderer makes both)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune
    out = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for level, anchor, inner in _HEADING.findall(markdown2html_mistune(cell.source)):
            if int(level) <= depth:
                out.append((int(level), anchor, html.unescape(re.sub(r"<[^>]+>", "", inner)).strip()))
    return out


def export_html(nb, title: str) -> str:
    """HTML copy of an executed notebook: the lab look, no prompts, a table of contents of its
    headings, code cells folded under their first line (``templates/notebook/gihi``)."""
    from nbconvert import HTMLExporter
    exporter = HTMLExporter(template_name=HTML_TEMPLATE, extra_template_basedirs=[str(HTML_TEMPLATES)],
                            exclude_input_prompt=True, exclude_output_prompt=True)
    toc = notebook_toc(nb)
    heading = next((text for level, _, text in toc if level == 1), title)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": heading}, "gihi_toc": toc,
                                                        "gihi_toc_title": TOC_TITLE})
    return body


# --------------------------------------------------------------------------- the pipeline

def notebook_path(name: str) -> Path:
    if name not in CHAPTERS:
        raise KeyError(f"unknown chapter {name!r}; chapters: {', '.join(CHAPTERS)}")
    return NOTEBOOKS_DIR / f"{name}.ipynb"


def warm_kernel() -> "WarmKernel":
    """A :class:`gihi.pipeline.kernels.WarmKernel` started as :func:`execute_chapter` starts its kernels
    (which it does inside :func:`_kernel_env`)."""
    from gihi.pipeline.kernels import WarmKernel
    return WarmKernel(kernel_name(), start_timeout=START_TIMEOUT, cwd=str(ROOT), extra_arguments=KERNEL_ARGS)


def execute_chapter(name: str, year: int, data_dir=None, output_dir=None, *, lang: str = "bi",
                    edition_store=None, strict: bool = True, html: bool = True, timeout: int | None = 600,
                    kernel=None) -> Path:
    """Execute ``notebooks/<name>.ipynb`` for ``year``; returns the executed notebook's path
    (``<output_dir>/<year>/notebooks/<name>.ipynb``; the HTML copy sits next to it).

    ``data_dir`` / ``output_dir`` default to the repository's ``data/`` and ``output/`` (relative
    paths are taken from the working directory). ``edition_store``: an edition saved by the
    data step, which the notebook then reads instead of computing. Raises :class:`ChapterExecutionError` if a cell
    fails (or, when ``strict``, writes to stderr); the failing notebook is still written, with a
    ``.failed.ipynb`` suffix, for inspection. ``kernel``: a :func:`warm_kernel` to run in (reset
    first) instead of a fresh kernel (:mod:`gihi.pipeline.kernels`).
    """
    from papermill.execute import prepare_notebook_metadata, remove_error_markers
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    src = notebook_path(name)
    data_dir, output_dir = resolve(data_dir, DATA_DIR), resolve(output_dir, OUTPUT_DIR)
    out_dir = output_dir / str(year) / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    out_path = out_dir / f"{name}.ipynb"

    # 1. load; 2. parameterize (paths inside the repository are passed relative to its root)
    nb = load_notebook_node(str(src))
    params = {"year": int(year), "data_dir": _shown(data_dir), "output_dir": _shown(output_dir), "lang": lang,
              "edition_store": None if edition_store is None else _shown(resolve(edition_store, OUTPUT_DIR))}
    kname = kernel_name()
    nb = parameterize_notebook(nb, params, kernel_name=kname, language="python")
    nb = prepare_notebook_metadata(nb, str(src), str(out_path))
    nb = remove_error_markers(nb)
    # 3. execute with the kernel's working directory the repository root (set per kernel, not by
    #    chdir, so that chapters can run in parallel threads; no intermediate saves: output_path=None)
    from gihi.pipeline.kernels import KernelResetError, execute
    try:
        with _kernel_env():
            nb = execute(nb, kname, cwd=ROOT, warm=kernel, input_path=str(src), output_path=None,
                         progress_bar=False, log_output=False, start_timeout=START_TIMEOUT,
                         execution_timeout=timeout, extra_arguments=KERNEL_ARGS)
    except KernelResetError as e:
        raise ChapterExecutionError(name, None, type(e).__name__, str(e)) from e
    scrub(nb)
    # 4. raise for errors (the failing notebook is kept for inspection)
    problems = notebook_problems(nb, name, strict=strict)
    if problems:
        _write_text(out_dir / f"{name}.failed.ipynb", nbformat.writes(nb))
        raise problems[0]
    # 5. write notebook and HTML
    _write_text(out_path, nbformat.writes(nb) + "\n")
    failed = out_dir / f"{name}.failed.ipynb"
    if failed.exists():
        failed.unlink()
    if html:
        _write_text(out_dir / f"{name}.html", export_html(nb, name))
    return out_path


def execute_parallel(chapters: list[str], jobs: int, year: int, data_dir=None, output_dir=None, **kwargs):
    """Execute ``chapters`` (in this order) on ``jobs`` threads; yields ``(chapter, seconds)`` or
    ``(chapter, exception)`` as each ends. Each thread runs its chapters one after another in its
    own :func:`warm_kernel`, shut down (in that thread) when the queue is empty. If the caller
    stops early (an exception, Ctrl-C), the threads take no new chapter and their kernels are
    shut down before it returns."""
    import queue
    import time
    todo: queue.SimpleQueue = queue.SimpleQueue()
    for ch in chapters:
        todo.put(ch)
    done: queue.SimpleQueue = queue.SimpleQueue()
    stop = threading.Event()

    def worker() -> None:
        kernel = warm_kernel()
        try:
            while not stop.is_set():
                try:
                    ch = todo.get_nowait()
                except queue.Empty:
                    return
                t = time.perf_counter()
                try:
                    execute_chapter(ch, year, data_dir, output_dir, kernel=kernel, **kwargs)
                    done.put((ch, time.perf_counter() - t))
                except Exception as e:  # noqa: BLE001 - handed to the caller with its chapter
                    done.put((ch, e))
        finally:
            kernel.shutdown()

    threads = [threading.Thread(target=worker, name=f"gihi-chapters-{i}", daemon=True)
               for i in range(max(1, min(jobs, len(chapters))))]
    for th in threads:
        th.start()
    try:
        for _ in chapters:
            yield done.get()
    finally:
        stop.set()
        for th in threads:
            th.join()


def _shown(p: Path) -> str:
    """A path as passed to the notebook: relative to the repository root when inside it."""
    try:
        return str(Path(p).resolve().relative_to(ROOT))
    except ValueError:
        return str(p)


def execute_all(year: int, data_dir=None, output_dir=None, **kwargs) -> list[Path]:
    """Execute every chapter notebook in order."""
    return [execute_chapter(name, year, data_dir, output_dir, **kwargs) for name in CHAPTERS]


def main(argv: list[str] | None = None) -> int:
    """``python -m gihi.pipeline.execute [--year Y] [chapter ...]``"""
    import argparse
    p = argparse.ArgumentParser(prog="python -m gihi.pipeline.execute", description="Execute GIHI chapter notebooks.")
    p.add_argument("chapters", nargs="*", help=f"chapters (default: all): {', '.join(CHAPTERS)}")
    p.add_argument("--year", type=int, default=2023)
    p.add_argument("--data-dir", default=None)
    p.add_argument("--output-dir", default=None)
    p.add_argument("--lang", default="bi", choices=("zh", "en", "bi"))
    a = p.parse_args(argv)
    try:
        for name in a.chapters or list(CHAPTERS):
            print(execute_chapter(name, a.year, a.data_dir, a.output_dir, lang=a.lang))
    except ChapterExecutionError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())


__all__ = ["ChapterExecutionError", "execute_chapter", "warm_kernel", "execute_parallel", "execute_all", "kernel_name", "notebook_problems", "scrub",
           "export_html"]
