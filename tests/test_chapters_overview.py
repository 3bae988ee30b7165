"""Overview chapter logic: Table 2/3/4 frames, regional counts, patterns, flows, and the
mini-hub table shown only when mini-hub rows exist."""
from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from gihi import open_edition
from gihi.core.paths import DATA_DIR
from gihi.report.bundle import bundle_dir, read_bundle
from gihi.report.chapters import common, overview
from gihi.report.chapters.view import table_display
from gihi.report.recipe import build


@pytest.fixture(scope="module")
def ed(real_edition):
    return real_edition


def test_composite_frame(ed):
    t = overview.composite_frame(ed)
    assert len(t) == min(100, len(ed.group("main")))
    assert list(t.columns) == ["rank", "id", "name_zh", "name_en", "composite", "A", "A_rank", "B", "B_rank", "C", "C_rank"]
    assert t["rank"].is_monotonic_increasing and t["composite"].is_monotonic_decreasing
    assert t.loc[0, "composite"] == pytest.approx(100.0)


def test_regional_frame(ed):
    r = overview.regional_frame(ed)
    assert r["top20"].sum() == 20 and r["top50"].sum() == 50 and r["listed"].sum() == len(ed.group("main"))
    assert set(r["continent"]) <= set(ed.cities["continent"])


def test_pattern_means(ed):
    p = overview.pattern_means(ed)
    assert [r["code"] for r in p] == ["USA", "europe", "CHN"]
    for r in p:
        means = [m["mean"] for m in r["means"]]
        # the difference of the printed (2-decimal) means
        assert r["spread"] == pytest.approx(round(max(means), 2) - round(min(means), 2))
        assert all(0 <= m <= 100 for m in means)


def test_flow_groups_partition_the_top20(ed):
    g = overview.flow_groups(ed)
    ids = [r["id"] for k in ("both", "radiation_led", "agglomeration_led") for r in g[k]]
    assert sorted(ids) == sorted(common.ranked(ed.scores, "composite").index[:20])
    for r in g["radiation_led"]:
        assert r["radiation"] > r["agglomeration"]


def test_contexts_without_mini_hubs(ed):
    ctx = overview.contexts(ed)
    assert set(ctx) == {"leaders", "movers", "regions", "patterns", "flows", "mini"}
    assert ctx["leaders"]["leader"]["rank"] == 1
    if not len(ed.group("mini")):
        assert ctx["mini"]["present"] is False and ctx["mini"]["n_excluded"] == ctx["mini"]["n_expected"] == 11


def _with_mini_hubs(tmp_path):
    """A copy of the data in which every mini-hub has values (scaled copies of main cities)."""
    d = tmp_path / "data"
    shutil.copytree(DATA_DIR / "meta", d / "meta")
    shutil.copytree(DATA_DIR / "history", d / "history")
    shutil.copytree(DATA_DIR / "gii", d / "gii")   # data/2023/meta/edition.yaml names the GII edition compared
    shutil.copytree(DATA_DIR / "2023" / "meta", d / "2023" / "meta")   # the edition's own metadata
    long = pd.read_csv(DATA_DIR / "2023" / "indicators.csv", dtype=str, keep_default_na=False)
    cities = pd.read_csv(DATA_DIR / "2023" / "meta" / "cities.csv", dtype=str)
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


def _placed(bundle, lang: str = "en") -> dict:
    """The items of the ``mini`` section as the PDF places them (templates/report/layout.yaml)."""
    from gihi.publish.assemble import chapter_view, item_index
    from gihi.report.layout import ChapterLayout, load_layout
    lay = load_layout()["01_overview"]
    only_mini = ChapterLayout(lay.appendix, {"mini": lay.sections["mini"]})   # (the bundles have no figures)
    view = chapter_view(bundle, only_mini, lang, item_index([bundle]), complete=False)
    return {i["id"]: i for s in view["sections"] if s["id"] == "mini" for i in s["items"]}


def test_mini_table_only_when_mini_rows_exist(ed, tmp_path):
    out = tmp_path / "out"
    b = build("01_overview", ed, out, figures=False)
    absent = not len(ed.group("mini"))
    assert b.has_table("table04") is not absent
    assert overview.present(ed, "table04") is not absent
    b = read_bundle(bundle_dir(out, 2023, "01_overview"))
    # without the table, the PDF prints the note in its place
    b.tables = [t for t in b.tables if t.id != "table04"]
    note = _placed(b)["table04"]
    assert note["kind"] == "note" and "mini-hub ranking is not shown" in note["text"]["en"]
    d = _with_mini_hubs(tmp_path)
    b2 = build("01_overview", open_edition(2023, d), tmp_path / "out2", figures=False)
    t4 = b2.table("table04").frame()
    assert len(t4) == 11 and list(t4["rank"]) == sorted(t4["rank"]) and t4["composite"].max() == pytest.approx(100)
    assert "present" not in b2.section("mini").narrative["en"]
    assert "are ranked on a list of their own" in b2.section("mini").narrative["en"]
    assert _placed(b2, "bi")["table04"]["kind"] == "table"
    assert "<table" in table_display(b2.table("table04"), "bi", "01_overview").bundle["text/html"]
