"""Development patterns (Appendix 6) and agglomeration/radiation (Appendix 7), by hand.

Input z-scores (those of the hand example in test_index.py), 4 main cities aa..dd:

    I1 (agglomeration) = 3/2, -1/2, -1/2, -1/2
    I2 (agglomeration) = 5/6, -7/6, 5/6, -1/2
    I3 (radiation)     = -1/2, -1/2, -1/2, 3/2
    I4 (radiation)     = -5/6, 7/6, 1/2, -5/6
    I5 (no flow)       = 1/2, 1/2, -3/2, 1/2
    pillar A = 7/6, -5/6, 1/6, -1/2;   pillar B = -5/12, 7/12, -1/4, 1/12

Agglomeration Z = (I1 + I2)/2 = 7/6, -5/6, 1/6, -1/2
Radiation Z     = (I3 + I4)/2 = -2/3, 1/3, 0, 1/3
Joint min -5/6, max 7/6, span 2 → 100·(Z + 5/6)/2:
    agglomeration 100, 0, 50, 50/3;   radiation 25/3, 175/3, 125/3, 175/3
Development patterns: A and B share the same joint min -5/6 and max 7/6 →
    A 100, 0, 50, 50/3;   B 125/6, 425/6, 175/6, 275/6
"""
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from gihi.model.metadata import Tree
from gihi.model.method.patterns import development_patterns, flow_z, flows

IDS = ["aa", "bb", "cc", "dd", "m1", "m2"]
Z = pd.DataFrame({
    "I1": [3 / 2, -1 / 2, -1 / 2, -1 / 2, 1.0, -1.0],
    "I2": [5 / 6, -7 / 6, 5 / 6, -1 / 2, 1.0, -1.0],
    "I3": [-1 / 2, -1 / 2, -1 / 2, 3 / 2, 1.0, -1.0],
    "I4": [-5 / 6, 7 / 6, 1 / 2, -5 / 6, np.nan, -1.0],
    "I5": [1 / 2, 1 / 2, -3 / 2, 1 / 2, 3.0, -1.0],
}, index=pd.Index(IDS, name="id"))
PILLAR_Z = pd.DataFrame({
    "A": [7 / 6, -5 / 6, 1 / 6, -1 / 2, 2.0, -1.0],
    "B": [-5 / 12, 7 / 12, -1 / 4, 1 / 12, 0.0, 1.0],
}, index=Z.index)
GROUPS = pd.Series(["main"] * 4 + ["mini"] * 2, index=IDS)
RESULT = SimpleNamespace(z=Z, pillar_z=PILLAR_Z)


def tree(flow=("agglomeration", "agglomeration", "radiation", "radiation", "")) -> Tree:
    ind = pd.DataFrame({"code": list(Z.columns), "subpillar": ["A1", "A1", "B1", "B2", "B2"],
                        "pillar": ["A", "A", "B", "B", "B"], "weight": [0.5, 0.5, 1, 2 / 3, 1 / 3], "flow": list(flow)})
    return Tree(pd.DataFrame({"code": ["A", "B"], "weight": [0.4, 0.6]}),
                pd.DataFrame({"code": ["A1", "B1", "B2"], "pillar": ["A", "B", "B"], "weight": [1, 0.25, 0.75]}),
                ind, pd.DataFrame())


def test_flow_z_means():
    fz = flow_z(RESULT, tree())
    assert fz.loc[["aa", "bb", "cc", "dd"], "agglomeration"].tolist() == pytest.approx([7 / 6, -5 / 6, 1 / 6, -1 / 2])
    assert fz.loc[["aa", "bb", "cc", "dd"], "radiation"].tolist() == pytest.approx([-2 / 3, 1 / 3, 0, 1 / 3])
    assert fz.loc["m1", "radiation"] == pytest.approx(1.0)  # mean of the available z (I4 missing)


