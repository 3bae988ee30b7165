"""Content hashes of files and values: SHA-256 over sorted relative paths and file contents, so
they are the same on any machine and in any checkout directory. File times are never used."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Iterable

SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache"}
SKIP_SUFFIXES = (".pyc", ".pyo", ".tmp")


def files_under(path: Path) -> list[Path]:
    """Files under ``path`` (or ``path`` itself), sorted, skipping caches and hidden files."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        return []
    out = []
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        out += [Path(root) / f for f in files if not f.startswith(".") and not f.endswith(SKIP_SUFFIXES)]
    return sorted(out)


def hash_paths(paths: Iterable[Path], root: Path) -> str:
    """SHA-256 of the files at ``paths`` (files or directories), named relative to ``root``.

    A path that does not exist contributes its name and a marker, so that creating it later
    changes the hash.
    """
    h = hashlib.sha256()
    for p in sorted({Path(p) for p in paths}, key=lambda q: str(q)):
        files = files_under(p)
        if not files:
            h.update(f"missing:{relative_name(p, root)}\n".encode())
        for f in files:
            h.update(f"file:{relative_name(f, root)}\n".encode())
            h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def relative_name(p: Path, root: Path) -> str:
    try:
        return Path(os.path.abspath(p)).relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return Path(p).as_posix()


def hash_value(value) -> str:
    """SHA-256 of a JSON-serialisable value (keys sorted)."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
