"""Data-driven bilingual narrative: jinja2 templates → Markdown → sanitised HTML.

Every sentence of the report's prose is written by this project in
``templates/narrative/<chapter>/<section>.<lang>.md.j2`` and filled from a *context*: a plain
dict of computed results (numbers, ids, lists of records) built by the chapter module
(:mod:`gihi.report.chapters`). **A number is never typed into a template**: it comes from the context
and is formatted by one of the filters below, so that :func:`unmatched_numbers` can check that
every number in the generated text equals a computed value.

Pipeline (:func:`render_section`):

1. jinja2 renders the template with ``StrictUndefined`` (a missing context value is an error)
   and autoescaping on (values such as city names are HTML-escaped before they reach Markdown);
2. for ``zh`` the text is tidied (:func:`tidy_zh`): no space next to a Chinese character;
3. Markdown → HTML (python-markdown), then sanitised with nh3 (a small allow-list of tags).

Style decisions (documented in ``docs/bundle.md``):

* **zh** uses full-width punctuation （），。：；、 and **no spaces** between Chinese characters,
  nor between Chinese characters and digits or Latin letters (``北京以83.18分位列第3``);
  numbers of five or more integer digits are grouped by thousands (``26,638件``, ``1,178,373.97``),
  four-digit numbers are not (``4222件``), as GB/T 15835 recommends.
* **en** is British English: ordinals (``3rd``), ``rose 13 places`` / ``fell 1 place``, lists
  ``A, B and C``, thousands separators (``26,638``).
* Scores have 2 decimals, percentages 1 decimal unless a template asks otherwise; percentages
  are passed **in percent** (``75.9``), never as fractions.

Filters (all language-aware; the environment is built per language):
``score``, ``num(d)``, ``int``, ``pct(d)``, ``ordinal``, ``rank`` (zh ``第3``, en ``3rd``),
``places`` (``13 places`` / ``13位``), ``times`` (``2.6 times`` / ``2.6倍``), ``name`` (a
city or label — a ``{"zh", "en"}`` mapping picks the language — wrapped in
``<span class="name">``), ``tr`` (pick the language, no wrapping), ``code``
(``<span class="code">``), ``join`` (language list join), ``year``, ``plain`` (a
:mod:`~gihi.report.facts` Fact as a bare number, for a number that is not about the city named
before it: "take places 2nd to 5th").

Numbers inside names and codes (``Top-200 …``, ``G06N-0003``) are not data: :func:`narrative_numbers`
skips ``span.name``, ``span.code``, cross-references (``a.xref``) and editorial blocks
(``div.editorial``).

**Cross-references.** The global ``ref`` (``{{ ref('table02') }}``, ``{{ ref('fig05') }}``) writes
``<a class="xref xref-table" href="#table02">表2</a>`` (:func:`xref`): the link text is the printed
report's label (``表2`` / ``Table 2``, from the UI strings ``xref.table`` / ``xref.fig``), a fallback
for notebooks. The PDF stage (:mod:`gihi.publish.assemble`) points the link at the figure or table of the
assembled document and lets CSS (``target-counter``) print the number the PDF gives it.

**Editorial commentary.** ``content/<year>/<chapter>/<section>.<lang>.md`` (Markdown with a YAML
front matter ``mode: append`` or ``mode: replace``) is appended to, or replaces, the generated
text of that section and language (:func:`load_editorial`, :func:`section_narrative`). Editors
write plain Markdown; it is sanitised like the generated text and wrapped in
``<div class="editorial">``.
"""
from __future__ import annotations

import contextvars
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterable, Mapping

import jinja2
import markdown as md
import nh3
import numpy as np
import yaml
from markupsafe import Markup, escape

from gihi.report import facts, i18n
from gihi.core.paths import ROOT

TEMPLATES_DIR = ROOT / "templates" / "narrative"
CONTENT_DIR = ROOT / "content"
LANGS = ("zh", "en")
MODES = ("append", "replace")

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "span", "div", "br", "h4", "h5", "blockquote", "code", "sup", "sub", "a"}
ALLOWED_ATTRIBUTES = {"span": {"class"}, "div": {"class"}, "a": {"href", "title", "class"}}
SKIP_CLASSES = {"name", "code", "editorial", "xref"}
#: what ``ref()`` can point at: ``kind`` → id prefix (``fig05``, ``table02``)
XREF_KINDS = ("fig", "table")
_XREF_ID = re.compile(r"^(fig|table)(\d+)([a-z]?)$")

