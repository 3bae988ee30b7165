"""Overview chapter logic: Table 2/3/4 frames, regional counts, patterns, flows, and the
mini-hub table shown only when mini-hub rows exist."""
from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from gihi.report.bundle import bundle_dir, read_bundle
from gihi.report.chapters import common, overview
from gihi.report.chapters.view import ChapterView
from gihi.core.paths import DATA_DIR


@pytest.fixture(scope="module")
def idx():
    return common.load_index(2023)


def test_composite_frame(idx):
    t = overview.composite_frame(idx)
    assert len(t) == min(100, len(idx.group("main")))
    assert list(t.columns) == ["rank", "id", "name_zh", "name_en", "composite", "A", "A_rank", "B", "B_rank", "C", "C_rank"]
    assert t["rank"].is_monotonic_increasing and t["composite"].is_monotonic_decreasing
    assert t.loc[0, "composite"] == pytest.approx(100.0)


def test_regional_frame(idx):
    r = overview.regional_frame(idx)
    assert r["top20"].sum() == 20 and r["top50"].sum() == 50 and r["listed"].sum() == len(idx.group("main"))
    assert set(r["continent"]) <= set(idx.cities["continent"])


def test_pattern_means(idx):
    p = overview.pattern_means(idx)
    assert [r["code"] for r in p] == ["USA", "europe", "CHN"]
    for r in p:
        means = [m["mean"] for m in r["means"]]
        assert r["spread"] == pytest.approx(max(means) - min(means))
        assert all(0 <= m <= 100 for m in means)


def test_flow_groups_partition_the_top20(idx):
    g = overview.flow_groups(idx)
    ids = [r["id"] for k in ("both", "radiation_led", "agglomeration_led") for r in g[k]]
    assert sorted(ids) == sorted(common.ranked(idx.scores, "composite").index[:20])
    for r in g["radiation_led"]:
        assert r["radiation"] > r["agglomeration"]


def test_contexts_without_mini_hubs(idx):
    ctx = overview.contexts(idx)
    assert set(ctx) == {"leaders", "movers", "regions", "patterns", "flows", "mini"}
    assert ctx["leaders"]["leader"]["rank"] == 1
    if not len(idx.group("mini")):
        assert ctx["mini"]["present"] is False and ctx["mini"]["n_excluded"] == ctx["mini"]["n_expected"] == 11


def _with_mini_hubs(tmp_path):
    """A copy of the data in which every mini-hub has values (scaled copies of main cities)."""
    d = tmp_path / "data"
    shutil.copytree(DATA_DIR / "meta", d / "meta")
    shutil.copytree(DATA_DIR / "history", d / "history")
    (d / "2023").mkdir(parents=True)
    long = pd.read_csv(DATA_DIR / "2023" / "indicators.csv", dtype=str, keep_default_na=False)
    cities = pd.read_csv(DATA_DIR / "meta" / "cities.csv", dtype=str)
    minis = list(cities.loc[cities["group"] == "mini", "id"])
    present = set(long.loc[long["value"] != "", "id"])
    donors = [c for c in cities.loc[cities["group"] == "main", "id"] if c in present][:len(minis)]
    long = long[~long["id"].isin(minis)]
    rows = []
    for k, (mini, donor) in enumerate(zip(minis, donors)):
        src = long[long["id"] == donor]
        for _, r in src.iterrows():
            v = float(r["value"]) * (0.5 + 0.1 * k) if r["value"] else np.nan
            rows.append({"id": mini, "code": r["code"], "value": "" if np.isnan(v) else repr(v), "provenance": "imputed", "note": "test"})
    pd.concat([long, pd.DataFrame(rows)]).to_csv(d / "2023" / "indicators.csv", index=False)
    return d


def test_mini_table_only_when_mini_rows_exist(tmp_path):
    out = tmp_path / "out"
    b = overview.build(2023, None, out, figures=False)
    absent = not len(common.load_index(2023).group("mini"))
    assert b.has_table("table04") is not absent
    view = ChapterView(read_bundle(bundle_dir(out, 2023, "01_overview")), "en")
    if absent:
        assert "mini-hub ranking is not shown" in view.table_or_note("table04", "note.mini_absent").html
    d = _with_mini_hubs(tmp_path)
    b2 = overview.build(2023, d, tmp_path / "out2", figures=False)
    t4 = b2.table("table04").frame()
    assert len(t4) == 11 and list(t4["rank"]) == sorted(t4["rank"]) and t4["composite"].max() == pytest.approx(100)
    assert "present" not in b2.section("mini").narrative["en"]
    assert "mini-hubs are ranked on their own list" in b2.section("mini").narrative["en"]
    view2 = ChapterView(b2, "bi")
    assert "<table" in view2.table_or_note("table04", "note.mini_absent").html
