"""Bit-for-bit comparison of saved and loaded values (tests of gihi.model.store and Edition.save)."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd


def _float_bits(values) -> np.ndarray | None:
    """The bit patterns of a float array (None when it is not a NumPy float array)."""
    arr = np.asarray(values)
    if arr.dtype.kind != "f":
        return None
    return arr.view(f"u{arr.dtype.itemsize}")


def _index_differences(a: pd.Index, b: pd.Index, path: str) -> list[str]:
    out = []
    try:
        # "equiv": a RangeIndex equals an Index of the same int64 values (see test_store.py)
        pd.testing.assert_index_equal(a, b, exact="equiv", check_names=True, check_exact=True, check_categorical=True)
    except AssertionError as e:
        return [f"{path}: {e}"]
    if a.nlevels != b.nlevels:
        return [f"{path}: {a.nlevels} levels, then {b.nlevels}"]
    for k in range(a.nlevels):
        la, lb = a.get_level_values(k), b.get_level_values(k)
        if la.dtype != lb.dtype:
            out.append(f"{path} level {k}: dtype {la.dtype} != {lb.dtype}")
        fa, fb = _float_bits(la), _float_bits(lb)
        if fa is not None and not np.array_equal(fa, fb):
            out.append(f"{path} level {k}: float bits differ")
    return out


def differences(a, b, path: str = "value", *, names: bool = True) -> list[str]:
    """Every way in which ``b`` is not ``a`` bit for bit: types, dtypes, index and column labels,
    values (floats compared by their bits, so -0.0 ≠ 0.0 and NaN payloads count), key order.
    ``names``: compare a Series' name too (a frame's columns are compared as its column index)."""
    if type(a) is not type(b):
        return [f"{path}: {type(a).__name__} became {type(b).__name__}"]
    if isinstance(a, pd.DataFrame):
        out = _index_differences(a.index, b.index, f"{path}.index")
        out += _index_differences(a.columns, b.columns, f"{path}.columns")
        if out:
            return out
        for j in range(a.shape[1]):
            out += differences(a.iloc[:, j], b.iloc[:, j], f"{path}[{a.columns[j]!r}]", names=False)
        return out
    if isinstance(a, pd.Series):
        out = _index_differences(a.index, b.index, f"{path}.index")
        if names and (a.name != b.name or type(a.name) is not type(b.name)):
            out.append(f"{path}: name {a.name!r} became {b.name!r}")
        if a.dtype != b.dtype:
            return out + [f"{path}: dtype {a.dtype} became {b.dtype}"]
        try:
            pd.testing.assert_series_equal(a, b, check_exact=True, check_names=False, check_index=False)
        except AssertionError as e:
            return out + [f"{path}: {e}"]
        fa, fb = _float_bits(a.to_numpy()), _float_bits(b.to_numpy())
        if fa is not None and not np.array_equal(fa, fb):
            out.append(f"{path}: float bits differ")
        if a.dtype == object:
            out += [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}[{i}]")]
        return out
    if isinstance(a, np.ndarray):
        if a.dtype != b.dtype or a.shape != b.shape:
            return [f"{path}: array {a.dtype} {a.shape} became {b.dtype} {b.shape}"]
        fa, fb = _float_bits(a), _float_bits(b)
        same = np.array_equal(fa, fb) if fa is not None else np.array_equal(a, b)
        return [] if same else [f"{path}: array values differ"]
    if dataclasses.is_dataclass(a):
        return [d for f in dataclasses.fields(a) for d in differences(getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}")]
    if isinstance(a, dict):
        if list(a) != list(b) or [type(k) for k in a] != [type(k) for k in b]:
            return [f"{path}: keys {list(a)!r} became {list(b)!r}"]
        return [d for k in a for d in differences(a[k], b[k], f"{path}.{k}")]
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items became {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}.{i}")]
    if isinstance(a, float):
        return [] if _float_bits(np.float64(a)) == _float_bits(np.float64(b)) else [f"{path}: {a!r} became {b!r}"]
    if a is pd.NA or a is None:
        return [] if b is a else [f"{path}: {a!r} became {b!r}"]
    if isinstance(a, (np.floating,)):
        return [] if np.array_equal(_float_bits(a), _float_bits(b)) else [f"{path}: {a!r} became {b!r}"]
    return [] if a == b else [f"{path}: {a!r} became {b!r}"]


def assert_same(a, b, path: str = "value") -> None:
    diffs = differences(a, b, path)
    assert not diffs, "\n".join(d[:600] for d in diffs[:20])


__all__ = ["differences", "assert_same"]
