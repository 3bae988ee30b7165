"""The house style of every GIHI figure: palette, fonts, sizes, grid and deterministic output.

* **Palette** — Okabe–Ito (colour-blind safe). Pillars: science centre = blue, innovation
  highland = vermillion, innovation ecosystem = bluish green; continents have fixed colours too,
  so a city keeps its colour from chart to chart.
* **Fonts** — Latin text in *Noto Sans* (fonts-noto-core), Chinese in *Noto Sans CJK SC*
  (fonts-noto-cjk, the Simplified-Chinese face of the collection), combined through
  matplotlib's per-glyph font fallback. A missing font raises :class:`FontMissingError` naming
  it — figures are never rendered with tofu boxes. :func:`check_glyphs` verifies with the fonts'
  ``cmap`` tables that every character of a label is covered.
* **Determinism** — ``svg.hashsalt`` is a constant and ``svg.fonttype = "path"`` (the SVG needs no
  fonts and has no ``<text>`` elements); :data:`SVG_METADATA` / :data:`PNG_METADATA` drop dates
  and software versions (used by :func:`gihi.report.figures.save_figure`).

Use :func:`use_style` as a context manager (``with use_style(): ...``) or call
:func:`apply_style` once.
"""
from __future__ import annotations

import contextlib
from functools import lru_cache
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.colors import LinearSegmentedColormap

# --- palette ---------------------------------------------------------------------------------

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
#: Colour cycle (black and yellow last: black is reserved for emphasis, yellow is weak on white).
CYCLE = [OKABE_ITO[k] for k in ("blue", "vermillion", "bluish_green", "orange", "reddish_purple",
                                "sky_blue", "black", "yellow")]
PILLAR_COLOURS = {"composite": "#3B3B3B", "A": OKABE_ITO["blue"], "B": OKABE_ITO["vermillion"],
                  "C": OKABE_ITO["bluish_green"]}
CONTINENT_COLOURS = {
    "asia": OKABE_ITO["vermillion"],
    "europe": OKABE_ITO["blue"],
    "north_america": OKABE_ITO["orange"],
    "oceania": OKABE_ITO["bluish_green"],
    "south_america": OKABE_ITO["reddish_purple"],
    "africa": OKABE_ITO["sky_blue"],
}
GREY = "#9A9A9A"
LIGHT_GREY = "#E6E6E6"
TEXT = "#222222"
#: Sequential colour map for heat maps (white → Okabe–Ito blue → navy): monotone in lightness.
SEQUENTIAL = LinearSegmentedColormap.from_list("gihi_seq", ["#FFFFFF", "#9ECAE9", OKABE_ITO["blue"], "#08306B"])

# --- fonts -----------------------------------------------------------------------------------

LATIN_FONT = "Noto Sans"
CJK_FONT = "Noto Sans CJK SC"
FONT_PACKAGES = {LATIN_FONT: "fonts-noto-core", CJK_FONT: "fonts-noto-cjk"}

# --- sizes (points / inches) -----------------------------------------------------------------

FIG_WIDTH = 7.2          # full text width of an A4 page with ~2 cm margins
FIG_WIDTH_HALF = 3.5
BASE_SIZE = 8.5
DPI = 200                # PNG preview resolution
SVG_HASHSALT = "gihi"
#: SVG metadata: no date (``None`` also stops SOURCE_DATE_EPOCH/today), no creator/version.
SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
PNG_METADATA = {"Software": None}


class FontMissingError(RuntimeError):
    """A font of the house style is not installed (or not visible to matplotlib)."""


class MissingGlyphError(ValueError):
    """Text contains characters that no house-style font can draw."""


def _font_entry(family: str):
    entries = [f for f in font_manager.fontManager.ttflist
               if f.name == family and f.style == "normal" and f.weight == 400]
    if not entries:
        entries = [f for f in font_manager.fontManager.ttflist if f.name == family]
    if not entries:
        raise FontMissingError(
            f"font {family!r} not found by matplotlib: install the Debian package "
            f"{FONT_PACKAGES.get(family, '?')} (apt-get install {FONT_PACKAGES.get(family, '?')}) and, "
            f"if it was installed after matplotlib built its cache, delete the cache in "
            f"{mpl.get_cachedir()}"
        )
    return sorted(entries, key=lambda f: (abs(f.weight - 400) if isinstance(f.weight, int) else 0, f.fname))[0]


