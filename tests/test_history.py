"""Earlier ranks (data/history/ranks.csv, by city id) and rank changes."""
from pathlib import Path

import pandas as pd
import pytest

import factory as F
from gihi.core.errors import DataError
from gihi.model.history import load_history, rank_changes

ROOT = Path(__file__).resolve().parents[1]


def test_real_history_loads(real_edition):
    h = real_edition.history
    pd.testing.assert_frame_equal(h, load_history(ROOT / "data", 2023))   # the path loader reads the same table
    assert list(h.columns) == ["year", "level", "id", "rank", "source"]
    assert set(h["level"]) <= {"composite", "A", "B", "C"}
    assert set(h["year"]) == {2021, 2022}
    # spot checks from NOTES.md: Chicago composite 2022 = 24; Phoenix composite 2022 = 41 (text only)
    key = h.set_index(["year", "level", "id"])["rank"]
    assert key[(2022, "composite", "chicago-naperville-elgin")] == 24
    assert key[(2022, "composite", "san-francisco-san-jose")] == 1


def test_rank_changes_sign_and_missing():
    history = pd.DataFrame({
        "year": [2022, 2022, 2022, 2021],
        "level": ["composite", "composite", "A", "composite"],
        "id": ["x", "y", "x", "z"],
        "rank": [24, 3, 1, 5],
        "source": [""] * 4,
    })
    now = pd.Series({"x": 14, "y": 5, "z": 1})
    ch = rank_changes(now, history, "composite", 2022)
    assert ch.loc["x", "change"] == 10      # 24 → 14: moved up 10
    assert ch.loc["y", "change"] == -2      # 3 → 5: moved down 2
    assert pd.isna(ch.loc["z", "change"])   # no 2022 rank
    assert ch.loc["x", "prev_rank"] == 24 and ch.loc["x", "rank"] == 14
    # a ranks DataFrame is accepted too (its `level` column is used)
    frame = pd.DataFrame({"composite": [14, 5, 1], "A": [2, 1, 3]}, index=["x", "y", "z"])
    assert rank_changes(frame, history, "A", 2022).loc["x", "change"] == -1
    with pytest.raises(ValueError):
        rank_changes(now, history, "A1", 2022)


def test_bad_history_file(tmp_path):
    root = F.make_data(tmp_path / "data")
    (root / "history" / "ranks.csv").write_text(
        "year,level,id,rank,source\n"
        "2029,composite,city-01,2,Table 3\n"
        "2029,composite,atlantis,3,Table 3\n"
        "2029,Z,city-01,x,Table 3\n"
        "2029,composite,city-01,4,Table 3\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        load_history(root, F.YEAR)          # city ids of the edition's cities.csv (<year>/meta/)
    where = [(p.file, p.row, p.column) for p in e.value.problems]
    assert where == [("history/ranks.csv", 2, "id"), ("history/ranks.csv", 3, "level"), ("history/ranks.csv", 3, "rank"),
                     ("history/ranks.csv", 4, "year,level,id")]
    assert "'atlantis'" in str(e.value.problems[0]) and "first at row 1" in e.value.problems[3].found


def test_history_of_an_edition(tmp_path):
    root = F.make_data(tmp_path / "data")
    expected = pd.read_csv(root / "history" / "ranks.csv", dtype={"source": str})
    h = load_history(root, F.YEAR)
    assert list(h.columns) == ["year", "level", "id", "rank", "source"]
    assert h["year"].dtype == "int64" and h["rank"].dtype == "int64"
    assert h[["year", "level", "id", "rank"]].values.tolist() == expected[["year", "level", "id", "rank"]].values.tolist()
    with pytest.raises(DataError, match="history/ranks.csv: found no such file"):
        load_history(tmp_path / "nowhere", F.YEAR)
