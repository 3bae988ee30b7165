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
from matplotlib.ticker import FixedFormatter, FixedLocator, LogLocator, MaxNLocator, NullFormatter

from gihi.report import style
import gihi.report.charts.geometry as geometry
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
        if p.get("xlabel"):   # wrapped to about the panel's width (the city names take ~2 in)
            room = (fig.get_figwidth() * 72 - 150) / len(panels) - 10
            ax.set_xlabel(wrap_to_width(p["xlabel"], room, style.BASE_SIZE))
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
    for ax in axes:   # once laid out, widen each panel so that its value labels fit
        after_layout(fig, lambda ax=ax: fit_value_labels(ax))
    after_layout(fig, lambda: fit_panel_titles(list(axes)))
    if legend:
        from matplotlib.patches import Patch
        handles = [Patch(color=c, label=t) for t, c in legend]
        fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 6))
    return axes


def text_width_pt(text: str, size: float) -> float:
    """Rough printed width of one line (points): CJK characters one em, others 0.55 em."""
    return sum(size if ord(ch) > 0x2E80 else 0.55 * size for ch in text)


def wrap_to_width(text: str, width_pt: float, size: float) -> str:
    """Wrap each line of ``text`` to about ``width_pt`` points at ``size`` (a bilingual
    ``"中文 English"`` line is first split between its Chinese and its English part)."""
    out = []
    for line in text.split("\n"):
        if text_width_pt(line, size) <= width_pt:
            out.append(line)
            continue
        last_cjk = max((i for i, ch in enumerate(line) if ord(ch) > 0x2E80), default=-1)
        cut = line.find(" ", last_cjk) if last_cjk >= 0 else -1
        parts = [line[:cut], line[cut + 1:]] if 0 < cut < len(line) - 1 else [line]
        for part in parts:
            cjk = sum(1 for ch in part if ord(ch) > 0x2E80) > len(part) / 2
            chars = int(width_pt / (size if cjk else 0.55 * size))
            out.append(wrap_title(part, max(4, chars)) if text_width_pt(part, size) > width_pt else part)
    return "\n".join(out)


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


# --- settling the layout ---------------------------------------------------------------------
#
# Labels are placed against the positions their points will have on the page. So a figure is
# laid out once for good (``settle``): constrained layout, then whatever depends on the layout
# (bar panels widened so that their value labels fit, panel titles made to fit, crowded ticks
# thinned), another layout pass only while some text sticks out of the figure, and the layout
# is frozen. Point labels are placed after that and are left out of the layout (they stay
# inside their axes), so nothing moves the points from under them when the figure is saved.

def after_layout(fig: Figure, hook) -> None:
    """Run ``hook()`` once the layout is known, before :func:`settle` freezes it (``hook``
    returns True when it changed something: the hooks and the tick tidying then run again)."""
    fig.__dict__.setdefault("_gihi_after_layout", []).append(hook)


def settle(fig: Figure) -> None:
    """Lay ``fig`` out for good (see above). Idempotent; chart code adds nothing that takes part
    in the layout (legends, notes) after calling it (place labels last)."""
    if getattr(fig, "_gihi_settled", False):
        return
    hooks = fig.__dict__.pop("_gihi_after_layout", [])
    for _ in range(3):
        fig.draw_without_rendering()   # a constrained-layout pass
        for _ in range(3):   # limits and ticks act on the transforms at once: no drawing needed
            changed = False
            for h in hooks:
                changed = bool(h()) or changed
            if not (tidy_ticks(fig) or changed):
                break
        # constrained layout converges over passes (polar titles, for one, move after it): one
        # more while some text sticks out of the figure
        if not geometry.cut_off(fig):
            break
    fig.set_layout_engine("none")
    fig._gihi_settled = True


def _in_view(axis, locs) -> list[float]:
    lo, hi = sorted(axis.get_view_interval())
    eps = (hi - lo) * 1e-9
    return [float(v) for v in locs if lo - eps <= v <= hi + eps]


def _categorical(axis) -> bool:
    """Ticks labelled one by one (city names, fields): each of them is needed."""
    fmt = axis.get_major_formatter()
    if isinstance(fmt, FixedFormatter):
        return True
    func = getattr(fmt, "func", None)
    return getattr(func, "func", None) is getattr(type(axis), "_format_with_dict", object())


