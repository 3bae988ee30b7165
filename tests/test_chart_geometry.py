"""Every chart of ``gihi.report.charts.FIGURES``, drawn from the real 2023 edition with the
arguments the chapter notebooks pass (``book.figure(id, chart, *args, **kwargs)``), in zh, en and
bi, is measured as it will be saved (display coordinates, :mod:`gihi.report.charts.geometry`):

(a) every point label is attached to its point: the nearest point of its box within
    ``LABEL_GAP_PT`` (4 pt) of the marker's edge, or a leader line joins the two; a label without
    a leader is clearly nearer its own marker than any other (``AMBIGUITY_MARGIN_PT``) and has no
    other marker on its line at its far end (``FAR_END_PT``); no label the chart asked for was
    left out for lack of room;
(b) no two texts of the figure overlap (labels, notes, titles, axis labels, legends, tick labels);
(c) no two tick labels of an axis come closer than ``TICK_GAP_PT`` (2 pt);
(d) no text is cut off by the figure's edge;
(e) the drawing passes tests/_chartcheck.py (no warnings, fonts cover every character, the
    language's script only, Chinese typography).

Each chart is drawn once per language; the edition and the chart inputs are computed once.
"""
from __future__ import annotations

import contextlib
import math

import numpy as np
import pytest
from matplotlib.text import Text

from _chartcheck import check_texts, no_warnings
from gihi.report.charts import FIGURES
from gihi.report.charts import geometry as G

LANGS = ("zh", "en", "bi")

#: figure id (as in the notebooks) → chart name; every chart of FIGURES appears at least once
CASES = {
    "fig02": "fig02_patterns", "fig03": "fig03_flows", "fig04": "fig04_mini_patterns",
    "fig05": "fig05_science_top20", "fig06": "fig06_researchers", "fig07": "fig07_awards",
    "fig08": "fig08_universities", "fig09": "fig09_supercomputers", "fig10": "fig10_papers",
    "fig11": "fig11_discipline_sources", "fig12": "fig12_excellence", "fig13": "fig13_discipline_dendrogram",
    "fig14": "fig14_discipline_heatmap",
    "fig15": "fig15_highland_top20", "fig16": "fig16_patents", "fig17": "fig17_firms", "fig18": "fig18_industry",
    "fig19": "fig19_economy",
    "fig21": "fig21_ai_stock_trend", "fig22": "fig22_ai_hq_trend", "fig23": "fig23_ai_pct", "fig24": "fig24_ai_triadic",
    "fig25": "fig25_hotfield_trends", "fig26a": "fig26_hotfield_heatmap", "fig26b": "fig26_hotfield_heatmap",
    "fig26c": "fig26_hotfield_heatmap", "fig26d": "fig26_hotfield_heatmap",
    "fig27": "fig27_ecosystem_top20", "fig28": "fig28_coauthorship_network", "fig29": "fig29_patent_network",
    "fig30": "fig30_investment", "fig31": "fig31_venture", "fig32": "fig32_flights_datacentres", "fig33": "fig33_broadband",
    "audit_intervals_main": "audit_rank_intervals", "audit_intervals_mini": "audit_rank_intervals",
    "audit_sobol_chart": "audit_sobol", "audit_corr_heatmap": "audit_corr_heatmap",
    "gii_fig_composite": "gii_rank_scatter", "gii_fig_pillars": "gii_rank_scatter",
    "tree": "methods_tree", "map_cities": "map_cities", "rank_changes": "rank_changes",
}
FIG26 = {"fig26a": "algorithms_compute", "fig26b": "intelligent_control", "fig26c": "computer_vision",
         "fig26d": "applications"}


def test_every_chart_is_covered():
    assert set(FIGURES) <= set(CASES.values()), sorted(set(FIGURES) - set(CASES.values()))


