"""Loading data/<year>/indicators.csv: basic checks with located problems, and the wide table."""
import shutil
from pathlib import Path

import numpy as np
import pytest

from gihi.model.dataset import load_indicators, to_wide
from gihi.core.errors import DataError

ROOT = Path(__file__).resolve().parents[1]
HEADER = "id,code,value,provenance,note"


def data_dir(tmp_path: Path, body: list[str], header: str = HEADER) -> Path:
    shutil.copytree(ROOT / "data" / "meta", tmp_path / "meta")
    (tmp_path / "2023").mkdir()
    (tmp_path / "2023" / "indicators.csv").write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    return tmp_path


def test_load_and_wide(tmp_path):
    d = data_dir(tmp_path, [
        "toronto,I02,3,published,",
        "montreal,I01,1.5,published,a note",
        "montreal,I30,,missing,",
        "montreal,I02,2e3,derived,",
    ])
    long = load_indicators(d, 2023)
    assert list(long.columns) == ["id", "code", "value", "provenance", "note"]
    assert long["value"].iloc[0] == 3.0 and np.isnan(long["value"].iloc[2])
    wide = to_wide(long)
    assert wide.shape == (119, 30)
    assert list(wide.columns) == [f"I{k:02d}" for k in range(1, 31)]
    assert list(wide.index[:2]) == ["montreal", "toronto"]  # cities.csv order
    assert wide.loc["montreal", "I01"] == 1.5 and wide.loc["montreal", "I02"] == 2000.0
    assert np.isnan(wide.loc["montreal", "I30"]) and np.isnan(wide.loc["vancouver", "I01"])


def test_to_wide_explicit_order():
    import pandas as pd

    long = pd.DataFrame({"id": ["b", "a"], "code": ["X", "Y"], "value": [1.0, 2.0]})
    w = to_wide(long)
    assert list(w.index) == ["b", "a"] and list(w.columns) == ["X", "Y"]
    w = to_wide(long, codes=["Y", "X", "Z"], ids=["a", "b"])
    assert list(w.columns) == ["Y", "X", "Z"] and w.loc["a", "Y"] == 2.0


def test_located_problems(tmp_path):
    d = data_dir(tmp_path, [
        "montreal,I01,1,published,",       # row 1 fine
        "atlantis,I01,1,published,",       # row 2 unknown id
        "montreal,I99,1,published,",       # row 3 unknown code
        "toronto,I01,\"1,234\",published,",  # row 4 non-numeric
        "toronto,I02,n/a,published,",      # row 5 non-numeric
        "montreal,I01,2,published,",       # row 6 duplicate of row 1
        "toronto,I03,inf,published,",      # row 7 not finite
    ])
    with pytest.raises(DataError) as e:
        load_indicators(d, 2023)
    got = [(p.file, p.row, p.column) for p in e.value.problems]
    assert got == [
        ("2023/indicators.csv", 2, "id"),
        ("2023/indicators.csv", 3, "code"),
        ("2023/indicators.csv", 4, "value"),
        ("2023/indicators.csv", 5, "value"),
        ("2023/indicators.csv", 6, "id,code"),
        ("2023/indicators.csv", 7, "value"),
    ]
    assert "'atlantis'" in str(e.value.problems[0])
    assert "first at row 1" in e.value.problems[4].found


def test_missing_column_and_file(tmp_path):
    d = data_dir(tmp_path, ["montreal,I01,1"], header="id,code,value")
    with pytest.raises(DataError) as e:
        load_indicators(d, 2023)
    assert [(p.row, p.column) for p in e.value.problems] == [(None, "provenance"), (None, "note")]
    with pytest.raises(DataError) as e:
        load_indicators(d, 2024)
    assert e.value.problems[0].file == "2024/indicators.csv"
