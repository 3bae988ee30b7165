"""Save a figure as a deterministic SVG (the report asset) plus a PNG preview.

The SVG has its text converted to paths (no fonts needed, no ``<text>`` elements), a fixed
``svg.hashsalt`` and no metadata dates; the PNG has a fixed dpi and no ``Software`` chunk. Saving
the same figure twice — or the same chart rebuilt from the same data — gives byte-identical files.

:func:`save_print_svg` writes the PDF's version of a figure: the same SVG with its text kept as
``<text>`` in the house fonts (``svg.fonttype = "none"``). WeasyPrint sets that text with the
fonts it embeds anyway, about three times faster than it draws the glyph outlines of the
``path`` version, and the figure's words become searchable in the PDF.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from gihi.report.style import DPI, PNG_METADATA, SVG_METADATA, use_style

PNG_PIL = {"compress_level": 1}  # zlib level of the previews: 2x faster to write than the default


def save_figure(fig: Figure, stem: Path | str, *, png: bool = True, dpi: int = DPI, close: bool = True) -> dict[str, Path]:
    """Write ``<stem>.svg`` and (unless ``png=False``) ``<stem>.png``; close ``fig``.

    ``stem`` is the path without suffix (a suffix already present is replaced); parent
    directories are created. Returns ``{"svg": path, "png": path}`` (``png`` only if written).
    """
    stem = Path(stem)
    if stem.suffix.lower() in (".svg", ".png"):
        stem = stem.with_suffix("")
    stem.parent.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    try:
        with use_style():
            svg = stem.with_name(stem.name + ".svg")
            fig.savefig(svg, format="svg", metadata=dict(SVG_METADATA))
            out["svg"] = svg
            if png:
                # the layout was settled by the SVG pass: keep it (a second constrained-layout
                # pass costs as much as the drawing), and favour speed over a few % of file size
                fig.set_layout_engine("none")
                p = stem.with_name(stem.name + ".png")
                fig.savefig(p, format="png", dpi=dpi, metadata=dict(PNG_METADATA), pil_kwargs=PNG_PIL)
                out["png"] = p
    finally:
        if close:
            plt.close(fig)
    return out


def save_print_svg(fig: Figure, path: Path | str, *, close: bool = True) -> Path:
    """Write ``fig`` to ``path`` as an SVG whose text stays text (for the PDF); close ``fig``.

    Call it after :func:`save_figure` on the same figure to keep the layout it settled.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    try:
        with use_style(), mpl.rc_context({"svg.fonttype": "none"}):
            fig.savefig(buf, format="svg", metadata=dict(SVG_METADATA))
    finally:
        if close:
            plt.close(fig)
    path.write_text(unquote_font_families(buf.getvalue()), encoding="utf-8")
    return path


_FONT_FAMILY = re.compile(r"font-family: ([^;\"]+)")


def unquote_font_families(svg: str) -> str:
    """``font-family: 'Noto Sans', 'Noto Sans CJK SC'`` → ``font-family: Noto Sans, Noto Sans CJK SC``.

    WeasyPrint's SVG reader does not parse a quoted family list in a ``style`` attribute and falls
    back to fontconfig's defaults (DejaVu Sans, and Noto Sans CJK *JP* for Chinese: Japanese glyph
    forms). Unquoted, the names are still valid CSS and select the house fonts.
    """
    return _FONT_FAMILY.sub(lambda m: "font-family: " + m.group(1).replace("'", ""), svg)


__all__ = ["save_figure", "save_print_svg", "unquote_font_families"]
