"""Assemble the chapter bundles of one year into the HTML of one report edition.

:func:`edition_html` reads the validated bundles ``<output_dir>/<year>/chapters/<chapter>/`` of
every chapter (:data:`gihi.report.chapters.CHAPTERS` order), builds a plain *view* of them for one
edition and renders ``templates/report/report.html.j2`` (jinja2). :mod:`gihi.publish.render` turns the
HTML into a PDF with WeasyPrint. The division of labour (see ``docs/pdf.md``):

* **Python** (this module) selects and arranges content: which languages and table columns an
  edition shows, where each table and figure goes (``templates/report/layout.yaml``), unique
  anchor ids, cross-references resolved to those ids, the provenance summary. It writes no
  markup and no styling.
* **Templates** (``templates/report/*.j2``) write the markup; every word they print comes from
  ``data/meta/strings.csv`` (:func:`gihi.report.i18n.t`, which raises ``KeyError`` naming a missing key).
* **CSS** (``templates/report/report.css`` and the generated-content rules of
  ``_generated.css.j2``) does the layout and the numbering of chapters, sections, figures and
  tables (CSS counters). Links print the number of their target from ``data-num``, which this
  module sets in the same document order (:func:`gihi.publish.parts.link_numbers`), and the
  contents print page numbers from ``data-page``: the PDF is laid out in parts
  (:func:`edition_parts`, :mod:`gihi.publish.parts`), across which ``target-counter()`` cannot see.

Editions: ``bi`` (each section's narrative in Chinese, then in English; tables and figures once,
with bilingual captions and headers), ``zh`` and ``en`` (one language only; table columns of the
other language are left out). The ``en`` edition contains no Chinese character at all: Chinese
glosses in English table cells (``Zhaopin (智联招聘)``) are dropped and anything else Chinese is an
:class:`AssemblyError`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Mapping

import jinja2
from markupsafe import Markup

from gihi.model.edition import Edition
from gihi.publish.editions import CJK, EDITION_LANGS, HTML_LANG, REPORT_TEMPLATES, data_date, edition_context
from gihi.publish.parts import Counters, link_numbers, localise_links, number_links
from gihi.publish.profiles import report_appendix
from gihi.report.layout import ABSENT_ERROR, ABSENT_SKIP, LAYOUT_FILE, ChapterLayout, LayoutError, Placement, load_layout
from gihi.report import i18n
from gihi.report.bundle import Bundle, Figure, Table, bundle_dir, read_bundle
from gihi.report.chapters import CHAPTERS
from gihi.report.chapters.view import fmt_cell

TEMPLATE = "report.html.j2"

DATA_NOTE = "data_note"

#: the printed report's label at the start of a caption: ``图5　``, ``图26（a）　``, ``表2　``,
#: ``附录二　``, ``Figure 5. ``, ``Figure 26(a). ``, ``Table 2. ``, ``Appendix 2. ``
CAPTION_LABEL = re.compile(
    r"""^\s*(?:
        (?:图|表)\s*\d+(?:（[a-z]）|\([a-z]\))?[\s\u3000]*[:：.．]?[\s\u3000]*
      | 附录[一二三四五六七八九十\d]+[\s\u3000]*[:：.．]?[\s\u3000]*
      | (?:Figure|Fig\.|Table|Appendix)\s*\d+(?:\([a-z]\))?\s*[.:]?\s+
    )""",
    re.X,
)
# a parenthesised run of Chinese in English text: " (智联招聘)" / "（智联招聘）"
_CJK_GLOSS = re.compile(r"\s*[(（][^()（）]*?[\u3400-\u4dbf\u4e00-\u9fff][^()（）]*?[)）]")
_A_TAG = re.compile(r"<a\s([^>]*)>(.*?)</a>", re.S)
_ATTR = re.compile(r'([A-Za-z_:][-A-Za-z0-9_:.]*)="([^"]*)"')


class AssemblyError(LayoutError):
    """The bundles cannot be assembled into a report (layout, cross-reference, language problems)."""


class MissingBundleError(AssemblyError):
    """A chapter has no bundle; ``chapter`` and ``directory`` name what is missing."""

    def __init__(self, chapter: str, directory: Path):
        self.chapter, self.directory = chapter, Path(directory)
        super().__init__(
            f"chapter {chapter}: no bundle at {directory} (no {directory / 'bundle.json'}); build it first, "
            f"e.g. python report_build.py --year <year> --chapters {chapter}")

    def __reduce__(self):   # picklable: the build assembles editions in worker processes
        return (type(self), (self.chapter, self.directory))


# --------------------------------------------------------------------------- text helpers

def strip_label(caption: str) -> str:
    """``caption`` without the printed report's leading label (``图5　``, ``Table 2. ``): the PDF
    numbers figures and tables itself (CSS counters)."""
    return CAPTION_LABEL.sub("", caption, count=1).strip()


def strip_cjk_glosses(text: str) -> str:
    """English ``text`` without parenthesised Chinese glosses: ``Zhaopin (智联招聘)`` → ``Zhaopin``."""
    return _CJK_GLOSS.sub("", text)


def anchor(kind: str, chapter: str, item: str | None = None) -> str:
    """Document-wide unique ids: ``ch-<chapter>``, ``sec-<chapter>-<section>``,
    ``tab-<chapter>-<table>``, ``fig-<chapter>-<figure>``. Bundle ids are unique within their
    chapter only (section ``champions`` and table ``champions`` even share one), so every id is
    prefixed by its kind and chapter."""
    prefix = {"chapter": "ch", "section": "sec", "table": "tab", "figure": "fig"}[kind]
    return f"{prefix}-{chapter}" if item is None else f"{prefix}-{chapter}-{item}"


# --------------------------------------------------------------------------- layout

# --------------------------------------------------------------------------- bundles

def load_bundles(year: int, output_dir: Path, chapters: Iterable[str] | None = None) -> list[Bundle]:
    """The validated bundles of ``chapters`` (default: all), in :data:`CHAPTERS` order; a chapter
    without a bundle raises :class:`MissingBundleError`."""
    wanted = list(CHAPTERS) if chapters is None else list(chapters)
    unknown = [c for c in wanted if c not in CHAPTERS]
    if unknown:
        raise AssemblyError(f"unknown chapter(s) {unknown}; chapters: {', '.join(CHAPTERS)}")
    bundles = []
    for chapter in (c for c in CHAPTERS if c in wanted):
        directory = bundle_dir(output_dir, year, chapter)
        if not (directory / "bundle.json").is_file():
            raise MissingBundleError(chapter, directory)
        bundle = read_bundle(directory)
        if bundle.chapter != chapter or int(bundle.year) != int(year):
            raise AssemblyError(f"{directory}: bundle is for {bundle.chapter} {bundle.year}, expected {chapter} {year}")
        bundles.append(bundle)
    return bundles


def _items(bundle: Bundle) -> dict[str, tuple[str, Table | Figure]]:
    return {**{t.id: ("table", t) for t in bundle.tables}, **{f.id: ("figure", f) for f in bundle.figures}}


def item_index(bundles: Iterable[Bundle]) -> dict[str, list[tuple[str, str, str]]]:
    """Every table and figure id → ``[(chapter, kind, anchor)]`` over ``bundles``."""
    index: dict[str, list[tuple[str, str, str]]] = {}
    for b in bundles:
        for item_id, (kind, _) in _items(b).items():
            index.setdefault(item_id, []).append((b.chapter, kind, anchor(kind, b.chapter, item_id)))
    return index


# --------------------------------------------------------------------------- cross-references

def resolve_xrefs(html: str, chapter: str, index: Mapping[str, list[tuple[str, str, str]]], *,
                  complete: bool = True, where: str = "") -> str:
    """Point every ``<a class="xref ..." href="#<id>">`` of a narrative at the anchor of the PDF.

    ``<id>`` is a table or figure id: one of ``chapter``'s own, else the only one of that id in
    the whole report. The link text (the printed report's label) is dropped: CSS prints the
    PDF's number (``data-num``, :func:`gihi.publish.parts.number_links`). An id that matches nothing raises
    :class:`AssemblyError`; when the report is not ``complete`` (some chapters left out) it is
    kept as plain text instead.
    """
    def repl(m: re.Match) -> str:
        attrs = dict(_ATTR.findall(m.group(1)))
        classes = attrs.get("class", "").split()
        if "xref" not in classes:
            return m.group(0)
        href = attrs.get("href", "")
        target = href[1:] if href.startswith("#") else ""
        hits = index.get(target, [])
        hit = next((h for h in hits if h[0] == chapter), None) or (hits[0] if len(hits) == 1 else None)
        if hit is None:
            if len(hits) > 1:
                raise AssemblyError(f"{where or chapter}: cross-reference {href!r} is ambiguous: "
                                    f"chapters {[h[0] for h in hits]} all have {target!r}")
            if not complete:
                return f'<span class="xref-unresolved">{m.group(2)}</span>'
            raise AssemblyError(f"{where or chapter}: cross-reference {href!r} matches no table or figure of the report")
        kind = {"table": "table", "figure": "fig"}[hit[1]]
        if any(c.startswith("xref-") and c != f"xref-{kind}" for c in classes):
            raise AssemblyError(f"{where or chapter}: cross-reference {href!r} is marked {classes} but {target!r} is a {hit[1]}")
        return f'<a class="xref xref-{kind}" href="#{hit[2]}"></a>'

    return _A_TAG.sub(repl, html)


# --------------------------------------------------------------------------- views

def _bi(d: Mapping[str, str] | None, langs: tuple[str, ...], edition: str, *, caption: bool = False) -> dict | None:
    if d is None:
        return None
    out = {}
    for lang in langs:
        text = strip_label(d[lang]) if caption else d[lang]
        out[lang] = strip_cjk_glosses(text) if edition == "en" else text
    return out


def table_columns(t: Table, langs: tuple[str, ...], *, stack: bool = False) -> list[dict]:
    """The columns an edition shows: those of its languages (``lang`` unset or one of ``langs``).

    Each is ``{key, format, lang, headers {lang: text}, parts [(lang or None, column key)]}``: a
    language-specific column shows its own header only. With ``stack`` (bilingual edition) a
    ``<stem>_zh`` / ``<stem>_en`` pair becomes one column (key ``<stem>_bi``) whose cells hold
    both values, Chinese first.
    """
    cols = [c for c in t.columns if c.lang is None or c.lang in langs]
    by_key = {c.key: c for c in cols}
    out, done = [], set()
    for c in cols:
        if c.key in done:
            continue
        stem = c.key[:-3] if c.lang and c.key.endswith(f"_{c.lang}") else None
        pair = [by_key.get(f"{stem}_{lang}") for lang in langs] if stem else []
        if stack and len(langs) > 1 and pair and all(p is not None and p.lang == lang for p, lang in zip(pair, langs)):
            done.update(p.key for p in pair)
            out.append({"key": f"{stem}_bi", "format": c.format or "text", "lang": None,
                        "headers": {p.lang: getattr(p, p.lang) for p in pair}, "parts": [(p.lang, p.key) for p in pair]})
            continue
        done.add(c.key)
        out.append({"key": c.key, "format": c.format or "text", "lang": c.lang,
                    "headers": {lang: getattr(c, lang) for lang in ((c.lang,) if c.lang else langs)},
                    "parts": [(None, c.key)]})
    return out


def _table_view(bundle: Bundle, t: Table, place: Placement, langs, edition) -> dict:
    cols = table_columns(t, langs, stack=place.stack_languages)

    def clean(v):
        return strip_cjk_glosses(v) if edition == "en" and isinstance(v, str) else v

    return {
        "kind": "table", "id": t.id, "anchor": anchor("table", bundle.chapter, t.id),
        "caption": _bi(t.caption, langs, edition, caption=True), "note": _bi(t.note, langs, edition),
        "columns": cols,
        # rows → cells → [(lang or None, value)] (two parts in a stacked bilingual column)
        "rows": [[[(lang, clean(r.get(key))) for lang, key in c["parts"]] for c in cols] for r in t.rows],
        "landscape": place.landscape,
    }


def figure_source(bundle: Bundle, f: Figure, edition: str) -> str:
    """The SVG an edition shows: the figure's print version for that edition (text as text), else
    its ``svg`` when it is drawn in exactly the edition's language(s). Anything else would put the
    other language into a single-language edition: :class:`AssemblyError`."""
    if f.print and edition in f.print:
        return str(f.print[edition])
    if f.lang == edition:
        return str(f.svg)
    raise AssemblyError(f"chapter {bundle.chapter}, figure {f.id}: no version for the {edition} edition "
                        f"(drawn in {f.lang!r}, print versions {sorted(f.print or {})}); rebuild the chapter "
                        f"with lang='bi'")


def _figure_view(bundle: Bundle, f: Figure, langs, edition) -> dict:
    src = figure_source(bundle, f, edition)
    return {
        "kind": "figure", "id": f.id, "anchor": anchor("figure", bundle.chapter, f.id),
        "caption": _bi(f.caption, langs, edition, caption=True), "note": _bi(f.note, langs, edition),
        "src": str(PurePosixPath("chapters", bundle.chapter, PurePosixPath(src))), "lang": f.lang,
    }


def chapter_view(bundle: Bundle, layout: ChapterLayout | None, edition: str,
                 index: Mapping[str, list[tuple[str, str, str]]], *, complete: bool = True) -> dict:
    """The view of one chapter for ``edition``: title, anchors, sections with their narratives
    (cross-references resolved) and the tables and figures placed after them."""
    langs = EDITION_LANGS[edition]
    layout = layout or ChapterLayout(False, {})
    items = _items(bundle)
    section_ids = [s.id for s in bundle.sections]
    stray = [s for s in layout.sections if s not in section_ids]
    if stray:
        raise AssemblyError(f"{LAYOUT_FILE}: {bundle.chapter} places items in section(s) {stray}, "
                            f"which the bundle does not have; its sections: {section_ids}")
    placed: set[str] = set()
    sections = []
    for s in bundle.sections:
        views = []
        for p in layout.sections.get(s.id, ()):
            if p.id in items:
                if p.id in placed:
                    raise AssemblyError(f"{LAYOUT_FILE}: {bundle.chapter}: {p.id!r} is placed twice")
                placed.add(p.id)
                kind, obj = items[p.id]
                views.append(_table_view(bundle, obj, p, langs, edition) if kind == "table"
                             else _figure_view(bundle, obj, langs, edition))
            elif p.absent == ABSENT_SKIP:
                continue
            elif p.absent == ABSENT_ERROR:
                raise AssemblyError(f"{LAYOUT_FILE}: {bundle.chapter}.{s.id} places {p.id!r}, which the bundle "
                                    f"{bundle.directory} does not have (add `absent: skip` or `absent: <note key>`)")
            else:
                views.append({"kind": "note", "id": p.id,
                              "text": {lang: i18n.t(p.absent, lang) for lang in langs}})
        narrative = {lang: Markup(resolve_xrefs(s.narrative[lang], bundle.chapter, index, complete=complete,
                                                where=f"{bundle.chapter}/{s.id}.{lang}"))
                     for lang in langs}
        if edition == "en":
            narrative = {"en": Markup(strip_cjk_glosses(str(narrative["en"])))}
        sections.append({"id": s.id, "anchor": anchor("section", bundle.chapter, s.id),
                         "title": _bi(s.title, langs, edition), "narrative": narrative, "items": views})
    # whatever the layout does not place goes to the end of the last section before the data note
    rest = [i for i in items if i not in placed]
    if rest and sections:
        target = next((s for s in reversed(sections) if s["id"] != DATA_NOTE), sections[-1])
        for item_id in rest:
            kind, obj = items[item_id]
            target["items"].append(_table_view(bundle, obj, Placement(item_id), langs, edition) if kind == "table"
                                   else _figure_view(bundle, obj, langs, edition))
    return {"id": bundle.chapter, "anchor": anchor("chapter", bundle.chapter), "appendix": layout.appendix,
            "title": _bi(bundle.title, langs, edition), "sections": sections}


def provenance_view(bundles: Iterable[Bundle], edition: str) -> dict:
    """What the provenance notice shows: whether the data are a reconstruction, the bundles'
    notes, and one row per data source (the widest scope of that source; the pillar chapters'
    scopes are parts of the overview's) with the chapters drawing on it."""
    langs = EDITION_LANGS[edition]
    bundles = list(bundles)
    sources: dict[str, dict] = {}
    notes: dict[str, list[str]] = {lang: [] for lang in langs}
    for b in bundles:
        p = b.provenance
        for lang in langs:
            if p["note"][lang] not in notes[lang]:
                notes[lang].append(p["note"][lang])
        for scope in p["scopes"]:
            entry = sources.setdefault(scope["source"], {"scope": scope, "chapters": []})
            if scope["expected"] > entry["scope"]["expected"]:
                entry["scope"] = scope
            if b.chapter not in [c["id"] for c in entry["chapters"]]:
                entry["chapters"].append({"id": b.chapter, "anchor": anchor("chapter", b.chapter),
                                          "appendix": False})
    rows = []
    for source, entry in sources.items():
        s = entry["scope"]
        rows.append({"label": _bi(s["label"], langs, edition), "source": source,
                     **{k: int(s[k]) for k in ("expected", "published", "derived", "imputed", "missing")},
                     "chapters": entry["chapters"]})
    return {"reconstruction": any(b.provenance["reconstruction"] for b in bundles), "notes": notes, "sources": rows}


# --------------------------------------------------------------------------- rendering

def _autoescape(name: str | None) -> bool:
    return bool(name) and name.endswith((".html.j2", ".html"))


@lru_cache(maxsize=4)
def _env(templates_dir: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = lambda v, fmt=None: Markup(fmt_cell(v, fmt))
    env.filters["css_string"] = _css_string
    env.filters["share"] = lambda n, total: f"{100.0 * n / total:.1f}%" if total else "–"
    return env


def _css_string(text: str) -> str:
    """``text`` as a quoted CSS string (for generated ``content``)."""
    s = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return f'"{s}"'


def _number_pattern(text: str, key: str) -> tuple[str, str]:
    """Split a numbering string such as ``第{n}章`` into what comes before and after the number."""
    if text.count("{n}") != 1:
        raise AssemblyError(f"UI string {key!r} must contain {{n}} exactly once, got {text!r}")
    before, after = text.split("{n}")
    return before, after


@dataclass(frozen=True)
class _Assembly:
    """What the report template renders, for every part of one edition."""

    templates: Path
    context: dict
    views: list
    provenance: dict
    numbers: dict
    counters: list
    lang: str

    def render(self, *, front: bool, content: list, pages: Mapping[str, int] | None = None) -> str:
        html = _env(str(self.templates)).get_template(TEMPLATE).render(
            **self.context, chapters=self.views, content=content, front=front, pages=pages or {},
            provenance=self.provenance)
        if self.lang == "en":
            bad = CJK.search(html)
            if bad:
                at = bad.start()
                raise AssemblyError(f"the en edition contains Chinese text: …{html[max(0, at - 80):at + 40]}…")
        return number_links(html, self.numbers)


def _assemble(ed: Edition, lang: str, output_dir: Path, chapters: list[str] | None, templates_dir: Path | None,
              profiles: bool) -> _Assembly:
    if lang not in EDITION_LANGS:
        raise ValueError(f"unknown edition {lang!r}; expected one of {', '.join(EDITION_LANGS)}")
    tdir = Path(templates_dir or REPORT_TEMPLATES)
    bundles = load_bundles(ed.year, Path(output_dir), chapters)
    layout = load_layout(tdir / LAYOUT_FILE)
    stray = sorted(set(layout) - set(CHAPTERS))
    if stray:
        raise AssemblyError(f"{tdir / LAYOUT_FILE}: unknown chapter(s) {stray}; chapters: {', '.join(CHAPTERS)}")
    index = item_index(bundles)
    complete = len(bundles) == len(CHAPTERS)
    views = [chapter_view(b, layout.get(b.chapter), lang, index, complete=complete) for b in bundles]
    prov = provenance_view(bundles, lang)
    appendices = {v["id"] for v in views if v["appendix"]}
    for row in prov["sources"]:
        for c in row["chapters"]:
            c["appendix"] = c["id"] in appendices
    # --- city profiles appendix (gihi.publish.profiles, docs/profiles.md): last, only when asked for ---
    if profiles:
        views.append(report_appendix(ed, lang))
    # ------------------------------------------------------------------------------------------
    ctx = edition_context(ed.year, lang)

    def numbering(key: str, language: str) -> tuple[str, str]:
        return _number_pattern(ctx["t"](key, language), key)

    numbers, counters = link_numbers(views)
    return _Assembly(tdir, {**ctx, "numbering": numbering}, views, prov, numbers, counters, lang)


def edition_html(ed: Edition, lang: str, output_dir: Path, chapters: list[str] | None = None, *,
                 templates_dir: Path | None = None, profiles: bool = False) -> str:
    """The HTML of the ``lang`` edition (``bi``, ``zh`` or ``en``) of the edition ``ed``'s report, as
    one document (the preview; the PDF is laid out in parts: :func:`edition_parts`).

    Figures are referenced by URL relative to ``<output_dir>/<year>/`` (the ``base_url`` to render
    with). ``profiles=True`` appends the city profiles appendix
    (:func:`gihi.publish.profiles.report_appendix`, one page per city; ``templates/report/_profiles.html.j2``).
    """
    a = _assemble(ed, lang, output_dir, chapters, templates_dir, profiles)
    return a.render(front=True, content=a.views)


@dataclass(frozen=True)
class EditionParts:
    """An edition as the parts it is laid out in (:mod:`gihi.publish.parts`): ``front(pages)`` is
    the front matter's HTML given the page of each anchor (its contents print them);
    ``chapters`` are ``(chapter id, HTML)`` in order, each with the ``counters`` before it;
    ``contents`` the anchors whose pages the contents print."""

    front: Callable[[Mapping[str, int]], str]
    chapters: list[tuple[str, str]]
    counters: list[Counters]
    contents: list[str]


def edition_parts(ed: Edition, lang: str, output_dir: Path, *, templates_dir: Path | None = None,
                  profiles: bool = False) -> EditionParts:
    """The ``lang`` edition of every chapter's bundle as parts (see :func:`edition_html`); links
    to another part are ``gihi-part:`` links (:func:`gihi.publish.parts.localise_links`)."""
    a = _assemble(ed, lang, output_dir, None, templates_dir, profiles)
    chapters = [(v["id"], localise_links(a.render(front=False, content=[v]))) for v in a.views]
    contents = ["front-provenance"] + [x for v in a.views for x in [v["anchor"], *(s["anchor"] for s in v["sections"])]]
    return EditionParts(lambda pages: localise_links(a.render(front=True, content=[], pages=pages)),
                        chapters, a.counters, contents)


def rendered_text(html: str) -> str:
    """Visible text of an assembled HTML document (tags, ``<style>`` and ``<head>`` dropped) — for checks."""
    body = html.split("<body", 1)[-1]
    body = re.sub(r"<style.*?</style>", "", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


__all__ = [
    "AssemblyError", "MissingBundleError", "EDITION_LANGS", "HTML_LANG", "CAPTION_LABEL", "CJK",
    "strip_label", "strip_cjk_glosses", "data_date", "anchor", "figure_source", "load_layout", "load_bundles", "item_index", "table_columns",
    "resolve_xrefs", "chapter_view", "provenance_view", "edition_context", "edition_html", "EditionParts",
    "edition_parts", "rendered_text",
]
