"""Display a chapter bundle in a notebook: narrative, styled tables, figures, provenance.

Every method returns an object with ``_repr_html_`` (or an SVG display object), so a notebook
cell ends with one expression such as ``view.table("table02")``. Output is deterministic: table
ids are fixed (no random Styler uuid), numbers are formatted by column format, and text cells are
HTML-escaped.

``lang`` is ``"zh"``, ``"en"`` or ``"bi"`` (both: Chinese first, then English).
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pandas as pd

from gihi.report import i18n
from gihi.report.bundle import Bundle, Column, Table

LANGS_SHOWN = {"zh": ("zh",), "en": ("en",), "bi": ("zh", "en")}
NA = "–"
_XREF = re.compile(r'(<a class="xref[^"]*" href="#([^"]+)">)([^<]*)(</a>)')


@dataclass(frozen=True)
class HTMLBlock:
    """A piece of HTML for notebook display (``_repr_html_``); its plain-text form is only a
    short label (``[table table02]``), so executed notebooks do not store the HTML twice."""

    html: str
    label: str = "gihi"

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"[{self.label}]"

    def __str__(self) -> str:
        return self.html


def _langs(lang: str) -> tuple[str, ...]:
    if lang not in LANGS_SHOWN:
        raise ValueError(f"lang must be one of {', '.join(LANGS_SHOWN)}, got {lang!r}")
    return LANGS_SHOWN[lang]


def _bi_text(d: dict, lang: str, sep: str = " · ") -> str:
    return sep.join(html.escape(d[k]) for k in _langs(lang))


def fmt_cell(value, fmt: str | None) -> str:
    """Format one table cell for display (HTML-escaped)."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return NA
    if fmt in ("int", "rank"):
        return f"{int(value)}"
    if fmt == "score":
        return f"{float(value):.2f}"
    if fmt == "num":
        return f"{float(value):,.2f}"
    if fmt == "pct":
        return f"{float(value):.2f}%"
    if fmt == "change":
        v = int(value)
        return f"↑{v}" if v > 0 else (f"↓{-v}" if v < 0 else "0")   # "–" is kept for "no comparison"
    if fmt == "bool":
        return "✓" if value else ""
    return html.escape(str(value))