# CJK ideographs, CJK punctuation and full-width forms.
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]+|[ \t]+(?=[{_CJK}])")
# Tags are transparent for the spacing rule: "<span class="name">北京</span> 以" loses its space.
_SPACE_AFTER_TAG = re.compile(rf"(?<=>)[ \t]+(?=[{_CJK}])")
_SPACE_BEFORE_TAG = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=<)")
_NUMBER = re.compile(r"(?<![0-9A-Za-z.,])\d+(?:,\d{3})*(?:\.\d+)?")


class NarrativeError(ValueError):
    """A template or an editorial file cannot be rendered; the message names the file."""


# --------------------------------------------------------------------------- number formatting

def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")


def _finite(x) -> float:
    v = float(x)
    if not math.isfinite(v):
        raise ValueError(f"cannot format a non-finite number ({x!r}) in narrative")
    return v


#: zh groups the digits of numbers from this size on (GB/T 15835: four-digit numbers are not grouped)
ZH_GROUP_FROM = 10_000


def _grouped(v: float, lang: str) -> bool:
    return lang == "en" or abs(v) >= ZH_GROUP_FROM


def fmt_num(x, digits: int = 2, lang: str = "en") -> str:
    """``x`` with ``digits`` decimals, digits grouped by thousands (zh: from five integer digits on)."""
    _check_lang(lang)
    v = _finite(x)
    return f"{v:,.{digits}f}" if _grouped(v, lang) else f"{v:.{digits}f}"


def fmt_score(x, lang: str = "en") -> str:
    """A score on the 60–100 (or 0–100) scale: 2 decimals (``88.65``)."""
    _check_lang(lang)
    return f"{_finite(x):.2f}"


def fmt_int(n, lang: str = "en") -> str:
    """An integer: ``26,638`` (both languages); zh leaves four-digit numbers ungrouped (``4222``)."""
    _check_lang(lang)
    v = _finite(n)
    if v != int(v):
        raise ValueError(f"fmt_int got a non-integer {n!r}")
    return f"{int(v):,}" if _grouped(v, lang) else f"{int(v)}"


def fmt_pct(x, lang: str = "en", digits: int = 1) -> str:
    """A percentage given **in percent**: ``fmt_pct(75.9)`` → ``75.9%``."""
    _check_lang(lang)
    return f"{_finite(x):.{digits}f}%"


def ordinal_en(n: int) -> str:
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def fmt_rank(n, lang: str = "en") -> str:
    """A rank: ``3rd`` (en) or ``第3`` (zh)."""
    _check_lang(lang)
    v = _finite(n)
    return ordinal_en(int(v)) if lang == "en" else f"第{int(v)}"


def fmt_places(n, lang: str = "en") -> str:
    """A number of places moved (sign dropped): ``13 places`` / ``1 place`` / ``13位``."""
    _check_lang(lang)
    k = abs(int(_finite(n)))
    if lang == "zh":
        return f"{k}位"
    return f"{k} place" if k == 1 else f"{k} places"


def fmt_times(x, lang: str = "en", digits: int = 1) -> str:
    """A ratio: ``2.6 times`` / ``2.6倍``."""
    _check_lang(lang)
    s = f"{_finite(x):.{digits}f}"
    return f"{s}倍" if lang == "zh" else f"{s} times"


