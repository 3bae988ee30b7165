"""Loading data/<year>/indicators.csv: basic checks with located problems, and the wide table."""
from pathlib import Path

import numpy as np
import pytest

import factory as F
from gihi.model.dataset import load_indicators, to_wide
from gihi.core.errors import DataError

HEADER = "id,code,value,provenance,note"
YEAR = F.YEAR
FILE = f"{YEAR}/indicators.csv"


def data_dir(tmp_path: Path, body: list[str], header: str = HEADER) -> Path:
    """A synthetic data directory (tests/factory.py: cities city-01… and hub-01…, indicators
    I01–I09, the metadata under <year>/meta/) whose indicators.csv is replaced by ``body``."""
    root = F.make_data(tmp_path / "data", YEAR)
    (root / str(YEAR) / "indicators.csv").write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    return root


def test_load_and_wide(tmp_path):
    d = data_dir(tmp_path, [
        "city-02,I02,3,published,",
        "city-01,I01,1.5,published,a note",
        "city-01,I09,,missing,",
        "city-01,I02,2e3,derived,",
    ])
    long = load_indicators(d, YEAR)
    assert list(long.columns) == ["id", "code", "value", "provenance", "note"]
    assert long["value"].iloc[0] == 3.0 and np.isnan(long["value"].iloc[2])
    wide = to_wide(long)
    assert wide.shape == (13, 9)
    assert list(wide.columns) == [f"I{k:02d}" for k in range(1, 10)]
    assert list(wide.index[:2]) == ["city-01", "city-02"]  # cities.csv order
    assert list(wide.index[-3:]) == ["hub-01", "hub-02", "hub-03"]
    assert wide.loc["city-01", "I01"] == 1.5 and wide.loc["city-01", "I02"] == 2000.0
    assert np.isnan(wide.loc["city-01", "I09"]) and np.isnan(wide.loc["city-03", "I01"])


def test_to_wide_explicit_order():
    import pandas as pd

    long = pd.DataFrame({"id": ["b", "a"], "code": ["X", "Y"], "value": [1.0, 2.0]})
    w = to_wide(long)
    assert list(w.index) == ["b", "a"] and list(w.columns) == ["X", "Y"]
    w = to_wide(long, codes=["Y", "X", "Z"], ids=["a", "b"])
    assert list(w.columns) == ["Y", "X", "Z"] and w.loc["a", "Y"] == 2.0


def test_located_problems(tmp_path):
    d = data_dir(tmp_path, [
        "city-01,I01,1,published,",       # row 1 fine
        "atlantis,I01,1,published,",      # row 2 unknown id
        "city-01,I99,1,published,",       # row 3 unknown code
        "city-02,I01,\"1,234\",published,",  # row 4 non-numeric
        "city-02,I02,n/a,published,",     # row 5 non-numeric
        "city-01,I01,2,published,",       # row 6 duplicate of row 1
        "city-02,I03,inf,published,",     # row 7 not finite
    ])
    with pytest.raises(DataError) as e:
        load_indicators(d, YEAR)
    got = [(p.file, p.row, p.column) for p in e.value.problems]
    assert got == [
        (FILE, 2, "id"),
        (FILE, 3, "code"),
        (FILE, 4, "value"),
        (FILE, 5, "value"),
        (FILE, 6, "id,code"),
        (FILE, 7, "value"),
    ]
    assert "'atlantis'" in str(e.value.problems[0])
    assert "first at row 1" in e.value.problems[4].found


def test_missing_column_and_file(tmp_path):
    d = data_dir(tmp_path, ["city-01,I01,1"], header="id,code,value")
    with pytest.raises(DataError) as e:
        load_indicators(d, YEAR)
    assert [(p.row, p.column) for p in e.value.problems] == [(None, "provenance"), (None, "note")]
    with pytest.raises(DataError) as e:
        load_indicators(d, YEAR + 1)
    assert e.value.problems[0].file == f"{YEAR + 1}/indicators.csv"


def test_the_editions_values_are_the_files(synthetic, synthetic_root):
    """The edition's long table is the loader's (one parse, the same types)."""
    import pandas as pd
    pd.testing.assert_frame_equal(synthetic.long, load_indicators(synthetic_root, YEAR))
    pd.testing.assert_frame_equal(synthetic.wide, F.raw_wide(synthetic_root), check_exact=True)
