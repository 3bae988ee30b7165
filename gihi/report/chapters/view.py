"""Notebook outputs of a chapter's items: narrative, styled tables, figures, summaries.

Each is a :class:`Display` with the forms notebook viewers show natively (``text/markdown``,
``text/html``, ``image/png`` and ``image/svg+xml``) and a plain-text form. Output is
deterministic: table ids are fixed (no random Styler uuid), numbers are formatted by column
format (:func:`fmt_cell`, the PDF's too), text cells are HTML-escaped.

``lang`` is ``"zh"``, ``"en"`` or ``"bi"`` (both: Chinese first, then English).
"""
from __future__ import annotations

import html
import re

import pandas as pd

from gihi.report.bundle import Column, Figure, Table

LANGS_SHOWN = {"zh": ("zh",), "en": ("en",), "bi": ("zh", "en")}
NA = "–"


def _langs(lang: str) -> tuple[str, ...]:
    if lang not in LANGS_SHOWN:
        raise ValueError(f"lang must be one of {', '.join(LANGS_SHOWN)}, got {lang!r}")
    return LANGS_SHOWN[lang]


def _bi_text(d: dict, lang: str, sep: str = " · ") -> str:
    return sep.join(html.escape(d[k]) for k in _langs(lang))


def _no_negative_zero(text: str) -> str:
    """``-0.00`` → ``0.00``: a value that rounds to zero is printed without a sign."""
    return text[1:] if text.startswith("-") and not re.search(r"[1-9]", text) else text