def _thin(axis) -> bool:
    """One step towards fewer tick labels on ``axis``; False when nothing more can be done
    (categorical ticks: every label is needed, the chart must make room for them)."""
    minor_ticks = {id(t) for t in axis.minorTicks}
    minor = [t for t in axis._update_ticks() if id(t) in minor_ticks
             and any(lab.get_visible() and lab.get_text().strip() for lab in (t.label1, t.label2))]
    if minor and not isinstance(axis.get_minor_formatter(), NullFormatter):
        axis.set_minor_formatter(NullFormatter())
        return True
    loc = axis.get_major_locator()
    n = len(_in_view(axis, axis.get_majorticklocs()))
    if isinstance(loc, MaxNLocator):          # AutoLocator too
        if n <= 2:
            return False
        loc.set_params(nbins=max(1, n - 2))
        return True
    if isinstance(loc, LogLocator):
        if n <= 2:
            return False
        loc.set_params(numticks=max(2, n - 1))
        return True
    if isinstance(loc, FixedLocator) and not _categorical(axis):
        locs = sorted(_in_view(axis, loc.locs))
        if len(locs) <= 2:
            return False
        axis.set_major_locator(FixedLocator(locs[::2]))
        return True
    return False


def tidy_ticks(fig: Figure) -> bool:
    """Thin the numeric ticks of every (rectilinear) axis whose labels crowd each other: side by
    side labels keep at least 0.8 em apart, stacked ones :data:`geometry.TICK_GAP_PT`. Returns
    whether a locator changed."""
    renderer = fig.canvas.get_renderer()
    changed = False
    for ax in fig.axes:
        if not ax.get_visible() or not ax.axison or ax.name != "rectilinear":
            continue
        for axis in (ax.xaxis, ax.yaxis):
            for _ in range(10):
                labels = geometry.tick_labels(axis, renderer)
                if len(labels) < 2:
                    break
                side_by_side = axis is ax.xaxis and all(abs(t.get_rotation()) < 1 for t in labels)
                size = max(t.get_fontsize() for t in labels)
                gap = max(geometry.TICK_GAP_PT, 0.8 * size) if side_by_side else geometry.TICK_GAP_PT
                if not geometry.crowded_ticks(axis, renderer, gap) or not _thin(axis):
                    break
                changed = True
    # the end labels of panels side by side (or stacked) must not run into each other either
    for _ in range(6):
        clash = _clashing_end_tick(fig, renderer)
        if clash is None or not _prune(*clash):
            break
        changed = True
    return changed


def _clashing_end_tick(fig, renderer):
    """``(axis, "upper")``: an axis whose upper end tick label overlaps a tick label of another
    axes on its right (or above it); None when there is none."""
    labels = []
    for ax in fig.axes:
        if ax.get_visible() and ax.axison and ax.name == "rectilinear":
            for axis in (ax.xaxis, ax.yaxis):
                for t in geometry.tick_labels(axis, renderer):
                    labels.append((axis, t, geometry.text_box(t, renderer)))
    for i, (ax_a, ta, a) in enumerate(labels):
        for ax_b, tb, b in labels[i + 1:]:
            if ax_a.axes is ax_b.axes or not geometry.boxes_overlap(a, b, geometry.TICK_GAP_PT * geometry.pt(fig)):
                continue
            # prune the label nearer the other axes: the upper end of the one on the left (or below)
            first_is_before = (a.x0 + a.x1) < (b.x0 + b.x1) if ax_a.axis_name == "x" else (a.y0 + a.y1) < (b.y0 + b.y1)
            return (ax_a, "upper") if first_is_before else (ax_b, "upper")
    return None


def _prune(axis, end: str) -> bool:
    """Drop the tick at ``end`` of a numeric axis (not for categorical ticks)."""
    if _categorical(axis) or isinstance(axis.get_major_locator(), LogLocator):
        return False
    locs = sorted(_in_view(axis, axis.get_majorticklocs()))
    if len(locs) <= 2:
        return False
    axis.set_major_locator(FixedLocator(locs[:-1] if end == "upper" else locs[1:]))
    return True


