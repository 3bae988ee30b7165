"""Shared chapter logic (gihi.report.chapters.common) on the 2023 edition and on small frames."""
from __future__ import annotations

from pathlib import Path

import pytest

from gihi.core.paths import DATA_DIR, OUTPUT_DIR, resolve
from gihi.model.edition import resolve_data_dir
from gihi.report.chapters import CHAPTERS, chapter_module, common


@pytest.fixture(scope="module")
def ed(real_edition):
    return real_edition


def test_resolve_dirs(tmp_path, monkeypatch):
    # the chapters' resolve_dir(s) are gone: gihi.core.paths.resolve (relative paths from the
    # working directory, as on any command line)
    assert resolve(None, DATA_DIR) == DATA_DIR and resolve(None, OUTPUT_DIR) == OUTPUT_DIR
    assert resolve("", OUTPUT_DIR) == OUTPUT_DIR and resolve_data_dir(None) == DATA_DIR
    monkeypatch.chdir(tmp_path)
    assert (resolve("data", DATA_DIR), resolve("output", OUTPUT_DIR)) == (tmp_path / "data", tmp_path / "output")
    assert resolve_data_dir("data") == tmp_path / "data"
    assert resolve("/tmp/x", DATA_DIR) == Path("/tmp/x")


def test_chapter_registry():
    assert list(CHAPTERS) == ["01_overview", "02_science", "03_highland", "04_ecosystem", "05_disciplines",
                              "06_ai_patents", "07_methods", "08_audit", "09_gii"]
    assert chapter_module("science") is chapter_module("02_science")
    with pytest.raises(KeyError, match="unknown chapter"):
        chapter_module("10_nothing")
    from gihi.report.recipe import NOTEBOOKS
    for ch in CHAPTERS:   # the chapter's recipe is its notebook; its module gives the steps
        assert (NOTEBOOKS / f"{ch}.ipynb").is_file(), ch
        assert callable(chapter_module(ch).contexts) and callable(chapter_module(ch).section_contexts)


def test_index_data(ed):
    s = ed.scores
    assert set(s["group"]) <= {"main", "mini"}
    main = ed.group("main")
    assert main["composite_rank"].min() == 1 and main["composite_rank"].max() <= len(main)
    assert {"continent", "country_iso3", "seq", "A1_rank", "C4"} <= set(s.columns)
    assert ed.scores is s and ed.index is ed.index  # computed once, kept with the edition


def test_ranked_and_records(ed):
    r = common.ranked(ed.scores, "composite")
    assert list(r["composite_rank"].head(3)) == [1, 2, 3]
    rec = common.city_record(ed.scores, r.index[0])
    assert rec["rank"] == 1 and rec["score"] == pytest.approx(100.0) and set(rec["name"]) == {"zh", "en"}
    assert [x["rank"] for x in common.top_records(ed.scores, "A", 5)] == [1, 2, 3, 4, 5]


def test_region_counts(ed):
    c20 = common.region_counts(ed.scores, "composite", 20)
    assert c20.sum() == 20 and list(c20) == sorted(c20, reverse=True)
    usa = common.region_counts(ed.scores, "composite", 50, by="country_iso3")
    assert usa.sum() == 50 and usa.index[0] == "USA"


def test_history_table_and_movers(ed):
    h = common.history_table(ed, "composite")
    assert len(h) == 20 and list(h.columns) == ["id", "name_zh", "name_en", "rank", "rank_prev", "rank_prev2", "change"]
    row = h.set_index("id").loc["chicago-naperville-elgin"]
    assert (row["rank_prev"], row["rank_prev2"]) == (24, 17)  # Table 3
    assert row["change"] == row["rank_prev"] - row["rank"]
    assert common.history_years(ed) == [2022, 2021]
    mv = common.movers(ed, "composite", within=30)
    assert all(r["change"] > 0 for r in mv["risers"]) and all(r["change"] < 0 for r in mv["fallers"])
    # the largest moves first (at least MIN_MOVE places), ties in rank order
    for side in ("risers", "fallers"):
        keys = [(-abs(r["change"]), r["rank"]) for r in mv[side]]
        assert keys == sorted(keys), side
        assert all(abs(r["change"]) >= common.MIN_MOVE for r in mv[side])
    assert all(r["rank"] <= 30 for r in mv["risers"] + mv["fallers"])
    assert mv["has_previous"] and mv["prev_year"] == 2022


def test_first_time_and_streak(ed):
    new10 = {r["id"] for r in common.first_time_in_top(ed, "A", 10)}
    h = ed.history[(ed.history["level"] == "A")]
    for cid in new10:
        assert (h.loc[h["id"] == cid, "rank"] > 10).all()
    st = common.leader_streak(ed, "composite")
    assert st["rank"] == 1 and st["since"] == 2023 - st["streak"] + 1 and st["streak"] >= 1


def test_indicator_leaders_report_provenance(ed):
    leaders = common.indicator_leaders(ed, ["I01", "I06"])
    assert [x["code"] for x in leaders] == ["I01", "I06"]
    for x in leaders:
        assert x["provenance"] in {"published", "derived", "imputed"}
        assert x["value"] == ed.wide.loc[ed.group("main").index, x["code"]].max()


def test_provenance_counts_add_up(ed):
    p = common.indicator_provenance(ed)
    assert len(p) == 30
    assert (p[["published", "derived", "imputed", "missing"]].sum(axis=1) == p["expected"]).all()
    assert (p["expected"] == len(ed.cities)).all()
    long = ed.long[ed.long["value"].notna()]
    assert p["published"].sum() == (long["provenance"] == "published").sum()
    summary = common.provenance_summary(ed, pillars=["A"], focus=["disciplines"])
    assert [s["id"] for s in summary["scopes"]] == ["indicators_a", "disciplines"]
    assert summary["scopes"][0]["expected"] == 8 * len(ed.cities)
    assert summary["reconstruction"] is True and summary["note"]["en"].startswith("This edition's data are a reconstruction")
    ctx = common.provenance_context(summary)
    s0 = ctx["scopes"][0]
    assert s0["published_pct"] + s0["derived_pct"] + s0["imputed_pct"] + s0["missing_pct"] == pytest.approx(100)


def test_focus_provenance(ed):
    f = common.focus_provenance(ed, "ai_patents")
    assert "2023/ai_patents/universe.csv" in set(f["file"])
    assert (f["missing"] == 0).all() and f["published"].sum() > 0
    assert list(common.focus_provenance(ed, "disciplines")["file"]) == ["2023/disciplines/papers.csv"]


def test_builder_for_output_caches_figures_next_to_the_output(ed, tmp_path):
    from gihi.core.paths import STAGING
    from gihi.report.chapters.common import ChapterBuilder
    from gihi.report.numbering import numbers
    b = ChapterBuilder.for_output("02_science", ed, tmp_path / STAGING, lang="en")
    assert b.figure_cache == tmp_path / ".cache" / "figures" and b.lang == "en"   # the staging dir shares it
    assert b.year == 2023 and b.numbers == numbers(ed)   # numbered in the edition's order
    assert ChapterBuilder.for_output("02_science", ed, tmp_path, figures=False).figure_cache is None