def join_list(items: Iterable[Any], lang: str = "en") -> str:
    """``A、B、C`` (zh) or ``A, B and C`` (en)."""
    _check_lang(lang)
    parts = [str(i) for i in items]
    if lang == "zh":
        return "、".join(parts)
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def join_items(items: Iterable[Any], lang: str = "en") -> str:
    """A list of names that may themselves hold a list (``Citations of papers in patents, policy
    documents and clinical trials``): in English separated by semicolons when any item holds a
    comma or an "and" (``A; B; and C``), else as :func:`join_list`; in Chinese each item quoted,
    with no 顿号 between quoted items (GB/T 15834: ``“A”“B”“C”``), so that an item's own 、 cannot
    be read as the list's."""
    _check_lang(lang)
    parts = [str(i) for i in items]
    if lang == "zh":
        return "".join(f"“{p}”" for p in parts)
    if len(parts) > 1 and any("," in p or " and " in p for p in parts):
        return "; ".join(parts[:-1]) + ("; and " if len(parts) > 2 else " and ") + parts[-1]
    return join_list(parts, lang)


def _pick(x: Any, lang: str) -> Any:
    """``x[lang]`` for a bilingual ``{"zh": ..., "en": ...}`` mapping, else ``x``."""
    if isinstance(x, Mapping):
        if lang not in x:
            raise KeyError(f"bilingual value has no {lang!r} text: {dict(x)!r}")
        return x[lang]
    return x


def in_sentence(term: str) -> str:
    """A glossary term as it reads inside an English sentence: its capital dropped unless the
    first word is an acronym or a name (``Unicorn companies`` -> ``unicorn companies``, ``PCT
    patents`` and ``Nobel laureates`` unchanged). Chinese has no case; it is returned as is."""
    first = term.split(" ", 1)[0]
    if len(first) > 1 and first[0].isupper() and first[1:].islower() and first not in _PROPER_WORDS:
        return term[0].lower() + term[1:]
    return term


_PROPER_WORDS = frozenset({"Nobel", "Turing", "Fields", "Fortune", "Clarivate", "Nature", "Science", "English"})


def _wrap(cls: str, text: Any) -> Markup:
    return Markup(f'<span class="{cls}">') + escape(str(text)) + Markup("</span>")


# --------------------------------------------------------------------------- cross-references

def xref_label(target: str, lang: str, kind: str, numbers: Mapping[str, Mapping[str, int]] | None = None) -> str:
    """The label of a cross-reference to the figure or table ``target``: its number in the
    edition's order (``numbers``, :func:`gihi.report.numbering.numbers`) — ``图3`` / ``Figure 3`` —
    or, without numbers, the bare word (``图`` / ``figure``). An id the numbering does not know is
    an error: the narrative would point at nothing."""
    _check_lang(lang)
    if kind not in XREF_KINDS:
        raise NarrativeError(f"ref({target!r}, {kind!r}): the kind must be one of {', '.join(XREF_KINDS)}")
    if numbers is None:
        return i18n.t(f"xref.{kind}.plain", lang)
    n = numbers.get(kind, {}).get(target)
    if n is None:
        raise NarrativeError(f"ref({target!r}): no {kind} {target!r} in this edition's report "
                             f"(templates/report/layout.yaml)")
    return i18n.t(f"xref.{kind}", lang, n=n)


