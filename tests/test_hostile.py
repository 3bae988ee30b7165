"""Hostile content: text in the data, captions or editor commentary is only ever text.

HTML, ``<script>``, CSS and ``url(...)`` in a city name, a caption or an editor's Markdown end up
as literal characters on the page (jinja2 autoescape; editor Markdown sanitised by nh3), and
WeasyPrint may read only files inside the report templates and the year's output directory
(:class:`gihi.publish.render.ProjectFetcher`): no network, no ``file://`` elsewhere, nothing executed.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pypdf
import pytest

from gihi.publish import render
from gihi.publish.assemble import edition_html
from gihi.report.recipe import build
from gihi.report.narrative import markdown_to_html

YEAR = 2023
CHAPTER = "07_methods"


@pytest.fixture(scope="module")
def bundles(tmp_path_factory, real_edition) -> Path:
    """The output directory holding the real 2023 bundle of :data:`CHAPTER` (built once here), its
    figures replaced by light SVGs of the same size (WeasyPrint draws the charts slowly; the
    figures play no part here)."""
    out = tmp_path_factory.mktemp("hostile")
    build(CHAPTER, real_edition, output_dir=out)
    for svg in (out / str(YEAR) / "chapters" / CHAPTER).glob("figures/*.svg"):
        head = re.search(r"<svg\b[^>]*>", svg.read_text(encoding="utf-8")[:4000], re.S).group(0)
        size = dict(re.findall(r'(width|height|viewBox)="([^"]*)"', head))
        svg.write_text(f'<svg xmlns="http://www.w3.org/2000/svg" width="{size["width"]}" height="{size["height"]}" '
                       f'viewBox="{size.get("viewBox", "0 0 10 10")}"><rect width="100%" height="100%" fill="#eee"/></svg>',
                       encoding="utf-8")
    return out

HOSTILE = ('<script>alert("x")</script><img src="http://198.51.100.7/p.png">'
           '<style>body{background:url(file:///etc/passwd)}</style> url(http://198.51.100.7/x.css) & "q"')


def _tamper(src: Path, dst: Path, chapter: str) -> None:
    """Copy the bundles of ``chapter`` and put :data:`HOSTILE` into a table cell, a caption, a
    section title and (as editor Markdown turned into HTML) a narrative."""
    shutil.copytree(src / str(YEAR) / "chapters" / chapter, dst / str(YEAR) / "chapters" / chapter)
    p = dst / str(YEAR) / "chapters" / chapter / "bundle.json"
    b = json.loads(p.read_text(encoding="utf-8"))
    t = b["tables"][0]
    key = next(c["key"] for c in t["columns"] if c.get("lang") == "en" or c.get("format") == "text")
    t["rows"][0][key] = HOSTILE
    t["caption"]["en"] = "Caption " + HOSTILE
    b["sections"][0]["title"]["en"] = "Title " + HOSTILE
    b["sections"][0]["narrative"]["en"] += markdown_to_html("Editor note " + HOSTILE)
    p.write_text(json.dumps(b, ensure_ascii=False), encoding="utf-8")


def test_hostile_strings_are_text_and_nothing_is_fetched(bundles, real_edition, tmp_path, monkeypatch):
    chapter = CHAPTER
    _tamper(bundles, tmp_path, chapter)
    html = edition_html(real_edition, "en", tmp_path, chapters=[chapter])
    assert "<script>" not in html and "<img src=\"http" not in html and "<style>body{background" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html   # escaped, in the table cell

    fetchers = []
    real = render.ProjectFetcher

    def spy(roots):
        f = real(roots)
        fetchers.append(f)
        return f

    monkeypatch.setattr(render, "ProjectFetcher", spy)
    out = render.render_pdf(html, tmp_path / str(YEAR), tmp_path / "hostile.pdf", lang="en", year=YEAR)
    assert fetchers and fetchers[0].refused == []   # no URL of the hostile text was even asked for
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    flat = " ".join(text.split())
    assert '<script>alert("x")</script>' in flat    # shown literally (cell, caption, title)
    assert "url(http://198.51.100.7/x.css)" in flat
    assert "Editor note" in flat   # the sanitised commentary is there, its markup gone


def test_editor_markdown_is_sanitised():
    h = markdown_to_html("x " + HOSTILE + " [a](javascript:alert(1)) <a href='file:///etc/passwd'>f</a>")
    assert "<script" not in h and "<img" not in h and "<style" not in h and "javascript:" not in h
    assert "file:///etc/passwd" not in h


@pytest.mark.parametrize("url", [
    "http://198.51.100.7/x.png", "https://example.org/a.css", "data:text/css,body{}", "data:image/svg+xml,<svg/>",
    "file:///etc/passwd", "file://remote-host/share/x.svg", "ftp://198.51.100.7/x",
])
def test_fetcher_refuses_anything_outside_the_project(url, tmp_path):
    f = render.ProjectFetcher([tmp_path])
    with pytest.raises(ValueError, match="refused to fetch"):
        f.fetch(url)
    assert f.refused == [url]


def test_fetcher_reads_files_inside_its_roots_only(tmp_path):
    inside = tmp_path / "ok" / "a.svg"
    inside.parent.mkdir()
    inside.write_text("<svg/>")
    f = render.ProjectFetcher([tmp_path / "ok"])
    r = f.fetch(inside.as_uri())
    r.close()
    assert f.refused == []
    (tmp_path / "secret.txt").write_text("x")
    with pytest.raises(ValueError):
        f.fetch("file://" + str(tmp_path / "ok") + "/../secret.txt")
    r = f.fetch("data:image/png;base64,iVBORw0KGgo=")   # inline image: nothing is fetched
    r.close()


def test_a_hostile_url_in_the_document_fails_the_render(tmp_path):
    html = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>'
            '<img src="http://198.51.100.7/p.png"><p>x</p></body></html>')
    with pytest.raises(render.RenderError, match="198.51.100.7"):
        render.render_pdf(html, tmp_path, tmp_path / "x.pdf", lang="en", year=YEAR)
    assert not (tmp_path / "x.pdf").exists()
