"""Shared helpers of the chart modules: input normalisation, figure creation, bar panels,
number formatting and deterministic label placement."""
from __future__ import annotations

import math
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from gihi.report import style
from gihi.report.charts.labels import Labeller


# --- inputs ----------------------------------------------------------------------------------

def by_id(frame: pd.DataFrame, what: str = "table") -> pd.DataFrame:
    """Return ``frame`` indexed by city id (from an ``id`` column or an index named/used as id)."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, got {type(frame).__name__}")
    if "id" in frame.columns:
        out = frame.set_index("id")
    else:
        out = frame.copy()
    out.index = out.index.astype(str)
    out.index.name = "id"
    if out.index.has_duplicates:
        raise ValueError(f"{what}: duplicated city ids {sorted(set(out.index[out.index.duplicated()]))[:5]}")
    return out


def require(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    miss = [c for c in columns if c not in frame.columns]
    if miss:
        raise KeyError(f"{what} lacks column(s) {miss}; has {list(frame.columns)}")


def filter_group(frame: pd.DataFrame, group: str | None, cities: pd.DataFrame | None = None) -> pd.DataFrame:
    """Keep rows of ``group`` using the frame's ``group`` column, else the city table's."""
    if group is None:
        return frame
    if "group" in frame.columns:
        return frame[frame["group"] == group]
    if cities is not None:
        c = by_id(cities, "cities")
        if "group" in c.columns:
            g = c["group"].reindex(frame.index)
            return frame[g == group]
    return frame


def top_ids(values: pd.Series, n: int) -> list[str]:
    """Ids of the ``n`` largest non-missing values, ties by id (deterministic)."""
    v = pd.to_numeric(values, errors="coerce").dropna()
    v = v.sort_index(kind="mergesort").sort_values(ascending=False, kind="mergesort")
    return list(v.index[:n])


def city_attr(cities: pd.DataFrame | None, ids: Sequence[str], col: str) -> pd.Series:
    if cities is None:
        return pd.Series([None] * len(ids), index=list(ids), dtype=object)
    c = by_id(cities, "cities")
    if col not in c.columns:
        return pd.Series([None] * len(ids), index=list(ids), dtype=object)
    return c[col].reindex(list(ids))


def continent_colours(cities: pd.DataFrame | None, ids: Sequence[str]) -> list[str]:
    cont = city_attr(cities, ids, "continent")
    return [style.CONTINENT_COLOURS.get(c, style.GREY) for c in cont]


# --- figures ---------------------------------------------------------------------------------

def new_figure(width: float = style.FIG_WIDTH, height: float = 4.5) -> Figure:
    """A figure outside pyplot (no global state, no 'too many figures' warnings) with an Agg canvas."""
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def empty_figure(lab: Labeller, width: float = style.FIG_WIDTH, height: float = 2.0) -> Figure:
    """A figure saying "no data" (used when the filtered input is empty)."""
    fig = new_figure(width, height)
    ax = fig.subplots()
    ax.set_axis_off()
    ax.text(0.5, 0.5, lab.ui("no_data"), ha="center", va="center", color=style.GREY,
            fontsize=style.BASE_SIZE + 2, transform=ax.transAxes)
    return fig


def nice_ceiling(x: float, step: float = 20.0) -> float:
    return step * math.ceil(max(x, step * 0.5) / step)


def nice_ticks(vmax: float, fractions=(0.0, 1 / 16, 1 / 4, 1.0)) -> list[float]:
    """Round ticks (1–2 significant digits) at fractions of ``vmax`` (for square-root colour scales)."""
    out = []
    for f in fractions:
        v = vmax * f
        if v <= 0:
            out.append(0.0)
            continue
        mag = 10 ** math.floor(math.log10(v))
        r = round(v / mag) * mag if f < 1 else math.floor(v / mag) * mag
        if r not in out and r <= vmax:
            out.append(float(r))
    return out


def rows_height(n_rows: int, per_row: float = 0.22, extra: float = 0.9, minimum: float = 2.4,
                lang: str = "zh") -> float:
    """Figure height for ``n_rows`` bar rows (bilingual rows hold two-line city names)."""
    if lang == "bi":
        per_row = max(per_row, 0.36)
    return max(minimum, extra + per_row * n_rows)


def panel_title(lab: Labeller, code: str, chars: int) -> str:
    """A code's name for a panel title: each language part wrapped to ``chars`` (CJK counts 2)."""
    parts = lab.code(code, sep="\n").split("\n")
    out = []
    for part in parts:
        cjk = sum(1 for ch in part if ord(ch) > 0x2E80)
        width = chars // 2 if cjk > len(part) / 2 else chars
        out.append(wrap_title(part, max(4, width)))
    return "\n".join(out)


# --- numbers ---------------------------------------------------------------------------------