def xref(target: str, lang: str, kind: str | None = None, numbers: Mapping[str, Mapping[str, int]] | None = None) -> Markup:
    """``<a class="xref xref-<kind>" href="#<target>"><label></a>`` (see :func:`xref_label`).
    ``kind`` may be left out when ``numbers`` knows the target."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9_\-]*", str(target)):
        raise NarrativeError(f"ref({target!r}): not a figure or table id")
    if kind is None and numbers is None:   # unnumbered (a template rendered on its own): tell by the id
        m = _XREF_ID.match(str(target))
        kind = m.group(1) if m else None
    if kind is None:
        kinds = [k for k in XREF_KINDS if target in (numbers or {}).get(k, {})]
        if len(kinds) != 1:
            raise NarrativeError(f"ref({target!r}): cannot tell a figure from a table; pass kind='fig' or kind='table'")
        kind = kinds[0]
    label = xref_label(target, lang, kind, numbers)
    return Markup(f'<a class="xref xref-{kind}" href="#{target}">') + escape(label) + Markup("</a>")


# --------------------------------------------------------------------------- claims

@dataclass(frozen=True)
class Claim:
    """A :class:`~gihi.report.facts.Fact` as one filter printed it."""

    fact: Any
    filter: str     # score, num, int, pct or rank
    text: str       # as printed (``83.18``, ``3rd``, ``第3``, ``26,638``)


#: the claims of the render in progress (:func:`render_claims`); None outside it
_CLAIMS: contextvars.ContextVar[list | None] = contextvars.ContextVar("gihi_narrative_claims", default=None)


def _claimed(x: Any, filter: str, text: str, *, label: bool = False) -> str:
    """``text``, marked inside :func:`render_claims`: with its claim when ``x`` is a Fact, as a
    label when ``x`` is a Label (or ``label``: a year naming a period); a bare number stays bare."""
    claims = _CLAIMS.get()
    if claims is None:
        return text
    if facts.is_fact(x):
        claims.append(Claim(x, filter, text))
        return facts.mark(len(claims) - 1, text)
    if label or facts.is_label(x):
        return facts.mark_label(text)
    return text


def render_claims(chapter: str, section: str, lang: str, context: Mapping[str, Any], *,
                  templates_dir: Path | None = None, numbers: Mapping | None = None) -> tuple[str, list[Claim]]:
    """:func:`render_section` with every printed Fact marked (:mod:`gihi.report.facts`):
    ``(marked html, claims)``; ``facts.unmark(html)`` is the section as :func:`render_section`
    renders it, and :func:`gihi.report.facts.claim_sites` reads the marks."""
    claims: list[Claim] = []
    token = _CLAIMS.set(claims)
    try:
        html = render_section(chapter, section, lang, context, templates_dir=templates_dir, numbers=numbers)
    finally:
        _CLAIMS.reset(token)
    return html, claims


# --------------------------------------------------------------------------- jinja environment

def _make_env(templates_dir: Path, lang: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "htm", "xml", "j2"), default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    def join_filter(items, sep=None):
        items = list(items)
        # keep Markup (wrapped names) intact: join the escaped pieces and mark the result safe
        esc = [escape(i) for i in items]
        return Markup(join_list(esc, lang))

    def items_filter(items):
        return Markup(join_items([escape(i) for i in items], lang))

    env.filters.update({
        "score": lambda x: _claimed(x, "score", fmt_score(x, lang)),
        "num": lambda x, d=2: _claimed(x, "num", fmt_num(x, d, lang)),
        "int": lambda x: _claimed(x, "int", fmt_int(x, lang)),
        "pct": lambda x, d=1: _claimed(x, "pct", fmt_pct(x, lang, d)),
        "rank": lambda x: _claimed(x, "rank", fmt_rank(x, lang)),
        "ordinal": lambda x: _claimed(x, "rank", fmt_rank(x, lang)),
        "places": lambda x: _claimed(x, "places", fmt_places(x, lang)),
        "times": lambda x, d=1: _claimed(x, "times", fmt_times(x, lang, d)),
        "year": lambda x: _claimed(x, "year", str(int(_finite(x))), label=True),
        "plain": facts.label,
        "name": lambda x: _wrap("name", _pick(x, lang)),
        "term": lambda x: _wrap("name", in_sentence(_pick(x, lang))),
        "code": lambda x: _wrap("code", x),
        "tr": lambda x: _pick(x, lang),
        "join": join_filter,
        "items": items_filter,
    })
    env.globals["lang"] = lang
    env.globals["ref"] = lambda target, kind=None: xref(target, lang, kind)   # unnumbered; see render_markdown
    return env


@lru_cache(maxsize=16)
def _env(templates_dir: str, lang: str) -> jinja2.Environment:
    return _make_env(Path(templates_dir), lang)


def template_name(chapter: str, section: str, lang: str) -> str:
    return f"{chapter}/{section}.{lang}.md.j2"


_LINE_PREFIX = re.compile(r"^([ \t]*(?:[-*+]|\d+[.)]|#{1,6}|>)?[ \t]*)(.*)$")


def tidy_zh(text: str) -> str:
    """Remove spaces next to Chinese characters and full-width punctuation (tags are transparent).

    Works line by line and leaves a line's Markdown prefix (indentation, list marker, heading or
    quote mark and the space after it) alone.
    """
    out = []
    for line in text.split("\n"):
        prefix, rest = _LINE_PREFIX.match(line).groups()
        rest = _SPACE_NEAR_CJK.sub("", rest)
        rest = _SPACE_AFTER_TAG.sub("", rest)
        out.append(prefix + _SPACE_BEFORE_TAG.sub("", rest))
    return "\n".join(out)


def markdown_to_html(text: str) -> str:
    """Markdown → HTML, sanitised with nh3 (allow-list :data:`ALLOWED_TAGS`)."""
    html = md.markdown(text, output_format="html")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel=None).strip()


def render_markdown(chapter: str, section: str, lang: str, context: Mapping[str, Any], *,
                    templates_dir: Path | None = None, numbers: Mapping | None = None) -> str:
    """The template's Markdown output (after :func:`tidy_zh` for zh); ``ref()`` labels figures and
    tables with ``numbers`` (:func:`gihi.report.numbering.numbers`)."""
    _check_lang(lang)
    tdir = str(Path(templates_dir or TEMPLATES_DIR))
    name = template_name(chapter, section, lang)
    try:
        template = _env(tdir, lang).get_template(name)
        text = template.render(**context, ref=lambda target, kind=None: xref(target, lang, kind, numbers))
    except jinja2.TemplateNotFound as e:
        raise NarrativeError(f"no narrative template {name} in {tdir}") from e
    except jinja2.UndefinedError as e:
        raise NarrativeError(f"{name}: {e}") from e
    return tidy_zh(text) if lang == "zh" else text


def render_section(chapter: str, section: str, lang: str, context: Mapping[str, Any], *,
                   templates_dir: Path | None = None, numbers: Mapping | None = None) -> str:
    """Render one section's narrative in ``lang`` to sanitised HTML."""
    return markdown_to_html(render_markdown(chapter, section, lang, context, templates_dir=templates_dir,
                                            numbers=numbers))


