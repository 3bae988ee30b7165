"""Record-level ingest with DuckDB: tiny synthetic record sets aggregate to the expected tables, and
the analytics give the same results on the aggregated records as on the aggregated table."""
from __future__ import annotations

import duckdb
import pandas as pd
import pandas.testing as pdt
import pytest

from gihi import ai_patents as ai
from gihi import disciplines as dm
from gihi.ingest_records import aggregate_paper_records, aggregate_patent_records


def test_paper_records_hand_example():
    rec = pd.DataFrame({
        "city_id": ["a", "a", "a", "b", "b"],
        "discipline": ["30", "30", "31", "30", "30"],
        "year": [2012, 2012, 2012, 2013, 2013],
        "is_hcp": [True, False, False, True, True],
    })
    out = aggregate_paper_records(rec)
    assert out.values.tolist() == [["a", "30", 2012, 2, 1, "derived"], ["a", "31", 2012, 1, 0, "derived"],
                                   ["b", "30", 2013, 2, 2, "derived"]]
    assert list(out.columns) == ["id", "discipline", "year", "papers", "hcp", "provenance"]
    as_ints = aggregate_paper_records(rec.assign(is_hcp=rec["is_hcp"].astype(int)), provenance="published")
    assert as_ints.drop(columns="provenance").equals(out.drop(columns="provenance"))
    assert set(as_ints["provenance"]) == {"published"}


def test_paper_id_counts_a_paper_once_per_city():
    # paper 1 has two addresses in city a (two sub-cities of one metropolitan area)
    rec = pd.DataFrame({"paper_id": [1, 1, 2, 3], "city_id": ["a", "a", "a", "b"], "discipline": ["30"] * 4,
                        "year": [2012] * 4, "is_hcp": [True, True, False, True]})
    out = aggregate_paper_records(rec)
    assert out[["id", "papers", "hcp"]].values.tolist() == [["a", 2, 1], ["b", 1, 1]]


def test_missing_column_raises():
    with pytest.raises(ValueError, match="is_hcp"):
        aggregate_paper_records(pd.DataFrame({"city_id": ["a"], "discipline": ["30"], "year": [2012]}))


AGG = pd.DataFrame([  # a small aggregated papers table
    ("a", "30", 2012, 10, 1), ("a", "30", 2013, 12, 2), ("a", "31", 2012, 5, 0), ("a", "31", 2013, 6, 1),
    ("b", "30", 2012, 20, 1), ("b", "30", 2013, 19, 0), ("b", "31", 2012, 4, 1), ("b", "31", 2013, 8, 1),
    ("c", "30", 2012, 3, 0), ("c", "30", 2013, 9, 1), ("c", "31", 2012, 7, 0), ("c", "31", 2013, 7, 2),
], columns=["id", "discipline", "year", "papers", "hcp"])


def explode(agg: pd.DataFrame) -> pd.DataFrame:
    """One record per paper: ``papers`` rows per cell, the first ``hcp`` of them highly cited."""
    rows = []
    pid = 0
    for r in agg.itertuples(index=False):
        for k in range(r.papers):
            pid += 1
            rows.append((pid, r.id, r.discipline, r.year, k < r.hcp))
    return pd.DataFrame(rows, columns=["paper_id", "city_id", "discipline", "year", "is_hcp"])


def analytics(papers: pd.DataFrame):
    tot = dm.city_discipline_totals(papers, ids=["a", "b", "c"], disciplines=["30", "31"])
    sc = dm.discipline_scores(tot)
    mr = dm.mean_hcp_ratio(tot)
    return tot, sc, mr, dm.source_list(sc, mr, n=1), dm.paper_cagr(papers)


def test_analytics_unchanged_on_aggregated_records(tmp_path):
    rec = explode(AGG)
    got = aggregate_paper_records(rec)
    pdt.assert_frame_equal(got.drop(columns="provenance"), AGG, check_dtype=False)
    for x, y in zip(analytics(AGG), analytics(got)):
        if isinstance(x, pd.DataFrame):
            pdt.assert_frame_equal(x, y)
        else:
            pdt.assert_series_equal(x, y)
    # the same from files: CSV and Parquet (written by DuckDB itself)
    csv = tmp_path / "records.csv"
    rec.to_csv(csv, index=False)
    pq = tmp_path / "records.parquet"
    con = duckdb.connect()
    con.register("r", rec)
    con.execute(f"COPY r TO '{pq}' (FORMAT parquet)")
    con.close()
    for src in (csv, pq):
        pdt.assert_frame_equal(aggregate_paper_records(src).drop(columns="provenance"), AGG, check_dtype=False)


def test_patent_records():
    rec = pd.DataFrame({
        "patent_id": [1, 2, 3, 4, 4, 5],
        "city_id": ["a", "a", "a", "b", "b", "b"],
        "year": [2020, 2020, 2021, 2020, 2020, 2021],
        "is_valid": [1, 1, 0, 1, 1, 1],
        "is_pct": [1, 0, 0, 1, 1, 0],
        "is_triadic": [0, 0, 1, 1, 1, 0],
        "is_hq": [1, 0, 1, 1, 1, 0],
    })
    out = aggregate_patent_records(rec)
    assert out.drop(columns="provenance").values.tolist() == [
        ["a", 2020, 2, 1, 0, 1], ["a", 2021, 0, 0, 1, 1], ["b", 2020, 1, 1, 1, 1], ["b", 2021, 1, 0, 0, 0]]
    t = ai.city_totals(out).set_index("id")
    assert t.loc["a", ["valid", "pct", "triadic", "hq"]].tolist() == [2, 1, 1, 2]
    assert t["valid_rank"].to_dict() == {"a": 1, "b": 1}