class ChapterView:
    """Notebook display of one :class:`~gihi.report.bundle.Bundle` in ``lang``."""

    def __init__(self, bundle: Bundle, lang: str = "bi"):
        _langs(lang)
        self.bundle, self.lang = bundle, lang

    # ---- headings and narrative
    def title(self) -> HTMLBlock:
        b = self.bundle
        parts = [f"<h1>{_bi_text(b.title, self.lang)}</h1>"]
        return HTMLBlock("\n".join(parts), f"chapter {b.chapter}")

    def section(self, id: str) -> HTMLBlock:
        s = self.bundle.section(id)
        out = [f'<section class="gihi-section" id="{html.escape(self.bundle.chapter)}-{html.escape(id)}">',
               f"<h2>{_bi_text(s.title, self.lang)}</h2>"]
        for k in _langs(self.lang):
            out.append(f'<div class="narrative" lang="{k}">{self._named_xrefs(s.narrative[k], k)}</div>')
        out.append("</section>")
        return HTMLBlock("\n".join(out), f"section {id}")

    def _named_xrefs(self, narrative: str, lang: str) -> str:
        """A cross-reference to a table or figure the printed report had no number for reads only
        ``表`` / ``table`` (the PDF numbers it); in the notebook, name the item by its caption:
        ``表“…”`` / ``table “…”``."""
        captions = {x.id: x.caption for x in (*self.bundle.tables, *self.bundle.figures)}
        plain = {i18n.t(f"xref.{kind}.plain", lang) for kind in ("table", "fig")}

        def named(m: re.Match) -> str:
            cap = captions.get(m.group(2))
            if cap is None or m.group(3) not in plain:
                return m.group(0)
            return f"{m.group(1)}{m.group(3)}{'' if lang == 'zh' else ' '}“{html.escape(cap[lang])}”{m.group(4)}"

        return _XREF.sub(named, narrative)

    # ---- tables
    def _columns(self, table: Table) -> list[Column]:
        shown = _langs(self.lang)
        return [c for c in table.columns if c.lang is None or c.lang in shown]

    def _header(self, c: Column) -> str:
        """Header text: a language-specific column shows its own language only."""
        langs = (c.lang,) if c.lang else _langs(self.lang)
        return "<br>".join(html.escape(getattr(c, k)) for k in langs)

    def table(self, id: str, max_rows: int | None = None) -> HTMLBlock:
        """The table as styled HTML (first ``max_rows`` rows when given)."""
        t = self.bundle.table(id)
        cols = self._columns(t)
        frame = t.frame()[[c.key for c in cols]]
        if max_rows is not None:
            frame = frame.head(max_rows)
        shown = pd.DataFrame({c.key: [fmt_cell(v, c.format) for v in frame[c.key]] for c in cols}, index=frame.index)
        labels = [self._header(c) for c in cols]
        numeric = [i for i, c in enumerate(cols) if c.format not in (None, "text", "bool")]
        styler = (shown.style.hide(axis="index").relabel_index(labels, axis="columns")
                  .set_uuid(f"{self.bundle.chapter}-{id}")
                  .set_caption(_bi_text(t.caption, self.lang, "<br>"))
                  .set_table_attributes('class="gihi-table"')
                  .set_table_styles([
                      {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: bold;"},
                      {"selector": "th", "props": "text-align: center; vertical-align: bottom;"},
                      {"selector": "td", "props": "padding: 2px 6px;"},
                      *[{"selector": f"td.col{i}", "props": "text-align: right;"} for i in numeric],
                  ]))
        out = styler.to_html(doctype_html=False)
        if t.note:
            out += f'<p class="table-note"><small>{_bi_text(t.note, self.lang, "<br>")}</small></p>'
        return HTMLBlock(out, f"table {id}")

    def table_or_note(self, id: str, note_key: str, max_rows: int | None = None) -> HTMLBlock:
        """The table when the bundle has it, else the one-line note ``note_key`` (UI string)."""
        if self.bundle.has_table(id):
            return self.table(id, max_rows)
        return HTMLBlock(f'<p class="note"><em>{_bi_text(i18n.both(note_key), self.lang, "<br>")}</em></p>', f"note {note_key}")

    # ---- figures
    def figure(self, id: str) -> HTMLBlock:
        """The figure's SVG inline, with its caption (and note)."""
        f = self.bundle.figure(id)
        svg = self.bundle.path(f.svg).read_text(encoding="utf-8")
        if svg.startswith("<?xml"):
            svg = svg[svg.index("?>") + 2:].lstrip()
        if svg.startswith("<!DOCTYPE"):
            svg = svg[svg.index(">") + 1:].lstrip()
        cap = _bi_text(f.caption, self.lang, "<br>")
        note = f'<br><small>{_bi_text(f.note, self.lang, "<br>")}</small>' if f.note else ""
        return HTMLBlock(f'<figure class="gihi-figure" id="{html.escape(self.bundle.chapter)}-{html.escape(id)}">'
                         f'{svg}<figcaption>{cap}{note}</figcaption></figure>', f"figure {id}")

    def figure_if(self, id: str) -> HTMLBlock | None:
        """The figure when the bundle has it (e.g. the mini-hub patterns), else nothing."""
        if any(f.id == id for f in self.bundle.figures):
            return self.figure(id)
        return None

    # ---- data honesty
    def provenance(self) -> HTMLBlock:
        """The bundle's provenance summary as a small table."""
        p = self.bundle.provenance
        langs = _langs(self.lang)
        head = ["<br>".join(html.escape(i18n.t(f"col.{k}", lang)) for lang in langs)
                for k in ("scope", "expected", "published", "derived", "imputed", "missing")]
        rows = []
        for s in p["scopes"]:
            cells = [_bi_text(s["label"], self.lang, "<br>")] + [str(s[k]) for k in ("expected", "published", "derived", "imputed", "missing")]
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        out = ['<table class="gihi-provenance">',
               f"<caption>{_bi_text(i18n.both('table.provenance_summary'), self.lang, '<br>')}</caption>",
               "<thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead>",
               "<tbody>" + "".join(rows) + "</tbody></table>",
               f'<p class="note"><small>{_bi_text(p["note"], self.lang, "<br>")}</small></p>']
        return HTMLBlock("\n".join(out), "provenance")