# --------------------------------------------------------------------------- editorial content

@dataclass(frozen=True)
class Editorial:
    """Editor commentary of one section and language (``content/<year>/<chapter>/...``)."""

    path: Path
    mode: str
    html: str


def editorial_path(content_dir: Path, year: int, chapter: str, section: str, lang: str) -> Path:
    return Path(content_dir) / str(year) / chapter / f"{section}.{lang}.md"


def editorial_text(path: Path) -> str:
    """An editorial file's text: UTF-8 with or without a byte-order mark, any line ends (CRLF and
    CR become LF). A file that is not UTF-8 is a :class:`NarrativeError` naming it and the byte."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        at = e.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        raise NarrativeError(f"{path}: a byte that is not UTF-8 (0x{data[at]:02x}) at byte offset {at}; "
                             f"expected UTF-8 text") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_front_matter(text: str, where: str = "<text>") -> tuple[dict, str]:
    """Split ``---\\n<yaml>\\n---\\n<body>``; no front matter gives ``({}, text)``."""
    if not text.startswith("---"):
        return {}, text
    lines = text.splitlines(keepends=True)
    if lines[0].strip() != "---":
        return {}, text
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            try:
                meta = yaml.safe_load("".join(lines[1:i])) or {}
            except yaml.YAMLError as e:
                raise NarrativeError(f"{where}: invalid YAML front matter: {e}") from e
            if not isinstance(meta, dict):
                raise NarrativeError(f"{where}: front matter must be a mapping, got {type(meta).__name__}")
            return meta, "".join(lines[i + 1:])
    raise NarrativeError(f"{where}: front matter opened with '---' is never closed")


def load_editorial(content_dir: Path | None, year: int, chapter: str, section: str, lang: str) -> Editorial | None:
    """The editorial commentary for one section/language, or None when there is no file."""
    _check_lang(lang)
    path = editorial_path(Path(content_dir or CONTENT_DIR), year, chapter, section, lang)
    if not path.is_file():
        return None
    meta, body = parse_front_matter(editorial_text(path), str(path))
    mode = meta.get("mode", "append")
    if mode not in MODES:
        raise NarrativeError(f"{path}: mode must be one of {', '.join(MODES)}, got {mode!r}")
    unknown = sorted(set(meta) - {"mode", "author", "date", "note"})
    if unknown:
        raise NarrativeError(f"{path}: unknown front-matter key(s) {', '.join(unknown)}; allowed: mode, author, date, note")
    if lang == "zh":
        body = tidy_zh(body)
    inner = markdown_to_html(body)
    return Editorial(path=path, mode=mode, html=f'<div class="editorial">{inner}</div>' if inner else "")


def section_narrative(chapter: str, section: str, context: Mapping[str, Any], year: int, *,
                      templates_dir: Path | None = None, content_dir: Path | None = None,
                      template_folder: str | None = None, numbers: Mapping | None = None) -> tuple[dict, dict]:
    """``({lang: html}, {lang: editorial mode or None})`` for one section in both languages.

    The template is ``<template_folder or chapter>/<section>.<lang>.md.j2``; editorial files are
    always looked up under ``chapter``.
    """
    narrative, editorial = {}, {}
    for lang in LANGS:
        generated = render_section(template_folder or chapter, section, lang, context, templates_dir=templates_dir,
                                   numbers=numbers)
        ed = load_editorial(content_dir, year, chapter, section, lang)
        if ed is None:
            narrative[lang], editorial[lang] = generated, None
        elif ed.mode == "replace":
            narrative[lang], editorial[lang] = ed.html, "replace"
        else:
            narrative[lang], editorial[lang] = "\n".join(x for x in (generated, ed.html) if x), "append"
    return narrative, editorial


# --------------------------------------------------------------------------- number checks

class _TextCollector(HTMLParser):
    """Text of an HTML fragment, skipping elements whose class is in :data:`SKIP_CLASSES`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._stack: list[bool] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("br",):
            return
        classes = set((dict(attrs).get("class") or "").split())
        self._stack.append(bool(classes & SKIP_CLASSES) or (bool(self._stack) and self._stack[-1]))

    def handle_endtag(self, tag):
        if tag in ("br",):
            return
        if self._stack:
            self._stack.pop()
        self.parts.append("\n")

    def handle_data(self, data):
        if not (self._stack and self._stack[-1]):
            self.parts.append(data)


