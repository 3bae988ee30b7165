"""Writing files safely and reproducibly: atomic replacement, staged directories, plain CSV cells.

Every writer of the project goes through these: a reader (or a crash) sees the old file or the
new one, never half of one, and identical inputs give byte-identical files.
"""
from __future__ import annotations

import math
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd


def plain_value(v):
    """A cell as a plain Python scalar: None when missing (None, NA, NaT, NaN, ±inf), else bool,
    int, float (never -0.0) or str — numpy scalars included."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return f + 0.0 if math.isfinite(f) else None
    return str(v)


def plain_number(v: float) -> str:
    """Shortest round-trip text of a float, without a trailing ``.0`` (134.0 → ``134``)."""
    s = repr(float(v))
    return s[:-2] if s.endswith(".0") else s


def write_csv(frame: pd.DataFrame, path: Path, float_format=None) -> Path:
    """``frame`` as UTF-8 CSV with ``\n`` line ends and no index (the format of every data output)."""
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", float_format=float_format)
    return path


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same directory and
    ``os.replace``: a reader sees the old file or the new one, never half of one; the temporary
    file is removed if anything fails (Ctrl-C included). Mode 0644, like any other output."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


@contextmanager
def staged(out_dir: Path):
    """Yield a fresh temporary directory next to ``out_dir``; on normal exit, swap it in as
    ``out_dir`` (the previous ``out_dir``, if any, is removed); on error, delete it and leave
    ``out_dir`` untouched."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    os.chmod(tmp, 0o755)
    old = None
    if out_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
        os.rmdir(old)
        os.replace(out_dir, old)
    try:
        os.replace(tmp, out_dir)
    except BaseException:
        if old is not None:
            os.replace(old, out_dir)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
