"""gihi.model.store: what is dumped is loaded back bit for bit (values, dtypes, index, labels), the
files are an open format (CSV + a JSON-ready descriptor), and anything it cannot save is refused
with a message naming where the value is."""
from __future__ import annotations

import csv
import datetime
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from _same import assert_same, differences
from gihi.model import store


def round_trip(value, directory, name="x"):
    desc = store.dump(value, directory, name)
    json.dumps(desc)                       # the descriptor is plain JSON
    return store.load(json.loads(json.dumps(desc)), directory)


# --------------------------------------------------------------------------- floats

TRICKY = [-0.0, 0.0, np.nan, np.inf, -np.inf, 5e-324, 1 / 3, 0.1 + 0.2, 1e308, -2.2250738585072014e-308, 123456789.123456789]


def test_float_columns_bit_for_bit(tmp_path):
    f32 = [-0.0, 0.0, np.nan, np.inf, -np.inf, 1e-45, 1 / 3, 0.1, 3.4e38, -1.2e-38, 16777217.0]
    f = pd.DataFrame({"f64": TRICKY, "f32": np.array(f32, dtype=np.float32)})
    back = round_trip(f, tmp_path)
    assert_same(f, back)
    assert np.signbit(back["f64"].iloc[0]) and not np.signbit(back["f64"].iloc[1])   # -0.0 stays -0.0
    assert str(back["f32"].dtype) == "float32"


def test_differences_sees_the_sign_of_zero():
    """The comparison itself: -0.0 and 0.0 are equal numbers but not the same bits."""
    a = pd.DataFrame({"x": [0.0]})
    assert differences(a, pd.DataFrame({"x": [-0.0]})) and not differences(a, pd.DataFrame({"x": [0.0]}))


def test_float_series_array_and_scalars(tmp_path):
    s = pd.Series(TRICKY, name="score", index=pd.Index([f"c{k}" for k in range(len(TRICKY))], name="id"))
    assert_same(s, round_trip(s, tmp_path, "s"))
    arr = np.array(TRICKY[:10]).reshape(2, 5)
    back = round_trip(arr, tmp_path, "a")
    assert back.shape == (2, 5) and back.dtype == np.float64
    assert_same(arr, back)
    scalars = {"neg_zero": -0.0, "nan": float("nan"), "inf": float("inf"), "tiny": 5e-324, "third": 1 / 3}
    assert_same(scalars, round_trip(scalars, tmp_path, "d"))


# --------------------------------------------------------------------------- other dtypes

def test_integers_booleans_and_nullable(tmp_path):
    f = pd.DataFrame({"Int64": pd.array([1, None, -3], dtype="Int64"), "int64": [1, 2, -(2 ** 62)],
                      "int32": np.array([1, 2, 3], dtype=np.int32), "uint8": np.array([0, 7, 255], dtype=np.uint8),
                      "bool": [True, False, True], "boolean": pd.array([True, None, False], dtype="boolean")})
    back = round_trip(f, tmp_path)
    assert_same(f, back)
    assert back["Int64"].isna().tolist() == [False, True, False]
    assert [str(t) for t in back.dtypes] == ["Int64", "int64", "int32", "uint8", "bool", "boolean"]


def test_categoricals_keep_categories_order_and_missing(tmp_path):
    f = pd.DataFrame({"code": pd.Categorical(["I02", None, "I01"], categories=["I01", "I02", "I99"]),
                      "level": pd.Categorical(["b", "a", "b"], categories=["b", "a"], ordered=True),
                      "year": pd.Categorical([2021, 2020, None], categories=[2021, 2020])})
    back = round_trip(f, tmp_path)
    assert_same(f, back)
    assert list(back["code"].cat.categories) == ["I01", "I02", "I99"] and back["level"].cat.ordered
    assert back["year"].cat.categories.dtype == np.int64


def test_text_columns(tmp_path):
    f = pd.DataFrame({"str": pd.Series(["北京", "", "a,b \"q\"\nline"], dtype="str"),
                      "string": pd.array(["x", None, "z"], dtype="string"),
                      "with_missing": pd.Series(["x", None, "z"], dtype="str")})
    back = round_trip(f, tmp_path)
    assert_same(f, back)


def test_object_columns_with_lists_tuples_none_and_dates(tmp_path):
    cells = [[1, 2], None, ("a", [3.5, None]), float("nan"), pd.NA, datetime.date(2020, 1, 2), -0.0, True, "text", []]
    f = pd.DataFrame({"o": pd.Series(cells, dtype=object)})
    back = round_trip(f, tmp_path)
    assert_same(f, back)
    got = list(back["o"])
    assert got[0] == [1, 2] and type(got[2]) is tuple and type(got[2][1]) is list and got[1] is None
    assert got[4] is pd.NA and got[5] == datetime.date(2020, 1, 2) and np.signbit(got[6])


def test_object_column_of_strings_keeps_its_dtype(tmp_path):
    f = pd.DataFrame({"o": pd.Series(["x", "y"], dtype=object)}, index=pd.Index(["a", "b"], dtype=object, name="id"))
    assert_same(f, round_trip(f, tmp_path))


# --------------------------------------------------------------------------- index and labels

