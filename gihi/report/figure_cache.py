"""A content-addressed cache of drawn figures.

Drawing a chart (matplotlib layout, text as paths, a PNG preview) is most of a chapter's run
time, and most rebuilds change no chart's input: a chapter re-executed because its notebook or
narrative changed draws the same figures again. The cache key is the SHA-256 of the chart's
name, its arguments (DataFrames by content), the language, and the code and environment that
draw it (``gihi/report/charts/``, ``gihi/report/style.py``, ``gihi/report/figures.py``, matplotlib's version, the
font files); a hit copies the stored SVG and PNG, byte-identical to a fresh drawing.
Arguments that cannot be hashed by content make the figure uncacheable (it is drawn).
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from gihi.core.paths import PREVIEW, ROOT, STAGING

CODE = ("gihi/report/charts", "gihi/report/style.py", "gihi/report/figures.py")
SUBDIR = Path(".cache") / "figures"


class Unhashable(TypeError):
    """An argument has no content hash (the figure is drawn, not cached)."""


def _feed(h, x) -> None:
    if isinstance(x, pd.DataFrame):
        h.update(b"df")
        _feed(h, [str(c) for c in x.columns])
        _feed(h, [str(t) for t in x.dtypes])
        h.update(pd.util.hash_pandas_object(x, index=True).to_numpy().tobytes())
        _feed(h, [str(i) for i in x.index.names])
    elif isinstance(x, pd.Series):
        h.update(b"series")
        _feed(h, [str(x.name), str(x.dtype)])
        h.update(pd.util.hash_pandas_object(x, index=True).to_numpy().tobytes())
    elif isinstance(x, np.ndarray):
        h.update(f"nd{x.dtype}{x.shape}".encode())
        h.update(np.ascontiguousarray(x).tobytes())
    elif isinstance(x, dict):
        h.update(b"{")
        for k in sorted(x, key=repr):
            _feed(h, k)
            _feed(h, x[k])
        h.update(b"}")
    elif isinstance(x, (list, tuple)):
        h.update(b"[" if isinstance(x, list) else b"(")
        for v in x:
            _feed(h, v)
        h.update(b"]")
    elif dataclasses.is_dataclass(x) and not isinstance(x, type):
        h.update(f"dc:{type(x).__module__}.{type(x).__qualname__}".encode())
        _feed(h, {f.name: getattr(x, f.name) for f in dataclasses.fields(x)})
    elif isinstance(x, (str, int, float, bool, type(None), np.integer, np.floating, np.bool_)):
        h.update(f"{type(x).__name__}:{x!r};".encode())
    else:
        raise Unhashable(f"no content hash for {type(x).__name__}")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The drawing code, matplotlib's version and the font files the house style uses."""
    import matplotlib

    from gihi.core.hashing import hash_paths
    from gihi.report.style import font_files
    h = hashlib.sha256(hash_paths([ROOT / p for p in CODE], ROOT).encode())
    h.update(matplotlib.__version__.encode())
    for family, (path, index) in sorted(font_files().items()):
        st = os.stat(path)
        h.update(f"{family}:{path}:{index}:{st.st_size}".encode())
    return h.hexdigest()


def figure_key(chart: str, args: tuple, kwargs: dict, lang: str) -> str | None:
    """The cache key of ``FIGURES[chart](*args, lang=lang, **kwargs)``, or None if uncacheable."""
    h = hashlib.sha256(code_fingerprint().encode())
    try:
        _feed(h, [chart, lang, list(args), kwargs])
    except Unhashable:
        return None
    return h.hexdigest()


def lookup(cache_dir: Path | None, key: str | None, stem: Path,
           names: tuple[str, ...] = ("svg", "png")) -> dict[str, Path] | None:
    """Copy the cached files ``names`` of a figure to ``<stem>.<name>`` (``svg``, ``png``,
    ``print-zh.svg``, ...); None on a miss (any of them absent)."""
    if cache_dir is None or key is None:
        return None
    src = {s: Path(cache_dir) / f"{key}.{s}" for s in names}
    if not all(p.is_file() for p in src.values()):
        return None
    stem.parent.mkdir(parents=True, exist_ok=True)
    out = {}
    for s, p in src.items():
        out[s] = stem.with_name(f"{stem.name}.{s}")
        shutil.copyfile(p, out[s])
    return out


def store(cache_dir: Path | None, key: str | None, paths: dict[str, Path]) -> None:
    """Keep a freshly drawn figure (atomically: a reader sees a whole file or none)."""
    if cache_dir is None or key is None:
        return
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    for name, path in paths.items():
        dst = cache_dir / f"{key}.{name}"
        tmp = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
        shutil.copyfile(path, tmp)
        os.replace(tmp, dst)


def cache_dir_for(output_dir: Path) -> Path:
    """Where the figures of builds into ``output_dir`` are cached: ``<output_dir>/.cache/figures``,
    shared with the build's staging directory ``<output_dir>/.build`` (gihi.pipeline.build.STAGING)
    and the preview's ``<output_dir>/.preview``."""
    output_dir = Path(output_dir)
    if output_dir.name in (STAGING, PREVIEW):
        output_dir = output_dir.parent
    return output_dir / SUBDIR


__all__ = ["figure_key", "lookup", "store", "cache_dir_for", "code_fingerprint", "Unhashable"]
