"""The CSV data outputs: columns, order, rounding, determinism, atomic replacement."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import factory as F
import gihi.publish.data_files as export
from gihi.publish.data_files import write_data_outputs

SUBS = ["A1", "A2", "B1", "B2", "C1", "C2"]
SCORE_COLUMNS = ["id", "name_zh", "name_en", "group", "composite", "composite_rank", "A", "A_rank", "B", "B_rank",
                 "C", "C_rank", *SUBS]
FILES = ["index_scores.csv", "indicators_raw.csv", "indicator_tree.csv", "development_patterns.csv", "flows.csv",
         "excluded.csv"]


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """A synthetic edition (tests/factory.py: 10 main cities, 3 mini-hubs, 9 indicators) in which
    city-04 has no value of I06, the only indicator of B2 (so it is excluded), city-05 none of I04
    (B1 keeps I05: it is scored), and city-02 two values written out by hand."""
    values = {"city-04": {"I06": None}, "city-05": {"I04": None}, "city-02": {"I01": 46091.24, "I02": 7.0}}
    ed = F.make_edition(tmp_path_factory.mktemp("export"), values=values)
    return ed


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_files_and_columns(setup, tmp_path):
    ed = setup
    out = tmp_path / str(F.YEAR) / "data"
    written = write_data_outputs(ed, out)
    assert [p.name for p in written] == FILES and all(p.parent == out for p in written)
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert [p.name for p in (tmp_path / str(F.YEAR)).iterdir()] == ["data"]  # no temp dir left

    s = read(out / "index_scores.csv")
    assert list(s.columns) == SCORE_COLUMNS
    assert "city-04" not in set(s["id"]) and "city-05" in set(s["id"]) and len(s) == 12
    groups = s["group"].tolist()
    assert groups == ["main"] * 9 + ["mini"] * 3
    for g in ("main", "mini"):
        ranks = s.loc[s["group"] == g, "composite_rank"].astype(int).tolist()
        assert ranks == sorted(ranks) and ranks[0] == 1
    assert all(len(v.split(".")[1]) == 6 for v in s["composite"])  # 6 decimals: the printed rounding can be checked
    top = s.iloc[0]
    assert top["composite"] == "100.000000" and top["composite_rank"] == "1"
    assert float(s["A1"].astype(float).min()) == 60.0

    ex = read(out / "excluded.csv")
    assert ex.to_dict("records") == [{"id": "city-04", "group": "main", "reason": "no indicator with data in sub-pillar(s) B2"}]


def test_raw_tree_patterns_flows(setup, tmp_path):
    ed = setup
    write_data_outputs(ed, tmp_path / "out")
    out = tmp_path / "out"
    raw = read(out / "indicators_raw.csv")
    assert list(raw.columns) == ["id", *[f"I{k:02d}" for k in range(1, 10)]]
    cities = pd.read_csv(ed.root / str(F.YEAR) / "meta" / "cities.csv", dtype=str)
    assert raw["id"].tolist() == cities["id"].tolist()  # all cities, cities.csv order, excluded too
    b = raw.set_index("id").loc["city-02"]
    assert b["I01"] == "46091.24" and b["I02"] == "7"
    assert raw.set_index("id").loc["city-04", "I06"] == "" and raw.set_index("id").loc["city-05", "I04"] == ""
    back = raw.set_index("id").replace("", np.nan).astype(float)
    pd.testing.assert_frame_equal(back, F.raw_wide(ed.root), check_names=False, check_exact=True)  # exact round trip

    t = read(out / "indicator_tree.csv")
    assert list(t.columns) == ["code", "pillar", "subpillar", "weight"]
    assert t["weight"].iloc[0] == "0.075000"  # 0.3 × 0.5 × 1/2
    assert t.set_index("code").loc["I04", "weight"] == "0.080000"   # 0.3 × 0.4 × 2/3
    assert t["weight"].astype(float).sum() == pytest.approx(1.0, abs=1e-5)

    p = read(out / "development_patterns.csv")
    assert list(p.columns) == ["id", "group", "A", "B", "C"]
    f = read(out / "flows.csv")
    assert list(f.columns) == ["id", "group", "agglomeration", "radiation"]
    for frame, cols in ((p, ["A", "B", "C"]), (f, ["agglomeration", "radiation"])):
        assert frame["id"].tolist() == [c for c in cities["id"] if c != "city-04"]
        for g in ("main", "mini"):
            v = frame.loc[frame["group"] == g, cols].astype(float).to_numpy()
            assert v.min() == 0.0 and v.max() == 100.0


def test_deterministic(setup, tmp_path):
    write_data_outputs(setup, tmp_path / "a")
    write_data_outputs(setup, tmp_path / "b")
    for name in FILES:
        data = (tmp_path / "a" / name).read_bytes()
        assert data == (tmp_path / "b" / name).read_bytes()
        assert b"\r" not in data


def test_atomic_replacement(setup, tmp_path, monkeypatch):
    out = tmp_path / "data"
    out.mkdir()
    (out / "stale.csv").write_text("old\n")
    write_data_outputs(setup, out)
    assert not (out / "stale.csv").exists()  # replaced as a whole
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    other = F.make_edition(tmp_path / "synthetic", seed=1)     # other values: other files
    real_write, calls = export.write_csv, []

    def fail_half_way(*args, **kwargs):
        calls.append(1)
        if len(calls) == 4:
            raise RuntimeError("fail half-way")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(export, "write_csv", fail_half_way)
    with pytest.raises(RuntimeError):
        write_data_outputs(other, out)
    assert len(calls) == 4                                           # three files were written before
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "synthetic"]  # temp dir cleaned up


def test_write_atomic_replaces_whole_files_readable_by_all(tmp_path):
    import stat
    from gihi.core.files import write_atomic
    p = tmp_path / "a.pdf"
    p.write_bytes(b"old")
    write_atomic(p, b"new")
    assert p.read_bytes() == b"new" and stat.S_IMODE(p.stat().st_mode) == 0o644
    assert [x.name for x in tmp_path.iterdir()] == ["a.pdf"]   # no temporary file left


def test_write_atomic_leaves_the_old_file_when_writing_fails(tmp_path):
    from gihi.core.files import write_atomic
    p = tmp_path / "a.pdf"
    p.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomic(p, object())   # not bytes: fails mid-write
    assert p.read_bytes() == b"old" and [x.name for x in tmp_path.iterdir()] == ["a.pdf"]


def test_plain_value():
    from gihi.core.files import plain_value
    assert [plain_value(v) for v in (None, pd.NA, pd.NaT, float("nan"), float("inf"), np.float64("-inf"))] == [None] * 6
    assert plain_value(np.bool_(True)) is True and plain_value(np.int64(7)) == 7 and type(plain_value(np.int64(7))) is int
    assert type(plain_value(np.float32(0.5))) is float and plain_value(np.float32(0.5)) == 0.5
    assert str(plain_value(-0.0)) == "0.0" and plain_value("北京") == "北京"


def test_plain_number():
    from gihi.core.files import plain_number
    assert [plain_number(v) for v in (134.0, 46091.24, 7, 1e-05, 0.1 + 0.2)] == \
        ["134", "46091.24", "7", "1e-05", "0.30000000000000004"]