def fit_value_labels(ax, pad_pt: float = 3.0) -> bool:
    """Widen the x range of a bar panel so that the labels written after the bars' ends
    (left-aligned annotations of data points) end before the next panel on the right, or the
    figure's edge. Returns whether it changed."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    lo, hi = ax.get_xlim()
    box = ax.get_window_extent(renderer)
    right = [o.get_window_extent(renderer).x0 for o in fig.axes
             if o is not ax and o.get_visible() and o.get_window_extent(renderer).x0 >= box.x1 - 1
             and o.get_window_extent(renderer).y1 > box.y0 and o.get_window_extent(renderer).y0 < box.y1]
    width = min(right + [fig.bbox.width]) - box.x0   # room from the panel's left edge
    need = hi
    for t in ax.texts:
        if not geometry.is_point_label(t) or t.get_horizontalalignment() != "left":
            continue
        v = float(t.xy[0])
        if not np.isfinite(v):
            continue
        x_px = ax.transData.transform((v, float(t.xy[1])))[0]
        extra = geometry.text_box(t, renderer).x1 - x_px + pad_pt * geometry.pt(fig)
        room = max(width - extra, 0.25 * box.width)
        need = max(need, lo + (v - lo) * box.width / room)
    if need > hi + 1e-9 * max(1.0, abs(hi)):
        ax.set_xlim(lo, need)
        return True
    return False


def fit_panel_titles(axes: list, pad_pt: float = 3.0, smallest: float = style.BASE_SIZE - 3) -> bool:
    """Panels side by side: make a (left-aligned) title that runs into the next panel's title
    smaller, down to ``smallest`` points. Returns whether a title changed."""
    if not axes:
        return False
    fig = axes[0].figure
    renderer = fig.canvas.get_renderer()
    k = geometry.pt(fig)
    changed = False
    for j, ax in enumerate(axes):
        limit = (axes[j + 1].get_window_extent(renderer).x0 if j + 1 < len(axes) else fig.bbox.width) - pad_pt * k
        for t in (ax.title, ax._left_title):
            while geometry.visible_text(t) and geometry.text_box(t, renderer).x1 > limit and t.get_fontsize() > smallest:
                t.set_fontsize(t.get_fontsize() - 0.5)
                changed = True
    return changed


# --- point labels ----------------------------------------------------------------------------

def line_note(ax, text: str, y: float, *, fontsize: float | None = None, colour: str = style.TEXT):
    """Name a horizontal reference line at ``y``: at its right or left end, above or below it,
    wherever the name covers the least of the markers (ties: right above, left above, right
    below, left below). Call it after the markers are drawn, before :func:`place_labels`."""
    fig = ax.figure
    settle(fig)
    renderer = fig.canvas.get_renderer()
    k = geometry.pt(fig)
    marks = geometry.markers(ax)
    best = None
    for xf, dx, ha in ((1.0, -2, "right"), (0.0, 2, "left")):
        for dy, va in ((3, "bottom"), (-3, "top")):
            art = ax.annotate(text, (xf, y), xycoords=("axes fraction", "data"), xytext=(dx, dy),
                              textcoords="offset points", ha=ha, va=va, fontsize=fontsize or style.BASE_SIZE - 1.5,
                              color=colour, annotation_clip=False)
            art.set_in_layout(False)
            box = geometry.text_box(art, renderer)
            cover = sum(geometry.circle_box_overlap(box, m.x, m.y, m.r + 1.5 * k) for m in marks)
            if best is None or cover < best[0] - 1e-9:
                if best is not None:
                    best[1].remove()
                best = (cover, art)
            else:
                art.remove()
    return best[1]

#: touching positions (direction of the contact point, horizontal and vertical alignment of the
#: box there), in order of preference: beside, the diagonals, beside and above/below the point's
#: level, above, below, above/below on either side.
_TOUCH = [(0, "left", "center"), (180, "right", "center"),
          (45, "left", "bottom"), (-45, "left", "top"), (135, "right", "bottom"), (-135, "right", "top"),
          (0, "left", "bottom"), (0, "left", "top"), (180, "right", "bottom"), (180, "right", "top"),
          (90, "center", "bottom"), (-90, "center", "top"),
          (90, "left", "bottom"), (90, "right", "bottom"), (-90, "left", "top"), (-90, "right", "top")]
_TOUCH_GAPS = (1.5, 3.0)                   # pt between the marker's edge and the label's box
_LEADER_DISTANCES = (10, 16, 24, 34, 48)   # pt between the marker's edge and a moved label
_LEADER_ANGLES = (0, 180, 45, -45, 135, -135, 90, -90, 22.5, -22.5, 157.5, -157.5, 67.5, -67.5, 112.5, -112.5)
_FX = {"left": 0.0, "center": 0.5, "right": 1.0}
_FY = {"bottom": 0.0, "center": 0.5, "top": 1.0}


def _align(angle: float) -> tuple[str, str]:
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    return ("left" if c > 0.38 else "right" if c < -0.38 else "center",
            "bottom" if s > 0.38 else "top" if s < -0.38 else "center")


def _boxes_hit(cand: np.ndarray, boxes: np.ndarray, margin: float) -> np.ndarray:
    """For each candidate box (rows x0 y0 x1 y1), whether it comes within ``margin`` of any box."""
    if len(boxes) == 0:
        return np.zeros(len(cand), dtype=bool)
    c = cand[:, None, :]
    b = boxes[None, :, :]
    hit = ((c[..., 0] < b[..., 2] + margin) & (b[..., 0] < c[..., 2] + margin)
           & (c[..., 1] < b[..., 3] + margin) & (b[..., 1] < c[..., 3] + margin))
    return hit.any(axis=1)


def _segment_hits_box(p: np.ndarray, q: np.ndarray, boxes: np.ndarray) -> int:
    """How many boxes the segment p–q passes through."""
    return int(_segment_box_mask(p, q, boxes).sum())


def _segment_box_mask(p: np.ndarray, q: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Which boxes the segment p–q passes through (Liang–Barsky, vectorised over boxes)."""
    if len(boxes) == 0:
        return np.zeros(0, dtype=bool)
    d = q - p
    t0 = np.zeros(len(boxes))
    t1 = np.ones(len(boxes))
    ok = np.ones(len(boxes), dtype=bool)
    for dim in (0, 1):
        lo, hi = boxes[:, dim], boxes[:, dim + 2]
        if abs(d[dim]) < 1e-12:
            ok &= (p[dim] >= lo) & (p[dim] <= hi)
            continue
        a = (lo - p[dim]) / d[dim]
        b = (hi - p[dim]) / d[dim]
        t0 = np.maximum(t0, np.minimum(a, b))
        t1 = np.minimum(t1, np.maximum(a, b))
    return ok & (t0 < t1)