@pytest.fixture(scope="module")
def calls(real_edition):
    """figure id → (args, kwargs) as the chapter notebooks call the chart (None: not in this edition)."""
    from gihi.analysis import ai_patents as ai, audit, changes, gii
    from gihi.model import strings
    from gihi.model.history import rank_changes
    from gihi.report.chapters import ai_patents as cha, audit as chau, disciplines as chd, gii as chg, methods, pillar

    ed = real_edition
    strings.activate(ed.strings)   # the GII panels' texts are UI strings of the edition
    meta = pillar.chart_meta(ed)
    patterns = ed.patterns.reset_index()
    out: dict[str, tuple[tuple, dict] | None] = {
        "fig02": ((patterns, ed.cities, meta), {}),
        "fig03": ((ed.flows.reset_index(), ed.scores, ed.cities), {}),
        "fig04": ((patterns, ed.cities, meta), {}),
    }
    for fid in ("fig05", "fig15", "fig27"):
        out[fid] = ((ed.scores, ed.cities, meta), {})
    for fid in ("fig06", "fig07", "fig08", "fig09", "fig10", "fig16", "fig17", "fig18", "fig19",
                "fig30", "fig31", "fig32", "fig33"):
        out[fid] = ((ed.wide, ed.scores, ed.cities, meta), {})
    for fid in ("fig28", "fig29"):
        out[fid] = ((ed.wide, ed.cities, meta), {})
    dd = chd.load(ed)
    out["fig11"] = ((dd.raw_listing, ed.cities), {})
    out["fig12"] = ((chd.excellence_data(dd), ed.cities), {})
    out["fig13"] = ((dd.clustering, ed.cities), {})
    out["fig14"] = ((dd.shares, dd.clustering, ed.cities, dd.meta), {})
    p = cha.load(ed)
    periods = ai.periods(ed)
    first, last = periods["stock_chart_from"], int(p.patents["year"].max())
    out["fig21"] = ((ai.top_n_series(ai.stock(p.patents), 10, (first, last)), ed.cities), {})
    out["fig22"] = ((ai.top_n_series(ai.flows(p.patents, "hq"), 10, rank_by="total"), ed.cities), {})
    out["fig23"] = out["fig24"] = ((p.totals, ed.cities), {})
    out["fig25"] = ((ai.hotfield_trends(p.ipc_by_year), p.ipc_groups), {})
    for fid, group in FIG26.items():
        m = ai.hotfield_matrix(p.ipc, p.both_top, ai.group_codes(p.ipc_groups, group))
        out[fid] = ((m, p.ipc_groups, ed.cities), {"field_group": group})
    cfg = audit.config(ed)
    lo, hi = chau.percentiles(cfg)
    ranked = audit.uncertainty_frame(ed).dropna(subset=["rank"])
    wide, n_main = int(cfg.report["wide_interval"]), int(cfg.report["top_main"])
    out["audit_intervals_main"] = ((ranked, ed.cities), {"n": n_main, "group": chau.MAIN, "wide": wide,
                                                         "p_lo": lo, "p_hi": hi})
    out["audit_intervals_mini"] = (((ranked, ed.cities), {"n": None, "group": chau.MINI, "wide": wide, "p_lo": lo,
                                                          "p_hi": hi})
                                   if chau.present(ed, "audit_intervals_mini") else None)
    out["audit_sobol_chart"] = ((chau.sobol_frame(ed),), {})
    out["audit_corr_heatmap"] = ((audit.consistency(ed)["subpillar_matrix"], ed.tree.labels), {})
    bench = gii.benchmark(ed)
    composite, pillars = chg.scatter_panels(ed, bench)
    out["gii_fig_composite"] = ((composite, ed.continent_names()), {})
    out["gii_fig_pillars"] = ((pillars, ed.continent_names()), {})
    out["tree"] = ((methods.chart_meta(ed), ed.indicators), {})
    # not in a chapter: the README's recipes
    out["map_cities"] = ((ed.cities,), {"scores": ed.scores})
    prev = changes.previous_year(ed)
    out["rank_changes"] = (((rank_changes(ed.group("main")["composite_rank"], ed.history, "composite", prev), ed.cities),
                            {"year": ed.year, "prev_year": prev}) if prev is not None else None)
    return out


def _name(t: Text) -> str:
    return repr(t.get_text().replace("\n", " / "))


@contextlib.contextmanager
def boxes_kept():
    """Within: each text's display box is computed once (the checks ask for the same boxes; the
    figure is drawn and its layout frozen, so a box cannot change meanwhile)."""
    real, kept = G.text_box, {}

    def box(t, renderer=None):
        if id(t) not in kept:
            kept[id(t)] = (t, real(t, renderer))   # the text is kept alive with its box: ids stay unique
        return kept[id(t)][1]
    G.text_box = box
    try:
        yield
    finally:
        G.text_box = real


def problems(fig) -> dict[str, list[str]]:
    """What is wrong with the drawn figure, by check (empty lists: nothing)."""
    fig.draw_without_rendering()   # as saving will: the layout is frozen, the positions final
    with boxes_kept():
        return _problems(fig, G.renderer_of(fig))


