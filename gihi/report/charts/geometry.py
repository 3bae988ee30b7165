"""What a drawn figure looks like on the page, in display coordinates (pixels at the figure's
dpi; ``pt(fig)`` pixels per typographic point): the boxes of its texts, its markers, each
point label's distance to its point, overlaps. The label placement (:mod:`._common`) uses it
to choose positions and ``tests/test_chart_geometry.py`` to check every chart.

Conventions the charts follow so that a label can be checked against its point:

* a label of a point is an :class:`~matplotlib.text.Annotation` whose ``xy`` is the point (in
  data coordinates) and whose text is offset from it; when it had to be moved away, a leader
  line (``arrowprops``) joins it to the point;
* a point is a scatter marker (a ``PathCollection`` of the axes) or a marker of a line; its
  radius is taken from the marker size (``s`` is the area in pt², ``markersize`` the diameter).

The bound: the nearest point of a label's box lies within :data:`LABEL_GAP_PT` points of its
marker's edge (bar-end labels: of the bar's end), unless a leader line joins them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.lines import Line2D
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

#: Largest gap (points) between a label's box and the edge of its marker without a leader line:
#: about half the height of a label line at the charts' 7 pt, so that the label reads as the
#: point's own (the nearest label to a point, and the nearest point to a label).
LABEL_GAP_PT = 4.0
#: Smallest gap (points) between two tick labels of an axis: "50,000100,000" must never happen.
TICK_GAP_PT = 2.0
#: A label without a leader line must be nearer its own marker than any other marker by at least
#: this much (points): else it reads as the other city's label.
AMBIGUITY_MARGIN_PT = 2.0
#: A label without a leader line that starts (or ends) at its own marker must have no other
#: marker this near (points) to its other end: "Seoul" written from the Greater Bay Area's
#: bubble towards Seoul's reads as Seoul's label whichever bubble it touches.
FAR_END_PT = 10.0
#: A leader line must start within this distance (points) of its label and end within it of its
#: marker's edge.
LEADER_TOL_PT = 4.0


def pt(fig) -> float:
    """Pixels per point at the figure's dpi."""
    return fig.dpi / 72.0


def renderer_of(fig):
    return fig.canvas.get_renderer()


def visible_text(t: Text) -> bool:
    """A text that is drawn and says something."""
    if not t.get_visible() or not str(t.get_text()).strip():
        return False
    a = t.axes
    return a is None or a.get_visible()


def text_box(t: Text, renderer=None) -> Bbox:
    """The display box of a text (its glyphs' layout box, without halo)."""
    renderer = renderer or renderer_of(t.figure)
    if isinstance(t, Annotation):
        t.update_positions(renderer)   # an annotation not drawn yet has no position
    return Text.get_window_extent(t, renderer)