def _line_samples(ax, step: float) -> np.ndarray:
    """Points every ``step`` pixels along the lines drawn in ``ax`` (to keep labels off them)."""
    out = []
    for line in ax.lines:
        if not line.get_visible() or line.get_linestyle() in ("None", "", " "):
            continue
        xy = np.asarray(line.get_xydata(), dtype=float)
        if len(xy) < 2:
            continue
        d = line.get_transform().transform(xy)
        d = d[np.isfinite(d).all(axis=1)]
        for a, b in zip(d[:-1], d[1:]):
            n = max(1, int(math.hypot(*(b - a)) / step))
            t = np.linspace(0.0, 1.0, n + 1)[:, None]
            out.append(a + t * (b - a))
    return np.concatenate(out) if out else np.empty((0, 2))


def place_labels(ax, xs: Sequence[float], ys: Sequence[float], texts: Sequence[str], *,
                 fontsize: float | None = None, avoid_points: bool = True, colour: str | Sequence[str] = style.TEXT,
                 sizes_pt: Sequence[float] | None = None, halo: bool = True, leaders: bool = True):
    """Label points so that every label stays attached to its point (deterministic; greedy in
    the given order, so pass the leaders first). Call it last in a chart: it settles the figure
    (:func:`settle`) so that the points are where they will be printed.

    Each label takes the cheapest acceptable of these positions: touching its marker (box within
    1.5–3 pt of the marker's edge: beside, on a diagonal, above or below; within the bound
    :data:`geometry.LABEL_GAP_PT`), else farther out (10–48 pt) joined to the point by a thin
    leader line. A position is refused when it overlaps a label placed before, any other text or
    leaves the figure; it costs more the more markers and lines it covers, when it leaves the
    axes, when another marker is as near as its own (it would read as that city's label), and the
    farther it is. A label with no acceptable position is left out. Returns the labels placed.
    """
    fig = ax.figure
    settle(fig)
    renderer = fig.canvas.get_renderer()
    k = geometry.pt(fig)
    fontsize = fontsize or style.BASE_SIZE - 1.5
    colours = [colour] * len(xs) if isinstance(colour, str) else list(colour)
    pts = ax.transData.transform(np.column_stack([np.asarray(xs, float), np.asarray(ys, float)]))
    marks = geometry.markers(ax)
    mx = np.array([m.x for m in marks]) if marks else np.empty(0)
    my = np.array([m.y for m in marks]) if marks else np.empty(0)
    mr = np.array([m.r for m in marks]) if marks else np.empty(0)
    fixed = [geometry.text_box(t, renderer).extents for t in geometry.all_axes_texts(fig) + geometry.all_tick_labels(fig, renderer)]
    fixed = np.array(fixed) if fixed else np.empty((0, 4))
    placed = np.empty((0, 4))
    segments: list[tuple[np.ndarray, np.ndarray]] = []
    line_pts = _line_samples(ax, 2.0 * k)
    axb = ax.get_window_extent(renderer).extents
    W, H = fig.bbox.width, fig.bbox.height
    artists = []
    for i, (t, (cx, cy)) in enumerate(zip(texts, pts)):
        if not (np.isfinite(cx) and np.isfinite(cy)):
            continue
        here = (np.abs(mx - cx) <= 0.75) & (np.abs(my - cy) <= 0.75)
        if here.any():
            r = float(mr[here].max())
        elif sizes_pt is not None:
            r = math.sqrt(max(float(sizes_pt[i]), 0.0)) / 2.0 * k
        else:
            r = 0.0
        probe = ax.annotate(t, (xs[i], ys[i]), xytext=(0, 0), textcoords="offset points", fontsize=fontsize,
                            ha="left", va="bottom", annotation_clip=False)
        bb = geometry.text_box(probe, renderer)
        probe.remove()
        w, h = bb.width, bb.height
        # candidates: alignment point (px, py), ha, va, leader distance (0 = touching), preference
        cand = []
        for g in _TOUCH_GAPS:
            d = r + g * k
            for j, (ang, ha, va) in enumerate(_TOUCH):
                a = math.radians(ang)
                cand.append((cx + d * math.cos(a), cy + d * math.sin(a), ha, va, 0.0, 0.3 * j + (2.0 if g > 2 else 0.0)))
        if leaders:
            for dist in _LEADER_DISTANCES:
                d = r + dist * k
                for j, ang in enumerate(_LEADER_ANGLES):
                    a = math.radians(ang)
                    ha, va = _align(ang)
                    cand.append((cx + d * math.cos(a), cy + d * math.sin(a), ha, va, dist, 40.0 + 1.5 * dist + 0.3 * j))
        px = np.array([c[0] for c in cand])
        py = np.array([c[1] for c in cand])
        fx = np.array([_FX[c[2]] for c in cand])
        fy = np.array([_FY[c[3]] for c in cand])
        boxes = np.column_stack([px - w * fx, py - h * fy, px - w * fx + w, py - h * fy + h])
        cost = np.array([c[5] for c in cand])
        # refused: overlapping a placed label or another text, or leaving the figure
        bad = _boxes_hit(boxes, placed, 1.0 * k) | _boxes_hit(boxes, fixed, 0.5 * k)
        bad |= (boxes[:, 0] < 1) | (boxes[:, 1] < 1) | (boxes[:, 2] > W - 1) | (boxes[:, 3] > H - 1)
        # leaving the axes
        iw = np.clip(np.minimum(boxes[:, 2], axb[2]) - np.maximum(boxes[:, 0], axb[0]), 0, None)
        ih = np.clip(np.minimum(boxes[:, 3], axb[3]) - np.maximum(boxes[:, 1], axb[1]), 0, None)
        cost += 300.0 * (1.0 - iw * ih / (w * h))
        others = ~here if len(marks) else np.zeros(0, dtype=bool)
        if avoid_points and others.any():
            ox, oy, orr = mx[others], my[others], mr[others]
            # area of other markers under the label (pt²)
            ow = np.clip(np.minimum(boxes[:, None, 2], (ox + orr)[None]) - np.maximum(boxes[:, None, 0], (ox - orr)[None]), 0, None)
            oh = np.clip(np.minimum(boxes[:, None, 3], (oy + orr)[None]) - np.maximum(boxes[:, None, 1], (oy - orr)[None]), 0, None)
            cost += (ow * oh).sum(axis=1) * (math.pi / 4) / (k * k)
            # distance from the label to the nearest other marker's edge (pt)
            dx = np.maximum(np.maximum(boxes[:, None, 0] - ox[None], ox[None] - boxes[:, None, 2]), 0)
            dy = np.maximum(np.maximum(boxes[:, None, 1] - oy[None], oy[None] - boxes[:, None, 3]), 0)
            near = ((np.hypot(dx, dy) - orr[None]).min(axis=1)) / k
            # nor should another marker sit at its other end (the label would read as that one's)
            third = (boxes[:, 2] - boxes[:, 0]) / 3.0
            xf = np.where(cx <= boxes[:, 0] + third, boxes[:, 2], np.where(cx >= boxes[:, 2] - third, boxes[:, 0], np.nan))
            online = ((oy + orr)[None] > boxes[:, None, 1]) & ((oy - orr)[None] < boxes[:, None, 3])
            fnear = np.where(online, np.abs(ox[None] - xf[:, None]) - orr[None], np.inf).min(axis=1) / k
            fnear = np.where(np.isnan(xf), np.inf, fnear)
            touching = np.array([c[4] == 0 for c in cand])
            own_gap = np.where(touching, np.array([_TOUCH_GAPS[0] if n < len(_TOUCH) else _TOUCH_GAPS[1]
                                                   for n in range(len(cand))]), np.inf)
            # a touching label must be clearly nearer its own marker than any other (else it is
            # refused: rather left out than read as another city's), better still by a margin; a
            # moved one must not touch another marker either
            bad |= touching & ((near < own_gap + geometry.AMBIGUITY_MARGIN_PT + 0.5)
                               | (fnear < geometry.FAR_END_PT + 0.5))
            cost += np.where(touching & ((near < own_gap + 2.0 * geometry.AMBIGUITY_MARGIN_PT)
                                         | (fnear < geometry.FAR_END_PT + 2.0)), 200.0, 0.0)
            cost += np.where(~touching & (near < geometry.AMBIGUITY_MARGIN_PT + 1.0), 30.0, 0.0)
        for a, b in segments:   # nor across the leader line of a label placed before
            bad |= _segment_box_mask(a, b, boxes)
        if len(line_pts):
            inside = ((line_pts[None, :, 0] >= boxes[:, None, 0]) & (line_pts[None, :, 0] <= boxes[:, None, 2])
                      & (line_pts[None, :, 1] >= boxes[:, None, 1]) & (line_pts[None, :, 1] <= boxes[:, None, 3]))
            cost += 0.5 * inside.sum(axis=1)
        order = np.argsort(np.where(bad, np.inf, cost), kind="mergesort")
        best = None
        for n in order[:12]:
            if bad[n]:
                break
            c = cand[n]
            extra = 0.0
            if c[4] > 0:   # a leader from the marker's edge to the label: not through other labels
                ang = math.atan2(c[1] - cy, c[0] - cx)
                p = np.array([cx + r * math.cos(ang), cy + r * math.sin(ang)])
                q = np.array([c[0], c[1]])
                extra += 500.0 * _segment_hits_box(p, q, placed)
                extra += 100.0 * sum(_segments_cross(p, q, a, b) for a, b in segments)
            if best is None or cost[n] + extra < best[0] - 1e-9:
                best = (cost[n] + extra, n)
        if best is None:   # no room for this label: left out (the leaders were placed first), on record
            ax.__dict__.setdefault("_gihi_left_out", []).append(t)
            continue
        c = cand[best[1]]
        arrow = None
        if c[4] > 0:
            ang = math.atan2(c[1] - cy, c[0] - cx)
            segments.append((np.array([cx + r * math.cos(ang), cy + r * math.sin(ang)]), np.array([c[0], c[1]])))
            arrow = dict(arrowstyle="-", color=style.GREY, linewidth=0.6, shrinkA=0, shrinkB=r / k,
                         relpos=(_FX[c[2]], _FY[c[3]]))
        art = ax.annotate(t, (xs[i], ys[i]), xytext=((c[0] - cx) / k, (c[1] - cy) / k), textcoords="offset points",
                          ha=c[2], va=c[3], fontsize=fontsize, color=colours[i], annotation_clip=False, zorder=5,
                          arrowprops=arrow)
        art.set_in_layout(False)
        if halo:
            art.set_path_effects([patheffects.withStroke(linewidth=2.2, foreground="white")])
        placed = np.vstack([placed, boxes[best[1]]])
        artists.append(art)
    return artists


