"""The CSV data outputs: columns, order, rounding, determinism, atomic replacement."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import gihi.publish.data_files as export
from gihi.publish.data_files import write_data_outputs
from gihi.model.method.index import compute_index
from gihi.model.metadata import load_cities, load_tree

ROOT = Path(__file__).resolve().parents[1]
SUBS = [f"{p}{k}" for p in "ABC" for k in range(1, 5)]
SCORE_COLUMNS = ["id", "name_zh", "name_en", "group", "composite", "composite_rank", "A", "A_rank", "B", "B_rank",
                 "C", "C_rank", *SUBS]
FILES = ["index_scores.csv", "indicators_raw.csv", "indicator_tree.csv", "development_patterns.csv", "flows.csv",
         "excluded.csv"]


@pytest.fixture(scope="module")
def setup():
    tree = load_tree(ROOT / "data")
    cities = load_cities(ROOT / "data")
    rng = np.random.default_rng(5)
    wide = pd.DataFrame(np.round(rng.lognormal(2, 1, size=(len(cities), 30)), 3),
                        index=pd.Index(cities["id"], name="id"), columns=tree.codes)
    wide = wide.mask(rng.random(wide.shape) < 0.03)
    wide.loc["tokyo", ["I15", "I16"]] = np.nan  # B4 empty → excluded
    wide.loc["boston", "I01"] = 46091.24
    wide.loc["boston", "I02"] = 7.0
    result = compute_index(wide, cities.set_index("id")["group"], tree)
    return result, cities, tree, wide


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_files_and_columns(setup, tmp_path):
    result, cities, tree, wide = setup
    out = tmp_path / "2023" / "data"
    written = write_data_outputs(result, cities, tree, wide, out)
    assert [p.name for p in written] == FILES and all(p.parent == out for p in written)
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert [p.name for p in (tmp_path / "2023").iterdir()] == ["data"]  # no temp dir left

    s = read(out / "index_scores.csv")
    assert list(s.columns) == SCORE_COLUMNS
    assert "tokyo" not in set(s["id"]) and len(s) == 118
    groups = s["group"].tolist()
    assert groups == ["main"] * 107 + ["mini"] * 11
    for g in ("main", "mini"):
        ranks = s.loc[s["group"] == g, "composite_rank"].astype(int).tolist()
        assert ranks == sorted(ranks) and ranks[0] == 1
    assert all(len(v.split(".")[1]) == 4 for v in s["composite"])  # 4 decimals
    top = s.iloc[0]
    assert top["composite"] == "100.0000" and top["composite_rank"] == "1"
    assert float(s["A1"].astype(float).min()) == 60.0

    ex = read(out / "excluded.csv")
    assert ex.to_dict("records") == [{"id": "tokyo", "group": "main", "reason": "no indicator with data in sub-pillar(s) B4"}]


def test_raw_tree_patterns_flows(setup, tmp_path):
    result, cities, tree, wide = setup
    write_data_outputs(result, cities, tree, wide, tmp_path)
    raw = read(tmp_path / "indicators_raw.csv")
    assert list(raw.columns) == ["id", *[f"I{k:02d}" for k in range(1, 31)]]
    assert raw["id"].tolist() == cities["id"].tolist()  # all cities, cities.csv order, excluded too
    b = raw.set_index("id").loc["boston"]
    assert b["I01"] == "46091.24" and b["I02"] == "7"
    assert raw.set_index("id").loc["tokyo", "I15"] == ""
    back = raw.set_index("id").replace("", np.nan).astype(float)
    pd.testing.assert_frame_equal(back, wide, check_names=False)  # exact round trip

    t = read(tmp_path / "indicator_tree.csv")
    assert list(t.columns) == ["code", "pillar", "subpillar", "weight"]
    assert t["weight"].iloc[0] == "0.045000"  # 0.3 × 0.3 × 1/2
    assert t["weight"].astype(float).sum() == pytest.approx(1.0, abs=1e-5)

    p = read(tmp_path / "development_patterns.csv")
    assert list(p.columns) == ["id", "group", "A", "B", "C"]
    f = read(tmp_path / "flows.csv")
    assert list(f.columns) == ["id", "group", "agglomeration", "radiation"]
    for frame, cols in ((p, ["A", "B", "C"]), (f, ["agglomeration", "radiation"])):
        for g in ("main", "mini"):
            v = frame.loc[frame["group"] == g, cols].astype(float).to_numpy()
            assert v.min() == 0.0 and v.max() == 100.0


def test_deterministic(setup, tmp_path):
    result, cities, tree, wide = setup
    write_data_outputs(result, cities, tree, wide, tmp_path / "a")
    write_data_outputs(result, cities, tree, wide, tmp_path / "b")
    for name in FILES:
        data = (tmp_path / "a" / name).read_bytes()
        assert data == (tmp_path / "b" / name).read_bytes()
        assert b"\r" not in data


def test_atomic_replacement(setup, tmp_path, monkeypatch):
    result, cities, tree, wide = setup
    out = tmp_path / "data"
    out.mkdir()
    (out / "stale.csv").write_text("old\n")
    write_data_outputs(result, cities, tree, wide, out)
    assert not (out / "stale.csv").exists()  # replaced as a whole
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def boom(*args, **kwargs):
        raise RuntimeError("fail half-way")

    monkeypatch.setattr(export, "flows", boom)
    with pytest.raises(RuntimeError):
        write_data_outputs(result, cities, tree, wide * 2, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # untouched
    assert [p.name for p in tmp_path.iterdir()] == ["data"]  # temp dir cleaned up


def test_write_atomic_replaces_whole_files_readable_by_all(tmp_path):
    import stat
    from gihi.publish.data_files import write_atomic
    p = tmp_path / "a.pdf"
    p.write_bytes(b"old")
    write_atomic(p, b"new")
    assert p.read_bytes() == b"new" and stat.S_IMODE(p.stat().st_mode) == 0o644
    assert [x.name for x in tmp_path.iterdir()] == ["a.pdf"]   # no temporary file left


def test_write_atomic_leaves_the_old_file_when_writing_fails(tmp_path):
    from gihi.publish.data_files import write_atomic
    p = tmp_path / "a.pdf"
    p.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomic(p, object())   # not bytes: fails mid-write
    assert p.read_bytes() == b"old" and [x.name for x in tmp_path.iterdir()] == ["a.pdf"]


def test_plain_value():
    plain_value = export.plain_value
    assert [plain_value(v) for v in (None, pd.NA, pd.NaT, float("nan"), float("inf"), np.float64("-inf"))] == [None] * 6
    assert plain_value(np.bool_(True)) is True and plain_value(np.int64(7)) == 7 and type(plain_value(np.int64(7))) is int
    assert type(plain_value(np.float32(0.5))) is float and plain_value(np.float32(0.5)) == 0.5
    assert str(plain_value(-0.0)) == "0.0" and plain_value("北京") == "北京"