def overlap_area(a: Bbox, b: Bbox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def boxes_overlap(a: Bbox, b: Bbox, gap: float = 0.0, tol: float = 0.5) -> bool:
    """Whether two boxes come closer than ``gap`` pixels (``tol``: slack for rounding)."""
    return (a.x0 < b.x1 + gap - tol and b.x0 < a.x1 + gap - tol
            and a.y0 < b.y1 + gap - tol and b.y0 < a.y1 + gap - tol)


def box_gap(a: Bbox, b: Bbox) -> float:
    """Distance between two boxes (0 when they touch or overlap)."""
    dx = max(a.x0 - b.x1, b.x0 - a.x1, 0.0)
    dy = max(a.y0 - b.y1, b.y0 - a.y1, 0.0)
    return math.hypot(dx, dy)


def box_point_distance(box: Bbox, x: float, y: float) -> float:
    """Distance from a point to the nearest point of a box (0 inside)."""
    dx = max(box.x0 - x, 0.0, x - box.x1)
    dy = max(box.y0 - y, 0.0, y - box.y1)
    return math.hypot(dx, dy)


def circle_box_overlap(box: Bbox, x: float, y: float, r: float) -> float:
    """Approximate area of the part of a circle inside a box (the circle's square, shrunk to the
    circle's area)."""
    sq = Bbox.from_extents(x - r, y - r, x + r, y + r)
    return overlap_area(box, sq) * (math.pi / 4.0)


@dataclass(frozen=True)
class Marker:
    """A drawn point: centre and radius in display pixels."""
    x: float
    y: float
    r: float


def markers(ax) -> list[Marker]:
    """Every scatter marker and line marker drawn in ``ax`` (display coordinates)."""
    fig = ax.figure
    k = pt(fig)
    out: list[Marker] = []
    for coll in ax.collections:
        if not isinstance(coll, PathCollection) or not coll.get_visible():
            continue
        offs = np.asarray(coll.get_offsets(), dtype=float)
        if offs.size == 0:
            continue
        disp = coll.get_offset_transform().transform(offs)
        sizes = np.asarray(coll.get_sizes(), dtype=float)
        if sizes.size == 0:
            sizes = np.array([36.0])
        lw = np.asarray(coll.get_linewidths(), dtype=float)
        lw = lw if lw.size else np.array([0.0])
        for j, (x, y) in enumerate(disp):
            if not (np.isfinite(x) and np.isfinite(y)):
                continue
            s = sizes[j % len(sizes)]
            r = (math.sqrt(max(s, 0.0)) / 2.0 + lw[j % len(lw)] / 2.0) * k
            out.append(Marker(float(x), float(y), r))
    for line in ax.lines:
        if not isinstance(line, Line2D) or not line.get_visible():
            continue
        if line.get_marker() in (None, "None", "", " ") or line.get_markersize() <= 0:
            continue
        xy = line.get_xydata()
        if len(xy) == 0:
            continue
        disp = line.get_transform().transform(np.asarray(xy, dtype=float))
        r = (line.get_markersize() / 2.0 + line.get_markeredgewidth() / 2.0) * k
        out.extend(Marker(float(x), float(y), r) for x, y in disp if np.isfinite(x) and np.isfinite(y))
    return out


def is_point_label(t: Text) -> bool:
    """An annotation of a data point (its ``xy`` in data coordinates)."""
    return isinstance(t, Annotation) and t.xycoords == "data" and visible_text(t)


def anchor(ann: Annotation, renderer=None) -> tuple[float, float]:
    """Display coordinates of the point an annotation labels."""
    renderer = renderer or renderer_of(ann.figure)
    x, y = ann._get_position_xy(renderer)
    return float(x), float(y)


def own_marker(ann: Annotation, marks: Iterable[Marker], renderer=None) -> Marker:
    """The marker drawn at the annotated point (the largest one there), else a zero-size point."""
    x, y = anchor(ann, renderer)
    here = [m for m in marks if abs(m.x - x) <= 0.75 and abs(m.y - y) <= 0.75]
    if not here:
        return Marker(x, y, 0.0)
    return max(here, key=lambda m: m.r)


def leader_ends(ann: Annotation) -> tuple[np.ndarray, np.ndarray] | None:
    """First and last vertex (display) of an annotation's leader line, if it has a visible one."""
    arrow = getattr(ann, "arrow_patch", None)
    if arrow is None or not arrow.get_visible():
        return None
    paths, _ = arrow._get_path_in_displaycoord()
    verts = np.concatenate([p.vertices for p in paths]) if paths else np.empty((0, 2))
    if len(verts) < 2:
        return None
    return verts[0], verts[-1]


@dataclass(frozen=True)
class LabelCheck:
    text: str
    gap_pt: float            # label box to the marker's edge (points)
    leader: bool             # a leader line joins them (and reaches both ends)
    nearest_other_pt: float  # label box to the edge of the nearest other marker (points; inf if none)
    far_end_other_pt: float = math.inf  # the label's far end to the nearest other marker's edge (points)

    def attached(self, bound: float = LABEL_GAP_PT) -> bool:
        """Within the bound of its marker, or joined to it by a leader line."""
        return self.leader or self.gap_pt <= bound + 1e-6

    def unambiguous(self, margin: float = AMBIGUITY_MARGIN_PT) -> bool:
        """A label without a leader is clearly nearer its own marker than any other."""
        return self.leader or (self.nearest_other_pt >= self.gap_pt + margin - 1e-6
                               and self.far_end_other_pt >= FAR_END_PT - 1e-6)


def label_checks(ax, renderer=None) -> list[LabelCheck]:
    """Every point label of ``ax``: its gap to its marker, its leader, the nearest other marker."""
    fig = ax.figure
    renderer = renderer or renderer_of(fig)
    k = pt(fig)
    marks = markers(ax)
    out = []
    for t in ax.texts:
        if not is_point_label(t):
            continue
        box = text_box(t, renderer)
        own = own_marker(t, marks, renderer)
        gap = max(0.0, box_point_distance(box, own.x, own.y) - own.r)
        leader = False
        ends = leader_ends(t)
        if ends is not None:
            a, b = ends
            tol = LEADER_TOL_PT * k
            near_label = min(box_point_distance(box, *a), box_point_distance(box, *b))
            near_point = min(abs(math.hypot(a[0] - own.x, a[1] - own.y) - own.r),
                             abs(math.hypot(b[0] - own.x, b[1] - own.y) - own.r),
                             math.hypot(a[0] - own.x, a[1] - own.y), math.hypot(b[0] - own.x, b[1] - own.y))
            leader = near_label <= tol and near_point <= tol
        rest = [m for m in marks if m != own and (abs(m.x - own.x) > 0.75 or abs(m.y - own.y) > 0.75)]
        others = [max(0.0, box_point_distance(box, m.x, m.y) - m.r) for m in rest]
        far = far_end(box, own.x)
        ends = [max(0.0, far_end_distance(box, far, m.x, m.y) - m.r) for m in rest
                if far is not None and m.y + m.r > box.y0 and m.y - m.r < box.y1]
        out.append(LabelCheck(t.get_text(), gap / k, leader, min(others) / k if others else math.inf,
                              min(ends) / k if ends else math.inf))
    return out


def far_end(box: Bbox, x: float) -> float | None:
    """The x of a label box's end away from its point at ``x`` (None when the point is under or
    above the box's middle third: the label is centred on it). Markers at the far end count when
    they are on the label's line (their height overlaps the box's)."""
    third = box.width / 3.0
    if x <= box.x0 + third:
        return box.x1
    if x >= box.x1 - third:
        return box.x0
    return None


def far_end_distance(box: Bbox, xf: float, x: float, y: float) -> float:
    """Distance from a point to the far end (the vertical side at ``xf``) of a label box."""
    return math.hypot(x - xf, max(box.y0 - y, 0.0, y - box.y1))


def tick_labels(axis, renderer=None) -> list[Text]:
    """The tick labels an axis draws (major and minor, both sides), visible and not empty."""
    renderer = renderer or renderer_of(axis.figure)
    out = []
    for tick in axis._update_ticks():
        for lab in (tick.label1, tick.label2):
            if lab.get_visible() and visible_text(lab):
                out.append(lab)
    return out


def crowded_ticks(axis, renderer=None, gap_pt: float = TICK_GAP_PT) -> list[tuple[str, str]]:
    """Pairs of tick labels of one axis (same side) closer than ``gap_pt`` points."""
    renderer = renderer or renderer_of(axis.figure)
    gap = gap_pt * pt(axis.figure)
    labs = tick_labels(axis, renderer)
    boxes = [(t, text_box(t, renderer)) for t in labs]
    bad = []
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            (ta, a), (tb, b) = boxes[i], boxes[j]
            if boxes_overlap(a, b, gap):
                bad.append((ta.get_text(), tb.get_text()))
    return bad


def all_axes_texts(fig) -> list[Text]:
    """The free texts of a figure: texts and annotations of its axes, figure texts, titles,
    axis labels and legend texts (tick labels not included)."""
    out: list[Text] = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        out.extend(ax.texts)
        out.extend([ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label])
        leg = ax.get_legend()
        if leg is not None:
            out.extend(leg.get_texts())
            out.append(leg.get_title())
    out.extend(fig.texts)
    for leg in fig.legends:
        out.extend(leg.get_texts())
        out.append(leg.get_title())
    for name in ("_suptitle", "_supxlabel", "_supylabel"):
        t = getattr(fig, name, None)
        if t is not None:
            out.append(t)
    seen: set[int] = set()
    return [t for t in out if visible_text(t) and not (id(t) in seen or seen.add(id(t)))]


def all_tick_labels(fig, renderer=None) -> list[Text]:
    out = []
    for ax in fig.axes:
        if not ax.get_visible() or not ax.axison:
            continue
        for axis in ax._axis_map.values():
            out.extend(tick_labels(axis, renderer))
    return out


def cut_off(fig, renderer=None, tol_px: float = 0.5) -> list[str]:
    """Texts (tick labels included) not wholly inside the figure."""
    renderer = renderer or renderer_of(fig)
    w, h = fig.bbox.width, fig.bbox.height
    bad = []
    for t in all_axes_texts(fig) + all_tick_labels(fig, renderer):
        b = text_box(t, renderer)
        if b.x0 < -tol_px or b.y0 < -tol_px or b.x1 > w + tol_px or b.y1 > h + tol_px:
            bad.append(t.get_text())
    return bad


def overlapping_texts(texts: list[Text], renderer=None, gap_px: float = 0.0) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap."""
    if not texts:
        return []
    renderer = renderer or renderer_of(texts[0].figure)
    boxes = np.array([text_box(t, renderer).extents for t in texts])
    bad = []
    for i in range(len(texts)):
        a = boxes[i]
        rest = boxes[i + 1:]
        hit = ((a[0] < rest[:, 2] + gap_px - 0.5) & (rest[:, 0] < a[2] + gap_px - 0.5)
               & (a[1] < rest[:, 3] + gap_px - 0.5) & (rest[:, 1] < a[3] + gap_px - 0.5))
        bad.extend((texts[i].get_text(), texts[i + 1 + j].get_text()) for j in np.flatnonzero(hit))
    return bad