def _problems(fig, r) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"a": [], "b": [], "c": [], "d": []}
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for c in G.label_checks(ax, r):
            if not c.attached():
                out["a"].append(f"{c.text!r}: {c.gap_pt:.1f} pt from its marker, no leader line")
            elif not c.unambiguous():
                out["a"].append(f"{c.text!r}: another marker at {c.nearest_other_pt:.1f} pt "
                                f"(own {c.gap_pt:.1f} pt), at its far end {c.far_end_other_pt:.1f} pt")
        out["a"] += [f"{t!r} left out" for t in getattr(ax, "_gihi_left_out", [])]
        for axis in ax._axis_map.values():
            out["c"] += [f"{a!r} / {b!r}" for a, b in G.crowded_ticks(axis, r)]
    texts = G.all_axes_texts(fig)
    owner = [0] * len(texts)            # 0: not a tick label; else a number per axis
    for ax in fig.axes:
        if ax.get_visible() and ax.axison:
            for axis in ax._axis_map.values():
                labels = G.tick_labels(axis, r)
                texts += labels
                owner += [id(axis)] * len(labels)
    boxes = np.array([G.text_box(t, r).extents for t in texts]).reshape(-1, 4)
    owner = np.array(owner, dtype=object)
    for i in range(len(texts)):
        a, rest = boxes[i], boxes[i + 1:]
        hit = ((a[0] < rest[:, 2] - 0.5) & (rest[:, 0] < a[2] - 0.5) & (a[1] < rest[:, 3] - 0.5) & (rest[:, 1] < a[3] - 0.5))
        if owner[i]:   # an axis's own tick labels among themselves: check (c)
            hit &= owner[i + 1:] != owner[i]
        out["b"] += [f"{_name(texts[i])} / {_name(texts[i + 1 + j])}" for j in np.flatnonzero(hit)]
    out["d"] = [repr(t) for t in G.cut_off(fig, r)]
    return out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fid", list(CASES))
def test_chart_geometry(calls, fid, lang, caplog):
    if calls[fid] is None:
        pytest.skip(f"{fid}: not in the 2023 edition")
    args, kwargs = calls[fid]
    with no_warnings(caplog):
        fig = FIGURES[CASES[fid]](*args, lang=lang, **kwargs)
        found = problems(fig)
    check_texts(fig, lang)
    what = {"a": "labels not attached to their points", "b": "overlapping texts",
            "c": "crowded tick labels", "d": "texts cut off by the figure's edge"}
    msg = "; ".join(f"({k}) {what[k]}: {', '.join(v[:8])}{' ...' if len(v) > 8 else ''}"
                    for k, v in found.items() if v)
    assert not msg, f"{fid} [{lang}] {msg}"


# --- the placement itself, on made-up points (no edition needed) ------------------------------

def test_dense_cluster_labels_stay_attached():
    """Thirty labelled points in a tight cluster among others: every label within the bound or
    on a leader, none overlapping, the first (leaders) never left out."""
    from gihi.report import style
    from gihi.report.charts._common import new_figure, place_labels

    rng = np.random.default_rng(7)
    xs, ys = rng.normal(0, 1, 60), rng.normal(0, 1, 60)
    with style.use_style():
        fig = new_figure(5, 4)
        ax = fig.subplots()
        ax.scatter(xs, ys, s=40)
        ax.set_xlim(-6, 6)
        ax.set_ylim(-5, 5)
        names = [f"City number {i}" for i in range(30)]
        arts = place_labels(ax, xs[:30], ys[:30], names, sizes_pt=[40] * 30)
    found = problems(fig)
    assert not found["a"] or all("left out" in p for p in found["a"]), found["a"]
    assert not found["b"], found["b"]
    placed = {a.get_text() for a in arts}
    assert set(names[:10]) <= placed, sorted(set(names[:10]) - placed)


def test_spread_positions_is_exact():
    from gihi.report.charts._common import spread_positions
    assert spread_positions([0.0, 0.0, 0.0], 1.0) == [-1.0, 0.0, 1.0]
    assert spread_positions([5.0, 0.0], 1.0) == [5.0, 0.0]           # far apart: unchanged
    assert spread_positions([0.0, 0.2], [1.0]) == [-0.4, 0.6]        # least squares, order kept
    assert spread_positions([0.0, 0.0], 1.0, lo=0.0) == [0.0, 1.0]   # within bounds when there is room
    assert all(math.isfinite(v) for v in spread_positions([1.0] * 20, 0.5, 0.0, 5.0))


def test_same_input_same_svg(calls, tmp_path):
    """Placement is deterministic: the same chart drawn twice gives byte-identical SVG."""
    from gihi.report.figures import save_figure
    args, kwargs = calls["fig12"]
    a = save_figure(FIGURES[CASES["fig12"]](*args, lang="bi", **kwargs), tmp_path / "a", png=False)["svg"]
    b = save_figure(FIGURES[CASES["fig12"]](*args, lang="bi", **kwargs), tmp_path / "b", png=False)["svg"]
    assert a.read_bytes() == b.read_bytes()
