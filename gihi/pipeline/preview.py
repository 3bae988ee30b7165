"""Preview an edition as HTML while editing: ``report_build.py --year Y --preview``.

The page is the edition assembled from the chapter bundles by the same templates as the PDF
(:func:`gihi.publish.assemble.edition_html`), served on ``127.0.0.1`` only. Every half second the
preview looks at what editors change — ``content/<year>/<chapter>/`` (their commentary), the
narrative templates, the notebooks, the report templates — and when a file changes it rebuilds
the chapters concerned in this process (:func:`gihi.report.recipe.build`; unchanged figures come
from the figure cache), assembles the page again and tells the browser to reload. A change that
fails (a bad front matter, a template error) leaves the last good page up with the error above it.

The preview works in ``<output_dir>/.preview/``: it starts from the bundles of the last build
(``<output_dir>/<year>/chapters/``, hard-linked) or builds them, and it never writes into the
build's own outputs. A change to the data themselves needs the build (``report_build.py --year
Y``): the preview says so and keeps showing the edition it opened.
"""
from __future__ import annotations

import html
import json
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from gihi.core.hashing import hash_paths
from gihi.core.paths import PREVIEW, ROOT
from gihi.model.edition import Edition
from gihi.publish.assemble import edition_html
from gihi.report.chapters import CHAPTERS
from gihi.report.recipe import build as build_chapter

HOST = "127.0.0.1"
VERSION_PATH = "/__gihi/version"
POLL_SECONDS = 0.5
#: narrative templates every chapter may use
SHARED_TEMPLATES = ("templates/narrative/_shared", "templates/narrative/_pillar")
RELOAD = """<script>
(function () {{
  var seen = {version};
  setInterval(function () {{
    fetch("{path}").then(function (r) {{ return r.json(); }})
      .then(function (s) {{ if (s.version !== seen) {{ location.reload(); }} }})
      .catch(function () {{}});
  }}, 1000);
}})();
</script>"""


@dataclass
class Preview:
    """The preview of one edition: what it serves (:meth:`page`) and how it follows edits (:meth:`poll`)."""

    ed: Edition
    lang: str
    output_dir: Path                   # the build's output directory; the preview works in its .preview/
    content_dir: Path = ROOT / "content"
    root: Path = ROOT                  # where notebooks/ and templates/ are
    log: Callable[[str], None] = print
    version: int = 0
    error: str | None = None
    html: str = ""
    _seen: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def work(self) -> Path:
        return Path(self.output_dir) / PREVIEW

    @property
    def year_dir(self) -> Path:
        return self.work / str(self.ed.year)

    # ---- what each chapter's text depends on -------------------------------------------------

    def sources(self) -> dict[str, str]:
        """A hash per chapter of the files its text is made from, and one of the report templates."""
        r, year = self.root, self.ed.year
        shared = hash_paths([r / p for p in SHARED_TEMPLATES], r)
        out = {ch: hash_paths([Path(self.content_dir) / str(year) / ch, r / "templates" / "narrative" / ch,
                               r / "notebooks" / f"{ch}.ipynb"], r) + shared for ch in CHAPTERS}
        out["report"] = hash_paths([r / "templates" / "report"], r)
        return out

    # ---- building ----------------------------------------------------------------------------

    def start(self) -> None:
        """The bundles of the last build (hard-linked), else every chapter built here; then the page."""
        built = Path(self.output_dir) / str(self.ed.year) / "chapters"
        target = self.year_dir / "chapters"
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        if built.is_dir() and all((built / ch / "bundle.json").is_file() for ch in CHAPTERS):
            shutil.copytree(built, target, copy_function=_link_or_copy)
            self._seen = self.sources()
            changed = []
        else:
            self._seen = {}
            changed = list(CHAPTERS)
        self._rebuild(changed, first=True)

    def poll(self) -> list[str]:
        """Rebuild what changed since the last look; returns the chapters rebuilt."""
        now = self.sources()
        changed = [ch for ch in CHAPTERS if now.get(ch) != self._seen.get(ch)]
        report = now.get("report") != self._seen.get("report")
        self._seen = now
        if changed or report:
            self._rebuild(changed)
        return changed

    def _rebuild(self, chapters: list[str], first: bool = False) -> None:
        t = time.perf_counter()
        try:
            for ch in chapters:
                self.log(f"preview: rebuilding {ch}")
                build_chapter(ch, self.ed, self.work, lang="bi", content_dir=Path(self.content_dir))
            page = edition_html(self.ed, self.lang, self.work)
        except Exception as e:  # noqa: BLE001 - shown on the page; the last good page stays
            with self._lock:
                self.error = f"{type(e).__name__}: {e}"
                self.version += 1
            self.log(f"preview: {self.error}")
            return
        with self._lock:
            self.html, self.error = page, None
            self.version += 1
        if not first:
            self.log(f"preview: updated in {time.perf_counter() - t:.1f} s ({', '.join(chapters) or 'report templates'})")

    # ---- serving -----------------------------------------------------------------------------

    def page(self) -> bytes:
        """The page: the edition's HTML, the error of the last change if it failed, the reload script."""
        with self._lock:
            body, error, version = self.html, self.error, self.version
        extra = RELOAD.format(version=version, path=VERSION_PATH)
        if error:
            extra = (f'<div id="gihi-preview-error" style="position:fixed;top:0;left:0;right:0;z-index:9;'
                     f'background:#8a1c1c;color:#fff;padding:8px 12px;font:13px sans-serif;white-space:pre-wrap">'
                     f"{html.escape(error)}</div>" + extra)
        at = body.rfind("</body>")
        at = at if at >= 0 else len(body)
        return (body[:at] + extra + body[at:]).encode("utf-8")

    def status(self) -> bytes:
        with self._lock:
            return json.dumps({"version": self.version, "error": self.error}).encode("utf-8")

    def file(self, url_path: str) -> Path | None:
        """The file a page URL names (figures: ``chapters/<chapter>/figures/…``), only inside the year's folder."""
        p = (self.year_dir / url_path.lstrip("/")).resolve()
        base = self.year_dir.resolve()
        return p if p.is_file() and base in p.parents else None


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".css": "text/css", ".html": "text/html; charset=utf-8"}


def handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:   # noqa: N802 (http.server's name)
            path = self.path.split("?", 1)[0]
            if path in ("/", "/index.html"):
                self._send(200, "text/html; charset=utf-8", preview.page())
            elif path == VERSION_PATH:
                self._send(200, "application/json", preview.status())
            else:
                f = preview.file(path)
                if f is None:
                    self._send(404, "text/plain; charset=utf-8", b"not found")
                else:
                    self._send(200, TYPES.get(f.suffix, "application/octet-stream"), f.read_bytes())

        def _send(self, code: int, ctype: str, body: bytes) -> None:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:   # quiet: the terminal shows rebuilds, not requests
            pass

    return Handler


def serve(preview: Preview, port: int = 8000) -> ThreadingHTTPServer:
    """A server for ``preview`` on ``127.0.0.1:port`` (0: any free port), running in a thread."""
    server = ThreadingHTTPServer((HOST, port), handler(preview))
    threading.Thread(target=server.serve_forever, name="gihi-preview", daemon=True).start()
    return server


def follow(preview: Preview, stop: threading.Event, every: float = POLL_SECONDS) -> threading.Thread:
    """Poll for edits in a thread until ``stop`` is set."""
    def loop() -> None:
        while not stop.wait(every):
            preview.poll()
    t = threading.Thread(target=loop, name="gihi-preview-watch", daemon=True)
    t.start()
    return t


def run(ed: Edition, lang: str, output_dir: Path, port: int = 8000, *, log: Callable[[str], None] = print) -> None:
    """Serve the preview until Ctrl-C (the command line's ``--preview``)."""
    preview = Preview(ed, lang, Path(output_dir), log=log)
    log(f"preview: assembling the {lang} edition of {ed.year} …")
    preview.start()
    server = serve(preview, port)
    stop = threading.Event()
    follow(preview, stop)
    log(f"preview: http://{HOST}:{server.server_address[1]}/ (reloads when you save; Ctrl-C to stop)")
    try:
        while True:
            time.sleep(3600)
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


__all__ = ["Preview", "serve", "follow", "run", "HOST", "VERSION_PATH"]
