"""Saving an edition's tables and results to a directory, and reading them back exactly.

The data stage computes an edition once and saves it (:meth:`gihi.model.edition.Edition.save`);
chapter kernels, renders and the profiles process read the saved copy instead of recomputing.
The format is open and readable: one CSV file per table and a JSON file that describes every
value (types, index, column order), so that what is read back is equal to what was saved, bit
for bit (floats are written as their shortest round-trip text).

:func:`dump` takes nested plain containers — ``dict`` (order and key types kept), ``list``, ``tuple`` —
of DataFrames, Series, NumPy arrays, JSON scalars and the registered dataclasses, and returns a
JSON-ready descriptor; :func:`load` rebuilds the value from it. Anything else is refused with a
:class:`StoreError` naming the path of the value, so nothing is silently pickled or lost.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import json
import math
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from gihi.core.files import write_atomic

FORMAT_VERSION = 1


class StoreError(TypeError):
    """A value cannot be saved (or a saved value cannot be read)."""


#: dataclasses the store can save: name → class (registered by :func:`register`)
DATACLASSES: dict[str, type] = {}


def register(cls: type) -> type:
    """Let the store save instances of the dataclass ``cls`` (field by field)."""
    DATACLASSES[cls.__name__] = cls
    return cls


# --------------------------------------------------------------------------- cells

def _float_text(v: float) -> str:
    return "" if math.isnan(v) else repr(float(v))


def _column_codec(s: pd.Series, where: str) -> tuple[dict, Callable[[Any], str]]:
    """How one column is written: a spec (for reading back) and a cell encoder."""
    dt = s.dtype
    if isinstance(dt, pd.CategoricalDtype):
        cats = [_json_scalar(c, where) for c in dt.categories]
        return {"kind": "category", "categories": cats, "ordered": bool(dt.ordered)}, \
            lambda v: "" if pd.isna(v) else json.dumps(_json_scalar(v, where), ensure_ascii=False)
    if pd.api.types.is_bool_dtype(dt) and dt == np.dtype(bool):
        return {"kind": "bool"}, lambda v: "true" if v else "false"
    if isinstance(dt, pd.BooleanDtype):
        return {"kind": "boolean"}, lambda v: "" if v is pd.NA else ("true" if v else "false")
    if isinstance(dt, pd.api.extensions.ExtensionDtype) and pd.api.types.is_integer_dtype(dt):
        return {"kind": "nullable_int", "dtype": str(dt)}, lambda v: "" if v is pd.NA else str(int(v))
    if pd.api.types.is_integer_dtype(dt):
        return {"kind": "int", "dtype": str(dt)}, lambda v: str(int(v))
    if pd.api.types.is_float_dtype(dt):
        return {"kind": "float", "dtype": str(dt)}, lambda v: _float_text(float(v))
    if pd.api.types.is_string_dtype(dt) or dt == object:
        values = list(s)
        if all(isinstance(v, str) for v in values):
            return {"kind": "text", "dtype": str(dt)}, lambda v: v
        return {"kind": "json", "dtype": str(dt)}, lambda v: json.dumps(_json_cell(v, where), ensure_ascii=False)
    raise StoreError(f"{where}: cannot save a column of dtype {dt}")


def _json_scalar(v: Any, where: str) -> Any:
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return {"$float": repr(f)} if not math.isfinite(f) else f
    if isinstance(v, str):
        return v
    if isinstance(v, datetime.date) and not isinstance(v, datetime.datetime):
        return {"$date": v.isoformat()}
    raise StoreError(f"{where}: cannot save the value {v!r} ({type(v).__name__})")


def _json_cell(v: Any, where: str) -> Any:
    """A cell of an object column: JSON scalars, lists of them, None, NA."""
    if v is None:
        return None
    if v is pd.NA:
        return {"$na": True}
    if isinstance(v, (list, tuple)):
        return {"$" + type(v).__name__: [_json_cell(x, where) for x in v]}
    return _json_scalar(v, where)


def _from_json_cell(v: Any) -> Any:
    if isinstance(v, dict):
        if "$float" in v:
            return float(v["$float"])
        if "$na" in v:
            return pd.NA
        if "$list" in v:
            return [_from_json_cell(x) for x in v["$list"]]
        if "$tuple" in v:
            return tuple(_from_json_cell(x) for x in v["$tuple"])
        if "$date" in v:
            return datetime.date.fromisoformat(v["$date"])
    return v


def _decode_column(cells: list[str], spec: dict) -> pd.Series | pd.Categorical | np.ndarray:
    kind = spec["kind"]
    if kind == "float":
        return np.array([math.nan if c == "" else float(c) for c in cells], dtype=spec["dtype"])
    if kind == "int":
        return np.array([int(c) for c in cells], dtype=spec["dtype"])
    if kind == "nullable_int":
        return pd.array([None if c == "" else int(c) for c in cells], dtype=spec["dtype"])
    if kind == "bool":
        return np.array([c == "true" for c in cells], dtype=bool)
    if kind == "boolean":
        return pd.array([None if c == "" else c == "true" for c in cells], dtype="boolean")
    if kind == "text":
        return pd.array(cells, dtype=spec["dtype"]) if spec["dtype"] != "object" else np.array(cells, dtype=object)
    if kind == "json":
        vals = [_from_json_cell(json.loads(c)) for c in cells]
        if spec["dtype"] == "object":
            arr = np.empty(len(vals), dtype=object)
            arr[:] = vals
            return arr
        return pd.array(vals, dtype=spec["dtype"])
    if kind == "category":
        cats = [_from_json_cell(c) for c in spec["categories"]]
        vals = [None if c == "" else _from_json_cell(json.loads(c)) for c in cells]
        return pd.Categorical(vals, categories=cats, ordered=spec["ordered"])
    raise StoreError(f"unknown column kind {kind!r}")


# --------------------------------------------------------------------------- frames

def _index_spec(index: pd.Index, where: str) -> tuple[dict, list[pd.Series]]:
    if isinstance(index, pd.RangeIndex):
        return {"kind": "range", "start": index.start, "stop": index.stop, "step": index.step,
                "name": _json_scalar(index.name, where) if index.name is not None else None}, []
    levels = [index.get_level_values(i) for i in range(index.nlevels)]
    names = [None if n is None else _json_scalar(n, where) for n in index.names]
    return {"kind": "multi" if isinstance(index, pd.MultiIndex) else "index", "names": names}, \
        [pd.Series(lv, dtype=lv.dtype) for lv in levels]


def _write_frame(frame: pd.DataFrame, path: Path, where: str) -> dict:
    if frame.columns.nlevels != 1:
        raise StoreError(f"{where}: cannot save a frame with a column MultiIndex")
    index_spec, index_cols = _index_spec(frame.index, where)
    cols = [frame.iloc[:, j] for j in range(frame.shape[1])]
    series = index_cols + cols
    specs, encoders = [], []
    for j, s in enumerate(series):
        label = f"index level {j}" if j < len(index_cols) else repr(frame.columns[j - len(index_cols)])
        spec, enc = _column_codec(s, f"{where}[{label}]")
        specs.append(spec)
        encoders.append(enc)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([*(f"(index {k})" for k in range(len(index_cols))), *(str(c) for c in frame.columns)])
    columns = [list(s) for s in series]
    for i in range(len(frame)):
        w.writerow([enc(col[i]) for enc, col in zip(encoders, columns)])
    write_atomic(path, buf.getvalue().encode("utf-8"))
    return {"type": "frame", "file": path.name, "index": index_spec, "n_index": len(index_cols),
            "columns": [_json_scalar(c, where) for c in frame.columns],
            "columns_name": None if frame.columns.name is None else _json_scalar(frame.columns.name, where),
            "specs": specs, "rows": int(len(frame))}


def _kept(array) -> Any:
    """``object`` for a decoded object array (pandas would infer its own ``str`` dtype for a column
    of strings when it builds the frame or index); None (pandas' choice, the array's own) otherwise."""
    return object if isinstance(array, np.ndarray) and array.dtype == object else None


def _read_frame(desc: dict, directory: Path) -> pd.DataFrame:
    with open(directory / desc["file"], encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))[1:]
    if len(rows) != desc["rows"]:
        raise StoreError(f"{desc['file']}: {len(rows)} rows; the descriptor says {desc['rows']}")
    n_index, specs = desc["n_index"], desc["specs"]
    cells = list(zip(*rows)) if rows else [() for _ in specs]
    arrays = [_decode_column(list(c), spec) for c, spec in zip(cells, specs)]
    ispec = desc["index"]
    if ispec["kind"] == "range":
        index = pd.RangeIndex(ispec["start"], ispec["stop"], ispec["step"], name=_from_json_cell(ispec["name"]))
    elif ispec["kind"] == "multi":
        index = pd.MultiIndex.from_arrays(arrays[:n_index], names=[_from_json_cell(n) for n in ispec["names"]])
    else:
        index = pd.Index(arrays[0], name=_from_json_cell(ispec["names"][0]), dtype=_kept(arrays[0]))
    columns = [_from_json_cell(c) for c in desc["columns"]]
    positions = pd.RangeIndex(len(index))   # built by position, then labelled: no alignment on the index
    data = {j: pd.Series(arrays[n_index + j], index=positions, dtype=_kept(arrays[n_index + j]), copy=False)
            for j in range(len(columns))}
    frame = pd.DataFrame(data, index=positions)
    frame.index = index
    frame.columns = pd.Index(columns, name=_from_json_cell(desc.get("columns_name")))
    return frame


# --------------------------------------------------------------------------- values

def dump(value: Any, directory: Path, name: str) -> dict:
    """Write ``value`` under ``directory`` (files named after ``name``); returns its descriptor."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    return _dump(value, directory, name)


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