def test_flows_joint_minmax_per_group():
    f = flows(RESULT, tree(), GROUPS)
    assert list(f.columns) == ["id", "group", "agglomeration", "radiation"]
    assert f["id"].tolist() == IDS
    main = f.set_index("id").loc[["aa", "bb", "cc", "dd"]]
    assert main["agglomeration"].tolist() == pytest.approx([100, 0, 50, 50 / 3])
    assert main["radiation"].tolist() == pytest.approx([25 / 3, 175 / 3, 125 / 3, 175 / 3])
    # mini: agglomeration 1, -1; radiation 1, -1 → joint min -1, max 1
    mini = f.set_index("id").loc[["m1", "m2"]]
    assert mini["agglomeration"].tolist() == [100, 0] and mini["radiation"].tolist() == [100, 0]
    assert mini["group"].tolist() == ["mini", "mini"]


def test_development_patterns_joint_minmax():
    p = development_patterns(RESULT, GROUPS).set_index("id")
    assert list(p.columns) == ["group", "A", "B"]
    main = p.loc[["aa", "bb", "cc", "dd"]]
    assert main["A"].tolist() == pytest.approx([100, 0, 50, 50 / 3])
    assert main["B"].tolist() == pytest.approx([125 / 6, 425 / 6, 175 / 6, 275 / 6])
    # mini: min -1 (m2 A), max 2 (m1 A), span 3
    mini = p.loc[["m1", "m2"]]
    assert mini["A"].tolist() == pytest.approx([100, 0])
    assert mini["B"].tolist() == pytest.approx([100 / 3, 200 / 3])


def test_flow_column_required():
    t = tree()
    t2 = Tree(t.pillars, t.subpillars, t.indicators.drop(columns=["flow"]), t.labels)
    with pytest.raises(KeyError):
        flows(RESULT, t2, GROUPS)
    with pytest.raises(ValueError):
        flows(RESULT, tree(flow=("agglomeration",) * 5), GROUPS)


def test_real_metadata_has_12_agglomeration_and_8_radiation(real_edition):
    # Appendix 7 lists 12 agglomeration indicators (01–04, 09–12, 19, 21, 22, 28) and 8 radiation ones
    counts = real_edition.tree.indicators["flow"].value_counts()
    assert counts["agglomeration"] == 12 and counts["radiation"] == 8
    flow = real_edition.tree.indicators.set_index("code")["flow"]
    assert [c for c in flow.index if flow[c] == "agglomeration"] == [f"I{k:02d}" for k in (1, 2, 3, 4, 9, 10, 11, 12, 19, 21, 22, 28)]
    assert [c for c in flow.index if flow[c] == "radiation"] == [f"I{k:02d}" for k in (5, 7, 8, 17, 18, 20, 24, 26)]


def test_an_editions_patterns_and_flows_are_the_per_group_joint_minmax(synthetic):
    """On the synthetic edition: Appendix 6 and 7 recomputed here from its z-scores with numpy alone."""
    import factory as F
    ed = synthetic
    z, pil = ed.index.z, ed.index.pillar_z
    rad = [i[0] for i in F.INDICATORS if i[4] == "radiation"]
    agg = [i[0] for i in F.INDICATORS if i[4] == "agglomeration"]
    for g in ("main", "mini"):
        ids = ed.index.groups.index[ed.index.groups == g]
        p = pil.loc[ids].to_numpy()
        expected = 100 * (p - p.min()) / (p.max() - p.min())
        assert np.allclose(ed.patterns.loc[ids, ["A", "B", "C"]].to_numpy(), expected, rtol=0, atol=1e-12)
        fz = np.column_stack([np.nanmean(z.loc[ids, agg].to_numpy(), axis=1), np.nanmean(z.loc[ids, rad].to_numpy(), axis=1)])
        expected = 100 * (fz - fz.min()) / (fz.max() - fz.min())
        assert np.allclose(ed.flows.loc[ids, ["agglomeration", "radiation"]].to_numpy(), expected, rtol=0, atol=1e-12)
        assert (ed.flows.loc[ids, "group"] == g).all()
