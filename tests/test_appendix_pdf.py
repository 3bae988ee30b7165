"""append_appendix: a report and a separately rendered appendix become one PDF (links, bookmarks,
page labels, metadata, /ID), checked on two small WeasyPrint documents."""
from __future__ import annotations

import io

import pypdf
import pytest
from weasyprint import HTML

from gihi.publish.appendix_pdf import AppendixError, append_appendix, concatenate

CSS = "<style>@page { size: A6; } h1 { bookmark-level: 1; } h2 { bookmark-level: 2; } section { break-before: page; }</style>"


def _pdf(body: str, title: str = "Report") -> bytes:
    html = f'<html lang="en"><head><title>{title}</title><meta name="author" content="GIHI">{CSS}</head><body>{body}</body></html>'
    return HTML(string=html).write_pdf(pdf_identifier=b"0" * 32)


REPORT = _pdf('<section><h1>1 Chapter</h1><p>text</p></section>'
              '<section><h1>D City profiles</h1><a href="gihi-profile:b">Bravo</a> <a href="gihi-profile:a">Alpha</a>'
              ' <a href="https://example.org/">elsewhere</a></section>')
APPENDIX = _pdf('<section id="profile-a"><h2>Alpha</h2></section><section id="profile-b"><h2>Bravo</h2></section>'
                '<section id="profile-c"><h2>Charlie</h2></section>', title="Profiles")
KW = dict(bookmark="D City", label_prefix="D-", link_prefix="gihi-profile:", anchor="profile-{id}", identifier=b"f" * 32)


def _reader(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


@pytest.fixture(scope="module")
def merged() -> pypdf.PdfReader:
    return _reader(append_appendix(REPORT, APPENDIX, **KW))


def test_pages_and_labels(merged):
    assert len(merged.pages) == 5
    assert merged.page_labels == ["1", "2", "D-1", "D-2", "D-3"]
    assert "Charlie" in merged.pages[4].extract_text()


def test_links_go_to_the_appended_pages(merged):
    dests, uris = [], []
    for ref in merged.pages[1]["/Annots"]:
        a = ref.get_object()
        if "/Dest" in a:
            dests.append(merged.get_page_number(a["/Dest"][0].get_object()))
        else:
            uris.append(str(a["/A"]["/URI"]))
    assert dests == [3, 2]                       # Bravo, Alpha: in the order they appear
    assert uris == ["https://example.org/"]      # other links are left alone


def test_bookmarks_nest_under_the_appendix(merged):
    marks = merged.outline
    assert [m.title for m in marks if not isinstance(m, list)] == ["1 Chapter", "D City profiles"]
    children = marks[-1]
    assert [c.title for c in children] == ["Alpha", "Bravo", "Charlie"]
    assert [merged.get_destination_page_number(c) for c in children] == [2, 3, 4]
    root = merged.trailer["/Root"]["/Outlines"]
    assert root["/Count"] == 5 and root["/Last"]["/Count"] == 3


def test_named_destinations_metadata_and_id(merged):
    names = {k: merged.get_destination_page_number(v) for k, v in merged.named_destinations.items()}
    assert names["profile-a"] == 2 and names["profile-c"] == 4
    assert merged.metadata.title == "Report" and merged.metadata.author == "GIHI"
    assert merged.trailer["/Root"]["/Lang"] == "en"
    assert [x.original_bytes for x in merged.trailer["/ID"]] == [b"f" * 32] * 2


def test_same_inputs_same_bytes():
    assert append_appendix(REPORT, APPENDIX, **KW) == append_appendix(REPORT, APPENDIX, **KW)


def test_a_link_to_a_missing_page_is_an_error():
    short = _pdf('<section id="profile-a"><h2>Alpha</h2></section>')
    with pytest.raises(AppendixError, match=r"1 link\(s\) to a page the appendix does not have: page 2: gihi-profile:b"):
        append_appendix(REPORT, short, **KW)


def test_the_report_must_end_with_the_appendix_opener():
    with pytest.raises(AppendixError, match="not the appendix 'E Other'"):
        append_appendix(REPORT, APPENDIX, **{**KW, "bookmark": "E Other"})


def test_concatenate_keeps_pages_bookmarks_and_destinations():
    second = _pdf('<section id="profile-d"><h2>Delta</h2></section>', title="Profiles 2")
    joined = _reader(concatenate([APPENDIX, second], b"e" * 32))
    assert len(joined.pages) == 4 and "Delta" in joined.pages[3].extract_text()
    assert [(m.title, joined.get_destination_page_number(m)) for m in joined.outline] == \
        [("Alpha", 0), ("Bravo", 1), ("Charlie", 2), ("Delta", 3)]
    names = {k: joined.get_destination_page_number(v) for k, v in joined.named_destinations.items()}
    assert names["profile-a"] == 0 and names["profile-d"] == 3
    assert joined.metadata.title == "Profiles" and joined.trailer["/Root"]["/Lang"] == "en"
    assert [x.original_bytes for x in joined.trailer["/ID"]] == [b"e" * 32] * 2
    assert concatenate([APPENDIX, second], b"e" * 32) == concatenate([APPENDIX, second], b"e" * 32)