def fmt_cell(value, fmt: str | None) -> str:
    """Format one table cell for display (HTML-escaped). Counts (``int``) take thousands
    separators (``8,847``, ``12,345``; ranks do not); decimals print no sign when they round to
    zero (``0.00``, never ``-0.00``)."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return NA
    if fmt in ("int", "rank"):
        v = int(value)
        return f"{v:,}" if fmt == "int" else f"{v}"
    if fmt == "score":
        return _no_negative_zero(f"{float(value):.2f}")
    if fmt == "num":
        return _no_negative_zero(f"{float(value):,.2f}")
    if fmt == "pct":
        return _no_negative_zero(f"{float(value):.2f}") + "%"
    if fmt == "change":
        v = int(value)
        return f"↑{v}" if v > 0 else (f"↓{-v}" if v < 0 else "0")   # "–" is kept for "no comparison"
    if fmt == "bool":
        return "✓" if value else ""
    return html.escape(str(value))


#: a tied rank is printed with this mark before it (``=3``), and the table gets the note :data:`TIE_NOTE`
TIE_MARK = "="
TIE_NOTE = "note.tied_rank"
#: a break point in a zh column header (U+200B between two terms: ``科学中心\u200b排名``); the PDF
#: breaks a header there only (templates/report/_macros.html.j2), a notebook may break it there
WBR = "\u200b"


def tied_values(values) -> set[int]:
    """The ranks that occur more than once in ``values`` (missing values ignored)."""
    seen, tied = set(), set()
    for v in values:
        if v is None or v is pd.NA or (isinstance(v, float) and v != v):
            continue
        v = int(v)
        (tied if v in seen else seen).add(v)
    return tied


def fmt_rank_cell(value, fmt: str | None, tied=()) -> str:
    """:func:`fmt_cell`, with :data:`TIE_MARK` before a rank in ``tied``."""
    text = fmt_cell(value, fmt)
    if fmt == "rank" and text != NA and int(value) in tied:
        return TIE_MARK + text
    return text


class Display:
    """A notebook output in several forms (``_repr_mimebundle_``): what JupyterLab, nbviewer,
    GitHub and nbconvert each show natively, and a plain-text form that says what it is."""

    def __init__(self, bundle: dict[str, str], text: str):
        self.bundle = {**bundle, "text/plain": text}

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.bundle

    def __repr__(self) -> str:
        return self.bundle["text/plain"]


def _columns(table: Table, lang: str) -> list[Column]:
    shown = _langs(lang)
    return [c for c in table.columns if c.lang is None or c.lang in shown]


def _header(c: Column, lang: str) -> str:
    """Header text: a language-specific column shows its own language only."""
    langs = (c.lang,) if c.lang else _langs(lang)
    return "<br>".join(html.escape(getattr(c, k)) for k in langs)


def table_display(table: Table, lang: str, where: str, max_rows: int | None = None) -> Display:
    """A bundle table as a styled DataFrame (HTML) with its caption and note, and as text."""
    cols = _columns(table, lang)
    frame = table.frame()[[c.key for c in cols]]
    if max_rows is not None:
        frame = frame.head(max_rows)
    shown = pd.DataFrame({c.key: [fmt_rank_cell(v, c.format, tied_values(frame[c.key]) if c.format == "rank" else ())
                                  for v in frame[c.key]] for c in cols}, index=frame.index)
    has_ties = any(c.format == "rank" and tied_values(frame[c.key]) for c in cols)
    labels = [_header(c, lang) for c in cols]
    numeric = [i for i, c in enumerate(cols) if c.format not in (None, "text", "bool")]
    styler = (shown.style.hide(axis="index").relabel_index(labels, axis="columns")
              .set_uuid(f"{where}-{table.id}")
              .set_caption(_bi_text(table.caption, lang, "<br>"))
              .set_table_attributes('class="gihi-table"')
              .set_table_styles([
                  {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: bold;"},
                  {"selector": "th", "props": "text-align: center; vertical-align: bottom;"},
                  {"selector": "td", "props": "padding: 2px 6px;"},
                  *[{"selector": f"td.col{i}", "props": "text-align: right;"} for i in numeric],
              ]))
    out = styler.to_html(doctype_html=False)
    notes = [_bi_text(table.note, lang, "<br>")] if table.note else []
    if has_ties:
        from gihi.report import i18n
        notes.append(_bi_text(i18n.both(TIE_NOTE), lang, "<br>"))
    for note in notes:
        out += f'<p class="table-note"><small>{note}</small></p>'
    plain = shown.copy()
    plain.columns = [re.sub(r"<br>", " / ", html.unescape(x)).replace(WBR, "") for x in labels]
    caption = " / ".join(table.caption[k] for k in _langs(lang))
    return Display({"text/html": out}, f"{caption}\n{plain.to_string(index=False)}")


def figure_display(figure: Figure, directory, lang: str) -> Display:
    """A bundle figure as PNG and SVG (the files the chapter drew), with its caption."""
    import base64
    from pathlib import Path
    d = Path(directory)
    png = base64.b64encode((d / figure.png).read_bytes()).decode("ascii")
    svg = (d / figure.svg).read_text(encoding="utf-8")
    caption = " / ".join(figure.caption[k] for k in _langs(lang))
    note = (" — " + " / ".join(figure.note[k] for k in _langs(lang))) if figure.note else ""
    return Display({"image/png": png, "image/svg+xml": svg}, f"<{caption}{note}>")


def narrative_display(title: dict, narrative: dict, lang: str, level: int = 3) -> Display:
    """A section's generated narrative (HTML inside Markdown), its title as a heading."""
    parts = [f"{'#' * level} {' · '.join(title[k] for k in _langs(lang))}"]
    parts += [narrative[k] for k in _langs(lang)]
    text = "\n\n".join(parts)
    return Display({"text/markdown": text}, re.sub(r"<[^>]+>", "", text))


def frame_display(frame: pd.DataFrame, caption: str) -> Display:
    """A small DataFrame (a summary) with a caption."""
    out = frame.style.set_uuid("summary").set_caption(html.escape(caption)).to_html(doctype_html=False)
    return Display({"text/html": out}, f"{caption}\n{frame.to_string()}")


__all__ = ["Display", "fmt_cell", "fmt_rank_cell", "tied_values", "TIE_MARK", "TIE_NOTE", "WBR", "table_display", "figure_display", "narrative_display", "frame_display", "NA"]