def _dump(value: Any, d: Path, name: str) -> dict:
    if isinstance(value, pd.DataFrame):
        return _write_frame(value, d / f"{_safe(name)}.csv", name)
    if isinstance(value, pd.Series):
        desc = _write_frame(value.to_frame(name="value"), d / f"{_safe(name)}.csv", name)
        return {**desc, "type": "series", "series_name": None if value.name is None else _json_scalar(value.name, name)}
    if isinstance(value, np.ndarray):
        frame = pd.DataFrame(value.reshape(len(value), -1) if value.ndim > 1 else value.reshape(-1, 1))
        desc = _write_frame(frame, d / f"{_safe(name)}.csv", name)
        return {**desc, "type": "array", "shape": list(value.shape)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value).__name__
        if DATACLASSES.get(cls) is not type(value):
            raise StoreError(f"{name}: cannot save a {cls} (not a registered dataclass)")
        return {"type": "dataclass", "class": cls,
                "fields": {f.name: _dump(getattr(value, f.name), d, f"{name}.{f.name}") for f in dataclasses.fields(value)}}
    if isinstance(value, dict):
        # keys and values as two lists: key order is kept, and keys need not be strings
        return {"type": "dict", "keys": [_json_scalar(k, name) for k in value],
                "values": [_dump(v, d, f"{name}.{k}") for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        return {"type": type(value).__name__, "items": [_dump(v, d, f"{name}.{i}") for i, v in enumerate(value)]}
    if value is None:
        return {"type": "json", "value": None}
    return {"type": "json", "value": _json_scalar(value, name)}


def load(desc: dict, directory: Path) -> Any:
    """The value described by ``desc`` (from :func:`dump`), read from ``directory``."""
    t = desc["type"]
    if t == "frame":
        return _read_frame(desc, directory)
    if t == "series":
        s = _read_frame(desc, directory).iloc[:, 0]
        s.name = _from_json_cell(desc["series_name"])
        return s
    if t == "array":
        return _read_frame(desc, directory).to_numpy().reshape(desc["shape"])
    if t == "dataclass":
        cls = DATACLASSES.get(desc["class"])
        if cls is None:
            raise StoreError(f"no registered dataclass {desc['class']!r}")
        return cls(**{k: load(v, directory) for k, v in desc["fields"].items()})
    if t == "dict":
        return {_from_json_cell(k): load(v, directory) for k, v in zip(desc["keys"], desc["values"])}
    if t in ("list", "tuple"):
        items = [load(v, directory) for v in desc["items"]]
        return items if t == "list" else tuple(items)
    if t == "json":
        return _from_json_cell(desc["value"])
    raise StoreError(f"unknown stored type {t!r}")


def write_index(directory: Path, content: dict) -> Path:
    """Write the store's JSON index (stable key order, trailing newline)."""
    text = json.dumps({"format": FORMAT_VERSION, **content}, ensure_ascii=False, indent=1) + "\n"
    return write_atomic(Path(directory) / INDEX_FILE, text.encode("utf-8"))


def read_index(directory: Path) -> dict:
    path = Path(directory) / INDEX_FILE
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise StoreError(f"{path}: not a saved edition ({e})") from e
    if content.get("format") != FORMAT_VERSION:
        raise StoreError(f"{path}: format {content.get('format')!r}; expected {FORMAT_VERSION}")
    return content


INDEX_FILE = "edition.json"

__all__ = ["dump", "load", "register", "write_index", "read_index", "StoreError", "INDEX_FILE"]