def test_multiindex_rows_and_names(tmp_path):
    idx = pd.MultiIndex.from_tuples([("beijing", 2021), ("beijing", 2022), ("tokyo", 2021)], names=["id", "year"])
    f = pd.DataFrame({"v": [1.5, -0.0, np.nan]}, index=idx)
    back = round_trip(f, tmp_path)
    assert_same(f, back)
    assert back.index.names == ["id", "year"] and back.index.get_level_values("year").dtype == np.int64


def test_int_column_labels_range_index_and_names(tmp_path):
    f = pd.DataFrame([[1, 2], [3, 4]], columns=pd.Index([2020, 2021], name="year"),
                     index=pd.RangeIndex(10, 14, 2, name="row"))
    back = round_trip(f, tmp_path)
    assert_same(f, back)
    assert list(back.columns) == [2020, 2021] and all(type(c) is int for c in back.columns)
    assert back.columns.name == "year" and isinstance(back.index, pd.RangeIndex) and back.index.step == 2


def test_range_column_labels_come_back_as_int64_labels(tmp_path):
    """Columns 0..n−1 (a RangeIndex, as a frame built from an array has) come back as an Index
    of the same int64 labels, not as a RangeIndex: equal labels and dtype (what _same.assert_same
    checks), another Index class."""
    f = pd.DataFrame(np.arange(6).reshape(2, 3))
    back = round_trip(f, tmp_path)
    assert_same(f, back)
    assert list(back.columns) == [0, 1, 2] and back.columns.dtype == np.int64


def test_empty_frames_keep_their_dtypes(tmp_path):
    f = pd.DataFrame({"a": pd.Series(dtype=float), "b": pd.Series(dtype="Int64"), "c": pd.Series(dtype="str"),
                      "d": pd.Categorical([], categories=["x"])})
    assert_same(f, round_trip(f, tmp_path))


# --------------------------------------------------------------------------- containers and dataclasses

def test_dicts_keep_key_types_and_order(tmp_path):
    value = {2023: "int key", "2023": "str key", datetime.date(2023, 6, 13): {"nested": (1, [2, 3])},
             2.5: datetime.date(2021, 1, 1), "none": None, "flag": False, "list": [1, "a", None]}
    back = round_trip(value, tmp_path)
    assert_same(value, back)
    assert list(back) == [2023, "2023", datetime.date(2023, 6, 13), 2.5, "none", "flag", "list"]
    assert type(back[datetime.date(2023, 6, 13)]["nested"]) is tuple


@dataclass(frozen=True)
class Pair:
    name: str
    frame: pd.DataFrame
    extra: dict


@dataclass(frozen=True)
class NotRegistered:
    x: int


store.register(Pair)


def test_registered_dataclass(tmp_path):
    p = Pair("p", pd.DataFrame({"v": [1.0, -0.0]}, index=pd.Index(["a", "b"], name="id")), {1: [np.nan]})
    back = round_trip({"pairs": [p, p]}, tmp_path)
    assert type(back["pairs"][0]) is Pair
    assert_same({"pairs": [p, p]}, back)


def test_the_files_are_csv_and_json(tmp_path):
    f = pd.DataFrame({"id": ["a", "b"], "v": [0.1, -0.0]})
    desc = store.dump({"t": f}, tmp_path, "t")
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["t.t.csv"]
    with open(tmp_path / "t.t.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows == [["id", "v"], ["a", "0.1"], ["b", "-0.0"]]       # shortest round-trip text of each float
    assert json.loads(json.dumps(desc)) == desc


# --------------------------------------------------------------------------- refusals

@pytest.mark.parametrize("value, where", [
    ({"a": [1, {"b": object()}]}, "x.a.1.b: cannot save the value <object"),
    ({"s": {1, 2}}, "x.s: cannot save the value {1, 2} (set)"),
    ({"c": 1 + 2j}, "x.c: cannot save the value (1+2j) (complex)"),
    ({"t": datetime.datetime(2020, 1, 1)}, "x.t: cannot save the value datetime.datetime(2020, 1, 1, 0, 0) (datetime)"),
    ({"f": pd.DataFrame({"when": pd.to_datetime(["2020-01-01"])})}, "x.f['when']: cannot save a column of dtype datetime64"),
    ({"f": pd.DataFrame({"o": [object()]})}, "x.f['o']: cannot save the value <object"),
    ({"f": pd.DataFrame([[1]], columns=pd.MultiIndex.from_tuples([("a", "b")]))},
     "x.f: cannot save a frame with a column MultiIndex"),
    ({(1, 2): "tuple key"}, "x: cannot save the value (1, 2) (tuple)"),
    ({"d": NotRegistered(1)}, "x.d: cannot save a NotRegistered (not a registered dataclass)"),
])
def test_unsupported_values_are_refused_naming_their_path(tmp_path, value, where):
    with pytest.raises(store.StoreError) as e:
        store.dump(value, tmp_path, "x")
    assert str(e.value).startswith(where), str(e.value)


def test_a_damaged_file_is_reported(tmp_path):
    desc = store.dump(pd.DataFrame({"v": [1.0, 2.0]}), tmp_path, "x")
    (tmp_path / "x.csv").write_text("v\n1.0\n", encoding="utf-8")
    with pytest.raises(store.StoreError, match="1 rows; the descriptor says 2"):
        store.load(desc, tmp_path)
    with pytest.raises(store.StoreError, match="not a saved edition"):
        store.read_index(tmp_path)