def fmt_value(v: float, decimals: int | None = None) -> str:
    """Compact number for bar labels: thousands separators, sensible decimals, '–' for missing."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or pd.isna(v):
        return "–"
    v = float(v)
    if decimals is not None:
        return f"{v:,.{decimals}f}"
    a = abs(v)
    if a == 0:
        return "0"
    if a >= 100 or float(v).is_integer():
        return f"{v:,.0f}"
    if a >= 10:
        return f"{v:,.1f}"
    if a >= 0.1:
        return f"{v:,.2f}"
    return f"{v:.3g}"


def thousands_formatter():
    """Tick formatter with thousands separators (no offset / scientific notation)."""
    from matplotlib.ticker import FuncFormatter

    def f(x, _pos):
        if x == 0:
            return "0"
        if abs(x) >= 1000 or float(x).is_integer():
            return f"{x:,.0f}".replace("-", "\u2212")
        return f"{x:,.6g}".replace("-", "\u2212")
    return FuncFormatter(f)


# --- bars ------------------------------------------------------------------------------------

def hbar_panels(fig: Figure, ids: list[str], panels: list[dict], lab: Labeller, *,
                colours: list[str] | None = None, lollipop_from: float | None = None,
                legend: list[tuple[str, str]] | None = None, city_sep: str | None = None):
    """Horizontal bar panels sharing one city axis (ids top → bottom).

    In bilingual charts city names go on two lines (``city_sep``). Each panel dict: ``values`` (Series by id), ``title``, optional ``colour``, ``xlabel``,
    ``xlim``, ``decimals``. With ``lollipop_from`` (e.g. 60 for [60, 100] scores) a panel is drawn
    as a lollipop starting there instead of a bar from 0. ``colours`` (one per id) overrides the
    panel colour. Returns the axes.
    """
    axes = fig.subplots(1, len(panels), squeeze=False)[0]  # not sharey: cheaper layout, same limits set below
    y = np.arange(len(ids))
    city_sep = city_sep or ("\n" if lab.lang == "bi" else " ")
    names = [lab.city(i, sep=city_sep) for i in ids]
    for ax, p in zip(axes, panels):
        vals = pd.to_numeric(p["values"].reindex(ids), errors="coerce").to_numpy(dtype=float)
        col = colours if colours is not None else [p.get("colour", style.OKABE_ITO["blue"])] * len(ids)
        finite = np.where(np.isnan(vals), 0.0, vals)
        if lollipop_from is None:
            ax.barh(y, finite, color=col, height=0.7, linewidth=0)
            base = 0.0
        else:
            base = lollipop_from
            ax.hlines(y, base, np.where(np.isnan(vals), base, vals), color=col, linewidth=1.6)
            ax.scatter(np.where(np.isnan(vals), np.nan, vals), y, color=col, s=22, zorder=3, linewidths=0)
        vmax = np.nanmax(vals) if np.isfinite(vals).any() else 1.0
        vmax = vmax if vmax > base else base + 1.0
        lo, hi = p.get("xlim", (base, vmax * 1.22 if lollipop_from is None else max(vmax + 0.2 * (vmax - base), 100.0)))
        ax.set_xlim(lo, hi)
        for yi, v in zip(y, vals):
            text = lab.ui("no_data") if np.isnan(v) else fmt_value(v, p.get("decimals"))
            x = base if np.isnan(v) else max(v, base)
            ax.annotate(text, (x, yi), xytext=(3 if lollipop_from is None else 5, 0), textcoords="offset points",
                        va="center", ha="left", fontsize=style.BASE_SIZE - 1.5,
                        color=style.TEXT if not np.isnan(v) else style.GREY)
        ax.set_title(p["title"], fontsize=p.get("title_size", style.BASE_SIZE), loc="left", fontweight="bold")
        if p.get("xlabel"):
            ax.set_xlabel(p["xlabel"])
        if lollipop_from is None:
            ax.xaxis.set_major_formatter(thousands_formatter())
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
    axes[0].set_yticks(y, names)
    for ax in axes:
        ax.set_ylim(len(ids) - 0.5, -0.6)
    for ax in axes[1:]:
        ax.set_yticks(y)
        ax.tick_params(axis="y", labelleft=False)
    if legend:
        from matplotlib.patches import Patch
        handles = [Patch(color=c, label=t) for t, c in legend]
        fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 6))
    return axes


def wrap_title(text: str, width: int = 28) -> str:
    """Wrap long (Latin) titles on spaces; Chinese text is wrapped by length at character level."""
    if len(text) <= width:
        return text
    if " " not in text:
        return "\n".join(text[i:i + width] for i in range(0, len(text), width))
    lines, cur = [], ""
    for word in text.split(" "):
        if cur and len(cur) + 1 + len(word) > width:
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    lines.append(cur)
    return "\n".join(lines)


# --- label placement -------------------------------------------------------------------------

_OFFSETS = [(3, 2), (3, -2), (-3, 2), (-3, -2), (0, 4), (0, -4), (4, 0), (-4, 0),
            (9, 9), (9, -9), (-9, 9), (-9, -9), (0, 14), (0, -14), (14, 0), (-14, 0),
            (18, 18), (18, -18), (-18, 18), (-18, -18)]
_LEADER_FROM = 8  # offsets (pt) beyond this get a thin leader line


def _ha_va(dx: float, dy: float) -> tuple[str, str]:
    ha = "left" if dx > 0 else "right" if dx < 0 else "center"
    va = "bottom" if dy > 0 else "top" if dy < 0 else "center"
    return ha, va


def place_labels(ax, xs: Sequence[float], ys: Sequence[float], texts: Sequence[str], *,
                 fontsize: float | None = None, avoid_points: bool = True, colour: str | Sequence[str] = style.TEXT,
                 sizes_pt: Sequence[float] | None = None, halo: bool = True):
    """Greedy deterministic label placement: each label (in the given priority order) takes the
    first of 16 candidate offsets around its point with the least overlap with labels already
    placed, the points and the axes border. Returns the text artists."""
    fig = ax.figure
    fig.draw_without_rendering()  # settle the layout so that display coordinates are meaningful
    renderer = fig.canvas.get_renderer()
    fontsize = fontsize or style.BASE_SIZE - 1.5
    pts = ax.transData.transform(np.column_stack([xs, ys]))
    rad = [max(2.0, math.sqrt(s) / 2.0) if sizes_pt is not None else 3.0 for s in (sizes_pt or [None] * len(xs))]
    px = fig.dpi / 72.0
    point_boxes = [Bbox.from_extents(x - r * px, y - r * px, x + r * px, y + r * px) for (x, y), r in zip(pts, rad)]
    axbox = ax.get_window_extent(renderer)
    placed: list[Bbox] = []
    artists = []
    colours = [colour] * len(xs) if isinstance(colour, str) else list(colour)

    def overlap(a: Bbox, b: Bbox) -> float:
        w = min(a.x1, b.x1) - max(a.x0, b.x0)
        h = min(a.y1, b.y1) - max(a.y0, b.y0)
        return w * h if w > 0 and h > 0 else 0.0

    for i, (x, y, t) in enumerate(zip(xs, ys, texts)):
        best, best_cost, best_art = None, None, None
        for dx, dy in _OFFSETS:
            r = rad[i]
            ox = dx + (math.copysign(r, dx) if dx else 0)
            oy = dy + (math.copysign(r, dy) if dy else 0)
            ha, va = _ha_va(dx, dy)
            far = max(abs(dx), abs(dy)) > _LEADER_FROM
            art = ax.annotate(t, (x, y), xytext=(ox, oy), textcoords="offset points", ha=ha, va=va,
                              fontsize=fontsize, color=colours[i], annotation_clip=False, zorder=5,
                              arrowprops=dict(arrowstyle="-", color=style.TEXT, linewidth=0.5,
                                              shrinkA=0, shrinkB=r) if far else None)
            if halo:
                art.set_path_effects([patheffects.withStroke(linewidth=2.2, foreground="white")])
            bb = art.get_window_extent(renderer)
            cost = sum(overlap(bb, p) for p in placed)
            if avoid_points:
                cost += sum(overlap(bb, p) for j, p in enumerate(point_boxes) if j != i) * 0.5
            cost += 0.02 * (dx * dx + dy * dy)  # prefer close positions
            outside = bb.width * bb.height - overlap(bb, axbox)
            cost += outside * 2
            if best_cost is None or cost < best_cost - 1e-9:
                if best_art is not None:
                    best_art.remove()
                best, best_cost, best_art = bb, cost, art
            else:
                art.remove()
            if sum(overlap(bb, p) for p in placed) == 0 and cost <= 0.02 * 25 + 1e-9:
                break
        placed.append(best)
        artists.append(best_art)
    return artists


def spread_positions(values: Sequence[float], min_gap: float) -> list[float]:
    """1-D label spreading: positions as close as possible to ``values`` with at least
    ``min_gap`` between neighbours (order preserved). Deterministic."""
    v = np.asarray(values, dtype=float)
    order = np.argsort(v, kind="mergesort")
    pos = v[order].copy()
    for _ in range(200):
        moved = False
        for k in range(1, len(pos)):
            gap = pos[k] - pos[k - 1]
            if gap < min_gap - 1e-12:
                shift = (min_gap - gap) / 2
                pos[k - 1] -= shift
                pos[k] += shift
                moved = True
        if not moved:
            break
    out = np.empty_like(pos)
    out[order] = pos
    return list(out)


def direct_labels(ax, ends: dict[str, tuple[float, float]], colours: dict[str, str], texts: dict[str, str],
                  *, fontsize: float | None = None, gap_pt: float | None = None, dx_pt: float = 4):
    """Label line ends at the right of the axes, spread vertically so they do not collide."""
    fig = ax.figure
    fig.draw_without_rendering()
    fontsize = fontsize or style.BASE_SIZE - 1.5
    gap_pt = gap_pt or fontsize * 1.25
    keys = list(ends)
    disp = ax.transData.transform(np.array([ends[k] for k in keys]))
    px = fig.dpi / 72.0
    ys = spread_positions(disp[:, 1], gap_pt * px)
    arts = []
    for k, (_, y_d), y_new in zip(keys, disp, ys):
        arts.append(ax.annotate(texts[k], ends[k], xytext=(dx_pt, (y_new - y_d) / px),
                                textcoords="offset points", ha="left", va="center", fontsize=fontsize,
                                color=colours[k], annotation_clip=False))
    return arts