def _segments_cross(p1, p2, q1, q2) -> bool:
    def orient(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    d1, d2 = orient(q1, q2, p1), orient(q1, q2, p2)
    d3, d4 = orient(p1, p2, q1), orient(p1, p2, q2)
    return (d1 * d2 < 0) and (d3 * d4 < 0)


def spread_positions(values: Sequence[float], min_gap: float | Sequence[float], lo: float = -math.inf,
                     hi: float = math.inf) -> list[float]:
    """1-D label spreading: positions as close as possible (least squares) to ``values`` with
    neighbours (in the order of the values) at least ``min_gap`` apart — one gap for all, or one
    per neighbouring pair in sorted order — and all within ``[lo, hi]`` when there is room.
    Exact (pool-adjacent-violators), deterministic."""
    v = np.asarray(values, dtype=float)
    n = len(v)
    if n == 0:
        return []
    order = np.argsort(v, kind="mergesort")
    gaps = np.full(max(n - 1, 0), float(min_gap)) if np.isscalar(min_gap) else np.asarray(min_gap, dtype=float)
    offset = np.concatenate([[0.0], np.cumsum(gaps)])
    target = v[order] - offset          # positions = q + offset, q non-decreasing
    blocks: list[list[float]] = []      # [sum, count]
    for x in target:
        blocks.append([x, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, c = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += c
    q = np.concatenate([np.full(int(c), s / c) for s, c in blocks])
    top = hi - offset[-1]
    if top >= lo:
        q = np.clip(q, lo, top)
    pos = q + offset
    out = np.empty(n)
    out[order] = pos
    return [float(x) for x in out]


def direct_labels(ax, ends: dict[str, tuple[float, float]], colours: dict[str, str], texts: dict[str, str],
                  *, fontsize: float | None = None, gap_pt: float = 1.0, dx_pt: float = 3.0):
    """Label line ends at the right of the axes. Each label sits beside its line's end; where
    labels would collide they are spread vertically (as little as possible, order kept), and a
    label moved away from its end is joined to it by a thin leader line in the line's colour.
    Call it last in a chart (it settles the figure)."""
    fig = ax.figure
    fontsize = fontsize or style.BASE_SIZE - 1.5
    lead = 14.0   # pt: room for a leader's slant (reserved for every label by the layout)
    keys = list(ends)
    arts = {key: ax.annotate(texts[key], ends[key], xytext=(lead, 0), textcoords="offset points", ha="left",
                             va="center", fontsize=fontsize, color=colours[key], annotation_clip=False)
            for key in keys}
    settle(fig)
    if not keys:
        return []
    renderer = fig.canvas.get_renderer()
    k = geometry.pt(fig)
    disp = ax.transData.transform(np.array([ends[key] for key in keys], dtype=float))
    heights = np.array([geometry.text_box(arts[key], renderer).height for key in keys])
    order = np.argsort(disp[:, 1], kind="mergesort")
    hs = heights[order]
    gaps = (hs[:-1] + hs[1:]) / 2 + gap_pt * k
    axb = ax.get_window_extent(renderer)
    lo = axb.y0 + hs[0] / 2
    hi = fig.bbox.height - 1 - hs[-1] / 2
    ys = spread_positions(disp[:, 1], gaps, lo, hi)
    out = []
    for key, (_, y_end), y_new, h in zip(keys, disp, ys, heights):
        art = arts[key]
        dy = y_new - y_end
        if math.hypot(dx_pt * k, max(0.0, abs(dy) - h / 2)) <= (geometry.LABEL_GAP_PT - 0.5) * k:
            art.xyann = (dx_pt, dy / k)
        else:
            art.remove()
            art = ax.annotate(texts[key], ends[key], xytext=(lead, dy / k), textcoords="offset points", ha="left",
                              va="center", fontsize=fontsize, color=colours[key], annotation_clip=False,
                              arrowprops=dict(arrowstyle="-", color=colours[key], linewidth=0.6, shrinkA=0, shrinkB=0,
                                              relpos=(0.0, 0.5)))
        art.set_in_layout(False)
        out.append(art)
    return out
