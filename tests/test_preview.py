"""gihi.pipeline.preview, driven through real HTTP requests on 127.0.0.1: the page is the assembled
edition; an editor's save rebuilds the chapter and the page reloads with the new text; a bad edit
shows its error above the last good page; nothing outside the preview's folder is written."""
from __future__ import annotations

import json
import os
import shutil
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from _pdf_fixtures import pdf_bundles  # noqa: F401  (session fixture: the 2023 bundles)
from gihi.core.hashing import files_under
from gihi.pipeline.preview import HOST, VERSION_PATH, Preview, follow, serve

# the page is assembled from every chapter's bundle: the session fixture builds them all
pytestmark = pytest.mark.e2e

YEAR = 2023
SENTENCE = "A paragraph an editor has just saved, shown in the preview."


def get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.headers["Content-Type"], r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers["Content-Type"], e.read()


def version(base: str) -> dict:
    return json.loads(get(base + VERSION_PATH)[2])


def wait_for_version(base: str, after: int, timeout: float = 300) -> dict:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = version(base)
        if v["version"] > after:
            return v
        time.sleep(0.2)
    raise AssertionError(f"the preview did not update within {timeout} s")


@pytest.fixture
def running(pdf_bundles, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(pdf_bundles.real, out, copy_function=os.link)   # the last build's bundles and figure cache
    before = {p: p.stat().st_mtime_ns for p in files_under(out / str(YEAR))}
    content = tmp_path / "content"
    (content / str(YEAR)).mkdir(parents=True)
    preview = Preview(pdf_bundles.edition, "en", out, content_dir=content, log=lambda _: None)
    preview.start()
    server = serve(preview, 0)
    stop = threading.Event()
    follow(preview, stop, every=0.2)
    try:
        yield preview, f"http://{HOST}:{server.server_address[1]}", content, out, before
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_preview_serves_reloads_after_an_edit_and_shows_errors(running):
    preview, base, content, out, before = running
    assert base.startswith("http://127.0.0.1:")

    status, ctype, body = get(base + "/")
    page = body.decode("utf-8")
    assert status == 200 and ctype.startswith("text/html")
    assert "Science Centre" in page or "Science centre" in page
    assert VERSION_PATH in page and SENTENCE not in page
    figure = next(s for s in page.split('src="')[1:] if s.startswith("chapters/")).split('"')[0]
    status, ctype, svg = get(f"{base}/{figure}")
    assert status == 200 and ctype == "image/svg+xml" and svg.lstrip().startswith(b"<")
    assert get(base + "/../../etc/passwd")[0] == 404 and get(base + "/edition/edition.json")[0] == 404

    v0 = version(base)["version"]
    edit = content / str(YEAR) / "02_science" / "overview.en.md"
    edit.parent.mkdir()
    edit.write_text(f"---\nmode: append\n---\n{SENTENCE}\n", encoding="utf-8")
    v1 = wait_for_version(base, v0)
    assert v1["error"] is None
    assert SENTENCE in get(base + "/")[2].decode("utf-8")

    edit.write_text(f"---\nmode: sideways\n---\n{SENTENCE} Twice.\n", encoding="utf-8")
    v2 = wait_for_version(base, v1["version"])
    assert "sideways" in v2["error"] and "overview.en.md" in v2["error"]
    page = get(base + "/")[2].decode("utf-8")
    assert 'id="gihi-preview-error"' in page and SENTENCE in page and "Twice." not in page

    # the build's outputs are untouched: the preview works in <output>/.preview/
    after = {p: p.stat().st_mtime_ns for p in files_under(out / str(YEAR))}
    assert after == before
    assert (out / ".preview" / str(YEAR) / "chapters" / "02_science" / "bundle.json").is_file()


def test_preview_binds_to_localhost_only(running):
    _, base, _, _, _ = running
    assert base.split("//")[1].split(":")[0] == "127.0.0.1"