@lru_cache(maxsize=None)
def font_files() -> dict[str, tuple[str, int]]:
    """``family -> (file, face index)`` of the two house fonts; raises :class:`FontMissingError`."""
    out = {}
    for fam in (LATIN_FONT, CJK_FONT):
        e = _font_entry(fam)
        out[fam] = (e.fname, int(getattr(e, "index", 0) or 0))
    return out


@lru_cache(maxsize=None)
def _cmap(path: str, index: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=index, lazy=True) if Path(path).suffix.lower() in (".ttc", ".otc") \
        else TTFont(path, lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


def covered(char: str) -> bool:
    """Whether one character is drawn by one of the house fonts (whitespace always counts)."""
    if char.isspace():
        return True
    cp = ord(char)
    return any(cp in _cmap(p, i) for p, i in font_files().values())


def missing_glyphs(text: str) -> list[str]:
    """Characters of ``text`` (in order of first appearance) that no house font covers."""
    seen: dict[str, None] = {}
    for ch in str(text):
        if ch not in seen and not covered(ch):
            seen[ch] = None
    return list(seen)


def check_glyphs(text: str) -> str:
    """Return ``text`` unchanged if every character is covered by the house fonts, else raise
    :class:`MissingGlyphError` listing the characters and their code points."""
    miss = missing_glyphs(text)
    if miss:
        desc = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in miss)
        raise MissingGlyphError(f"no glyph in {LATIN_FONT} / {CJK_FONT} for {desc} in {text!r}")
    return text


# --- rcParams --------------------------------------------------------------------------------

def rc_params() -> dict:
    """The house rcParams (raises :class:`FontMissingError` if a font is missing)."""
    font_files()  # fail early, with a clear message
    return {
        "font.family": [LATIN_FONT, CJK_FONT],
        "font.size": BASE_SIZE,
        "axes.titlesize": BASE_SIZE + 1,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.labelsize": BASE_SIZE,
        "axes.labelcolor": TEXT,
        "axes.edgecolor": "#555555",
        "axes.linewidth": 0.6,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.grid.axis": "both",
        "axes.axisbelow": True,
        "axes.prop_cycle": mpl.cycler(color=CYCLE),
        "axes.unicode_minus": True,
        "axes.formatter.use_mathtext": False,
        "axes.formatter.use_locale": False,
        "grid.color": LIGHT_GREY,
        "grid.linewidth": 0.5,
        "grid.linestyle": "-",
        "xtick.labelsize": BASE_SIZE - 0.5,
        "ytick.labelsize": BASE_SIZE - 0.5,
        "xtick.color": "#555555",
        "ytick.color": "#555555",
        "xtick.labelcolor": TEXT,
        "ytick.labelcolor": TEXT,
        "xtick.major.width": 0.6,
        "ytick.major.width": 0.6,
        "xtick.major.size": 3,
        "ytick.major.size": 3,
        "legend.fontsize": BASE_SIZE - 0.5,
        "legend.frameon": False,
        "legend.title_fontsize": BASE_SIZE,
        "figure.figsize": (FIG_WIDTH, 4.5),
        "figure.dpi": 100,
        "figure.facecolor": "white",
        "figure.titlesize": BASE_SIZE + 2,
        "figure.titleweight": "bold",
        "figure.constrained_layout.use": True,
        "savefig.dpi": DPI,
        "savefig.facecolor": "white",
        "savefig.bbox": None,
        "lines.linewidth": 1.4,
        "lines.markersize": 5,
        "patch.linewidth": 0.5,
        "image.cmap": "viridis",
        "svg.fonttype": "path",
        "svg.hashsalt": SVG_HASHSALT,
        "svg.id": None,
        "svg.image_inline": True,
        "text.usetex": False,
        "text.color": TEXT,
        "mathtext.default": "regular",
        "pdf.fonttype": 42,
    }


def apply_style() -> None:
    """Set the house rcParams globally (for notebooks)."""
    mpl.rcParams.update(rc_params())


@contextlib.contextmanager
def use_style():
    """Context manager: the house rcParams inside, the previous ones restored afterwards."""
    with mpl.rc_context(rc_params()):
        yield
