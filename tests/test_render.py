"""Rendering editions to PDF (gihi.publish.render): files, metadata, determinism, errors, real figures.

The tests of whole editions (the ``pdf_build`` and ``pdf_bundles`` fixtures: every chapter's bundle
built, the three editions rendered) are marked ``e2e``."""
from __future__ import annotations

import io
import os
import pickle
import re
import time

import pypdf
import pytest

from _pdf_fixtures import YEAR, pdf_build, pdf_bundles  # noqa: F401  (session fixtures)
from gihi.publish import render
from gihi.publish.assemble import edition_html
from gihi.publish.editions import EDITION_LANGS
from gihi.report.i18n import t

MINIMAL = '<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>x</title></head><body>{body}</body></html>'


def test_file_names():
    assert render.pdf_name(2023, "bi") == "GIHI-2023-bilingual.pdf"
    assert render.pdf_name(2023, "zh") == "GIHI-2023-zh.pdf"
    assert render.pdf_name(2023, "en") == "GIHI-2023-en.pdf"
    with pytest.raises(ValueError):
        render.pdf_name(2023, "fr")


def test_pdf_identifier_is_fixed_by_content():
    a = render.pdf_identifier("<html></html>", "en", 2023)
    assert a == render.pdf_identifier("<html></html>", "en", 2023) and len(a) == 32
    assert a != render.pdf_identifier("<html></html>", "zh", 2023) != render.pdf_identifier("<html> </html>", "en", 2023)


def test_render_edition_can_run_in_a_process_pool():
    # the build runs one edition per process: the function must pickle by reference
    assert pickle.loads(pickle.dumps(render.render_edition)) is render.render_edition


def test_wrong_html_lang_is_refused(tmp_path):
    with pytest.raises(ValueError, match="zh-CN"):
        render.render_pdf(MINIMAL.format(lang="en", body="x"), tmp_path, tmp_path / "x.pdf", lang="bi", year=YEAR)


def test_weasyprint_problems_are_errors_and_nothing_is_written(tmp_path):
    (tmp_path / "broken.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'><path d=", encoding="utf-8")
    out = tmp_path / "out" / "x.pdf"
    html = MINIMAL.format(lang="en", body='<p>x</p><img src="broken.svg"><img src="missing.svg">')
    with pytest.raises(render.RenderError) as e:
        render.render_pdf(html, tmp_path, out, lang="en", year=YEAR)
    assert any("broken.svg" in m for m in e.value.messages) and any("missing.svg" in m for m in e.value.messages)
    assert not out.exists() and list(out.parent.iterdir()) == []
    # an ignored CSS declaration is a problem too (a typo would otherwise pass silently)
    html = MINIMAL.format(lang="en", body="<p style='colour: red'>x</p>")
    with pytest.raises(render.RenderError, match="colour"):
        render.render_pdf(html, tmp_path, out, lang="en", year=YEAR)


def test_atomic_replace_keeps_no_temporary_files(tmp_path):
    out = tmp_path / "x.pdf"
    out.write_bytes(b"old")
    render.render_pdf(MINIMAL.format(lang="en", body="<p>new</p>"), tmp_path, out, lang="en", year=YEAR)
    assert out.read_bytes().startswith(b"%PDF-") and [p.name for p in tmp_path.iterdir()] == ["x.pdf"]


@pytest.mark.e2e
def test_three_editions_written(pdf_build):
    for lang in EDITION_LANGS:
        path = pdf_build.pdf(lang)
        assert path.is_file() and path.read_bytes()[:5] == b"%PDF-"
        assert path.stat().st_size <= render.MAX_BYTES
    print("fixture timings (s):", pdf_build.timings)


@pytest.mark.e2e
@pytest.mark.parametrize("lang", list(EDITION_LANGS))
def test_metadata(pdf_build, lang):
    reader = pypdf.PdfReader(pdf_build.pdf(lang))
    meta = reader.metadata
    langs = EDITION_LANGS[lang]
    assert meta.title == " / ".join(t("pdf.title", x, year=YEAR) for x in langs)
    assert meta.author == " / ".join(t("pdf.author", x) for x in langs)
    assert meta["/CreationDate"] == f"D:{YEAR}0101"  # a fixed date of the data, never the build time
    assert "/ModDate" not in meta
    assert reader.trailer["/Root"]["/Lang"] == {"bi": "zh-CN", "zh": "zh-CN", "en": "en"}[lang]
    # a fixed /ID, from the content: a hash of the laid-out parts' PDFs (render_book), and for the
    # editions with the profile pages appended, of those pages too; never random (the rerender
    # test: the same bytes twice)
    ident = [str(x) for x in reader.trailer["/ID"]]
    assert re.fullmatch(r"[0-9a-f]{32}", ident[0]) and ident[0] == ident[1]


@pytest.mark.e2e
def test_identifiers_differ_between_editions(pdf_build):
    idents = {lang: str(pypdf.PdfReader(pdf_build.pdf(lang)).trailer["/ID"][0]) for lang in EDITION_LANGS}
    assert len(set(idents.values())) == len(idents), idents


@pytest.mark.e2e
def test_rerender_is_byte_identical(pdf_build):
    # the fixture rendered the English edition twice, in two processes
    assert pdf_build.en_again.read_bytes() == pdf_build.pdf("en").read_bytes()


@pytest.mark.e2e   # the bundles of every chapter of the edition (pdf_bundles), though one chapter is rendered
def test_real_figures_render(pdf_bundles, tmp_path):
    """The real SVG figures of one chapter (three charts, text drawn as paths) render cleanly."""
    html = edition_html(pdf_bundles.edition, "en", pdf_bundles.real, chapters=["01_overview"])
    assert html.count("<img ") == 3
    out = render.render_pdf(html, pdf_bundles.real / str(YEAR), tmp_path / "ch1.pdf", lang="en", year=YEAR)
    reader = pypdf.PdfReader(out)
    # vector drawing, not a raster: the figure pages carry large content streams and no images
    assert max(len(p.get_contents().get_data()) for p in reader.pages) > 100_000
    subtypes = [x.get_object().get("/Subtype") for p in reader.pages
                for x in p.get("/Resources", {}).get("/XObject", {}).values()]
    assert "/Image" not in subtypes


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("GIHI_PDF_FULL"), reason="about a minute; set GIHI_PDF_FULL=1")
def test_full_bilingual_edition_with_real_figures(pdf_build, tmp_path):
    start = time.perf_counter()
    html = edition_html(pdf_build.edition, "bi", pdf_build.real)
    out = render.render_pdf(html, pdf_build.real / str(YEAR), tmp_path / "bi.pdf", lang="bi", year=YEAR)
    seconds = time.perf_counter() - start
    size = out.stat().st_size
    print(f"bilingual edition with real figures: {seconds:.1f} s, {size / 1e6:.2f} MB")
    assert size <= render.MAX_BYTES
    assert len(pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages) == len(pypdf.PdfReader(pdf_build.pdf("bi")).pages)


def test_errors_survive_the_trip_from_a_worker_process(tmp_path):
    # the build renders editions in worker processes: an error must unpickle in the parent,
    # or the pool breaks and the message is lost
    from gihi.publish.assemble import MissingBundleError
    for err in (render.RenderError(tmp_path / "x.pdf", ["ERROR: one", "WARNING: two"]),
                MissingBundleError("02_science", tmp_path)):
        back = pickle.loads(pickle.dumps(err))
        assert type(back) is type(err) and str(back) == str(err)
