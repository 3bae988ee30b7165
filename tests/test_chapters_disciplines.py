"""Discipline-sources chapter logic."""
from __future__ import annotations

import pytest

from gihi.report.chapters import disciplines


@pytest.fixture(scope="module")
def data(real_edition):
    return disciplines.load(real_edition), real_edition


def test_champions_frame(data):
    dd, ed = data
    ch = disciplines.champions_frame(dd, ed.cities)
    assert len(ch) == len(dd.meta) == 22
    assert list(ch["code"]) == list(dd.meta["code"])
    assert (ch["hcp"] > 0).all() and (ch["name_en"] != "").all()


def test_clusters_partition_the_list(data):
    dd, ed = data
    cl = disciplines.cluster_records(dd, ed.cities.set_index("id"))
    assert len(cl) == disciplines.N_CLUSTERS
    ids = [m["id"] for c in cl for m in c["members"]]
    assert sorted(ids) == sorted(dd.listing["id"])
    for c in cl:
        shares = [d["share_pct"] for d in c["top"]]
        assert shares == sorted(shares, reverse=True) and 0 < shares[0] < 100


def test_contexts(data):
    dd, ed = data
    ctx = disciplines.contexts(dd, ed)
    assert set(ctx) == {"sources", "superstars", "champions", "excellence", "emerging", "profiles"}
    s = ctx["sources"]
    assert sum(r["n"] for r in s["regions"]) == s["n_list"] == len(dd.listing)
    assert ctx["superstars"]["n_stars"] + ctx["superstars"]["n_rest"] == s["n_list"]
    assert all(r["n_top10"] >= 15 for r in ctx["superstars"]["stars"])
    champs = ctx["champions"]["champions"]
    assert sum(r["n"] for r in champs) >= 22 and all(r["n"] == r["n_stem"] + r["n_hass"] for r in champs)
    ex = ctx["excellence"]
    assert ex["baseline_pct"] == 1.0 and ex["top"][0]["mean_hcp_ratio_pct"] >= ex["top"][1]["mean_hcp_ratio_pct"]
    em = ctx["emerging"]
    assert all(r["papers_cagr_pct"] > em["mean_cagr_pct"] and r["mean_hcp_ratio_pct"] < 1.0 for r in em["emerging"])