def narrative_text(html: str) -> str:
    """The prose of ``html`` without tags, names, codes and editorial blocks."""
    p = _TextCollector()
    p.feed(html)
    p.close()
    return "".join(p.parts)


def narrative_numbers(html: str) -> list[str]:
    """Every number written in the narrative ``html`` (as written: ``88.65``, ``26,638``, ``13``)."""
    return _NUMBER.findall(narrative_text(html))


def context_numbers(context: Any) -> list[float]:
    """All finite numbers in a (nested) context: dicts, lists, tuples, numpy/pandas scalars."""
    out: list[float] = []

    def walk(x):
        if isinstance(x, (bool, np.bool_)) or x is None:
            return
        if isinstance(x, (int, float, np.integer, np.floating, Decimal)):
            v = float(x)
            if math.isfinite(v):
                out.append(v)
            return
        if isinstance(x, Mapping):
            for v in x.values():
                walk(v)
            return
        if isinstance(x, (list, tuple, set, frozenset)):
            for v in x:
                walk(v)
            return
        if hasattr(x, "tolist"):  # numpy arrays, pandas Series
            walk(x.tolist())

    walk(context)
    return out


def number_matches(token: str, values: Iterable[float]) -> bool:
    """Whether the written ``token`` is one of ``values`` (by absolute value) at the token's precision.

    A token with decimals (``88.65``) matches a value that formats to it (``88.6521``); a token
    without decimals (``13``) matches only an integral value — a float is never rounded to an
    integer silently.
    """
    plain = token.replace(",", "")
    if "." in plain:
        digits = len(plain.split(".")[1])
        return any(f"{abs(v):.{digits}f}" == plain for v in values)
    n = int(plain)
    return any(float(v).is_integer() and abs(int(v)) == n for v in values)


def unmatched_numbers(html: str, context: Any) -> list[str]:
    """Numbers in ``html`` that equal no computed value of ``context`` (should be empty)."""
    values = context_numbers(context)
    return [tok for tok in narrative_numbers(html) if not number_matches(tok, values)]
