"""Numbers that say what they claim.

A :class:`Fact` is an ``int`` or ``float`` that also carries the city, the measure (a level of
the index such as ``composite`` or ``A2``, or an indicator code) and the edition year it states.
It behaves as the plain number everywhere (arithmetic, comparisons, formatting, JSON), so a
chapter's context can hold Facts where it held numbers; arithmetic on a Fact gives a plain number,
which claims nothing.

The narrative filters (:mod:`gihi.report.narrative`) can mark the text of every Fact they print
(:func:`gihi.report.narrative.render_claims`); :func:`claim_sites` then reads, for each printed
Fact, the text it was printed as and the city named nearest before it in the same sentence. A
test checks both against values computed independently of the narrative code: a number printed
next to the wrong city, or a value of the wrong city or measure, fails.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

#: marks around a printed Fact in claim mode: OPEN index SEP text CLOSE (private-use characters)
OPEN, SEP, CLOSE = "\ue000", "\ue001", "\ue002"
_MARK = re.compile(f"{OPEN}(\\d+){SEP}(.*?){CLOSE}", re.S)
#: marks around a printed Label in claim mode: LABEL_OPEN text LABEL_CLOSE
LABEL_OPEN, LABEL_CLOSE = "\ue003", "\ue004"
_LABEL = re.compile(f"{LABEL_OPEN}(.*?){LABEL_CLOSE}", re.S)
# a sentence ends at a full stop, semicolon, question or exclamation mark (ASCII ones before a
# space) outside parentheses: "Delhi (cluster Delhi; 80th in GIHI)" is one sentence about Delhi
_PROSE = re.compile(r"[(（]|[)）]|[。；！？]|[.;!?](?=\s|$)")


class _Claim:
    city: str | None
    measure: str
    year: int | None

    def __reduce__(self):
        return (fact, (self.__class__.__mro__[2](self), self.city, self.measure, self.year))

    @property
    def about(self) -> str:
        return f"{self.city or '-'}/{self.measure}/{self.year or 'this edition'}"


class FactInt(_Claim, int):
    """An integer (a rank, a count) with what it claims."""


class FactFloat(_Claim, float):
    """A real number (a score, a value) with what it claims."""


Fact = (FactInt, FactFloat)


def fact(value: Any, city: str | None, measure: str, year: int | None = None):
    """``value`` as a Fact about ``city``'s ``measure`` in ``year`` (None: the edition's own year).
    Integers (Python or numpy) become :class:`FactInt`, other numbers :class:`FactFloat`."""
    is_int = isinstance(value, int) or (hasattr(value, "dtype") and value.dtype.kind in "iu")
    out = FactInt(int(value)) if is_int else FactFloat(float(value))
    out.city, out.measure, out.year = city, str(measure), (None if year is None else int(year))
    return out


class LabelInt(int):
    """An integer printed as a label, declared by its template to claim nothing (the ends of a
    range of places, "places 2nd to 5th"; a year naming a period)."""


class LabelFloat(float):
    """A real number printed as a label (see :class:`LabelInt`)."""


def plain(x: Any) -> Any:
    """``x`` as a bare number (a Fact loses what it claims); anything else unchanged."""
    if isinstance(x, FactInt):
        return int(x)
    if isinstance(x, FactFloat):
        return float(x)
    return x


def label(x: Any) -> Any:
    """``x`` as a :class:`LabelInt` or :class:`LabelFloat`: a number its template declares to
    claim nothing (the narrative's ``plain`` filter). Anything not a number is returned unchanged."""
    if isinstance(x, bool) or not isinstance(x, (int, float)) and not hasattr(x, "dtype"):
        return x
    is_int = isinstance(x, int) or (hasattr(x, "dtype") and x.dtype.kind in "iu")
    return LabelInt(int(x)) if is_int else LabelFloat(float(x))


def is_fact(x: Any) -> bool:
    return isinstance(x, Fact)


def is_label(x: Any) -> bool:
    return isinstance(x, (LabelInt, LabelFloat))


def mark(index: int, text: str) -> str:
    return f"{OPEN}{index}{SEP}{text}{CLOSE}"


def mark_label(text: str) -> str:
    return f"{LABEL_OPEN}{text}{LABEL_CLOSE}"


def unmark(html: str) -> str:
    """The text as printed: every mark removed, the printed number kept."""
    return _LABEL.sub(lambda m: m.group(1), _MARK.sub(lambda m: m.group(2), html))


def unclaimed(html: str) -> str:
    """Marked html with every printed Fact and Label taken out: the numbers still in it were
    printed as neither (a bare number from the context, or typed in the template)."""
    return _LABEL.sub("", _MARK.sub("", html))


@dataclass(frozen=True)
class Site:
    """Where a Fact was printed: its index in the render's list, the text printed for it, and the
    city named nearest before it in the same sentence (``None``: no city named there)."""

    index: int
    text: str
    named_before: str | None
    sentence: str


class _Sites(HTMLParser):
    """Walk marked HTML: names (``span.name``) and marks in document order, sentence by sentence."""

    BLOCKS = {"p", "li", "h4", "h5", "blockquote", "div", "ul", "ol"}

    def __init__(self, city_of_name: dict[str, str]):
        super().__init__(convert_charrefs=True)
        self.city_of_name = city_of_name
        self.sites: list[Site] = []
        self._in_name = 0
        self._name = ""
        self._last_city: str | None = None
        self._sentence = ""
        self._depth = 0   # parentheses open in the sentence

    def _end_sentence(self):
        self._last_city, self._sentence, self._depth = None, "", 0

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._end_sentence()
        if tag == "span" and "name" in (dict(attrs).get("class") or "").split():
            self._in_name, self._name = 1, ""
        elif self._in_name:
            self._in_name += 1

    def handle_endtag(self, tag):
        if self._in_name:
            self._in_name -= 1
            if not self._in_name:
                name = unmark(self._name).strip()
                self._sentence += name
                if name in self.city_of_name:
                    self._last_city = self.city_of_name[name]
            return
        if tag in self.BLOCKS:
            self._end_sentence()

    def handle_data(self, data):
        if self._in_name:
            self._name += data
            return
        pos = 0
        for m in _MARK.finditer(data):
            self._prose(data[pos:m.start()])
            self._sentence += m.group(2)
            self.sites.append(Site(int(m.group(1)), m.group(2), self._last_city, self._sentence))
            pos = m.end()
        self._prose(data[pos:])

    def _prose(self, text: str):
        pos = 0
        for m in _PROSE.finditer(text):
            mark = m.group()
            if mark in "(（":
                self._depth += 1
            elif mark in ")）":
                self._depth = max(0, self._depth - 1)
            elif not self._depth:
                self._end_sentence()
                pos = m.end()
                continue
            self._sentence += text[pos:m.end()]
            pos = m.end()
        self._sentence += text[pos:]


def claim_sites(marked_html: str, city_of_name: dict[str, str]) -> list[Site]:
    """Every printed Fact of ``marked_html`` (:func:`gihi.report.narrative.render_claims`), in
    order, with the city named nearest before it in its sentence; ``city_of_name`` maps each
    printed city name (either language) to its id."""
    p = _Sites(city_of_name)
    p.feed(marked_html)
    p.close()
    return p.sites
