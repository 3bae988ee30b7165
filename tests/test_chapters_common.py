"""Shared chapter logic (gihi.report.chapters.common) on the 2023 data and on small frames."""
from __future__ import annotations

from pathlib import Path

import pytest

from gihi.report.chapters import CHAPTERS, chapter_module, common
from gihi.core.paths import DATA_DIR, OUTPUT_DIR, ROOT


@pytest.fixture(scope="module")
def idx():
    return common.load_index(2023)


def test_resolve_dirs():
    assert common.resolve_dirs() == (DATA_DIR, OUTPUT_DIR)
    assert common.resolve_dirs("data", "output") == (ROOT / "data", ROOT / "output")
    assert common.resolve_dir("/tmp/x", DATA_DIR) == Path("/tmp/x")


def test_chapter_registry():
    assert list(CHAPTERS) == ["01_overview", "02_science", "03_highland", "04_ecosystem", "05_disciplines",
                              "06_ai_patents", "07_methods", "08_audit", "09_gii"]
    assert chapter_module("science") is chapter_module("02_science")
    with pytest.raises(KeyError, match="unknown chapter"):
        chapter_module("10_nothing")
    for ch in CHAPTERS:
        assert callable(chapter_module(ch).build) and callable(chapter_module(ch).contexts)


def test_index_data(idx):
    s = idx.scores
    assert set(s["group"]) <= {"main", "mini"}
    main = idx.group("main")
    assert main["composite_rank"].min() == 1 and main["composite_rank"].max() <= len(main)
    assert {"continent", "country_iso3", "seq", "A1_rank", "C4"} <= set(s.columns)
    assert common.load_index(2023) is idx  # cached


def test_ranked_and_records(idx):
    r = common.ranked(idx.scores, "composite")
    assert list(r["composite_rank"].head(3)) == [1, 2, 3]
    rec = common.city_record(idx.scores, r.index[0])
    assert rec["rank"] == 1 and rec["score"] == pytest.approx(100.0) and set(rec["name"]) == {"zh", "en"}
    assert [x["rank"] for x in common.top_records(idx.scores, "A", 5)] == [1, 2, 3, 4, 5]


def test_region_counts(idx):
    c20 = common.region_counts(idx.scores, "composite", 20)
    assert c20.sum() == 20 and list(c20) == sorted(c20, reverse=True)
    usa = common.region_counts(idx.scores, "composite", 50, by="country_iso3")
    assert usa.sum() == 50 and usa.index[0] == "USA"


def test_history_table_and_movers(idx):
    h = common.history_table(idx, "composite")
    assert len(h) == 20 and list(h.columns) == ["id", "name_zh", "name_en", "rank", "rank_prev", "rank_prev2", "change"]
    row = h.set_index("id").loc["chicago-naperville-elgin"]
    assert (row["rank_prev"], row["rank_prev2"]) == (24, 17)  # Table 3
    assert row["change"] == row["rank_prev"] - row["rank"]
    mv = common.movers(idx, "composite", within=30)
    assert all(r["change"] > 0 for r in mv["risers"]) and all(r["change"] < 0 for r in mv["fallers"])
    assert [r["rank"] for r in mv["risers"]] == sorted(r["rank"] for r in mv["risers"])
    assert all(r["rank"] <= 30 for r in mv["risers"] + mv["fallers"])


def test_first_time_and_streak(idx):
    new10 = {r["id"] for r in common.first_time_in_top(idx, "A", 10)}
    h = idx.history[(idx.history["level"] == "A")]
    for cid in new10:
        assert (h.loc[h["id"] == cid, "rank"] > 10).all()
    st = common.leader_streak(idx, "composite")
    assert st["rank"] == 1 and st["since"] == 2023 - st["streak"] + 1 and st["streak"] >= 1


def test_indicator_leaders_report_provenance(idx):
    leaders = common.indicator_leaders(idx, ["I01", "I06"])
    assert [x["code"] for x in leaders] == ["I01", "I06"]
    for x in leaders:
        assert x["provenance"] in {"published", "derived", "imputed"}
        assert x["value"] == idx.wide.loc[idx.group("main").index, x["code"]].max()


def test_provenance_counts_add_up(idx):
    p = common.indicator_provenance(idx)
    assert len(p) == 30
    assert (p[["published", "derived", "imputed", "missing"]].sum(axis=1) == p["expected"]).all()
    assert (p["expected"] == len(idx.cities)).all()
    long = idx.long[idx.long["value"].notna()]
    assert p["published"].sum() == (long["provenance"] == "published").sum()
    summary = common.provenance_summary(idx, pillars=["A"], focus=["disciplines"])
    assert [s["id"] for s in summary["scopes"]] == ["indicators_a", "disciplines"]
    assert summary["scopes"][0]["expected"] == 8 * len(idx.cities)
    assert summary["reconstruction"] is True and summary["note"]["en"].startswith("This edition's data are a reconstruction")
    ctx = common.provenance_context(summary)
    s0 = ctx["scopes"][0]
    assert s0["published_pct"] + s0["derived_pct"] + s0["imputed_pct"] + s0["missing_pct"] == pytest.approx(100)


def test_focus_provenance(idx):
    f = common.focus_provenance(idx.data_dir, 2023, "ai_patents")
    assert "2023/ai_patents/universe.csv" in set(f["file"])
    assert (f["missing"] == 0).all() and f["published"].sum() > 0


def test_builder_for_output_caches_figures_next_to_the_output(tmp_path):
    from gihi.report.chapters.common import ChapterBuilder
    from gihi.core.paths import STAGING
    b = ChapterBuilder.for_output("02_science", 2023, tmp_path / STAGING, lang="en")
    assert b.figure_cache == tmp_path / ".cache" / "figures" and b.lang == "en"   # the staging dir shares it
    assert ChapterBuilder.for_output("02_science", 2023, tmp_path, figures=False).figure_cache is None
