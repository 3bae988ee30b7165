"""Content hashes that decide what a build must redo, and the build manifest.

A step is redone only when the hash of what it depends on differs from the one recorded in
``output/<year>/manifest.json`` by the last build, or when its recorded outputs are missing or
were changed since (their hashes are recorded too). File times are never used.

Hashes are SHA-256 over sorted relative paths and file contents, so they are the same on any
machine and in any checkout directory.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Iterable

from gihi.core.hashing import files_under, hash_paths, hash_value, relative_name

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1


def environment() -> dict:
    """What of the environment can change a result: the interpreter and every installed
    distribution's version (sorted by name)."""
    packages = {}
    for dist in metadata.distributions():
        name = (dist.metadata["Name"] or "").lower()
        if name:
            packages[name] = dist.version
    return {"python": platform.python_version(), "implementation": sys.implementation.name,
            "platform": sys.platform, "packages": dict(sorted(packages.items()))}


def load_manifest(path: Path) -> dict:
    """The manifest at ``path``, or an empty one when absent, unreadable or of another version."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("manifest_version") == MANIFEST_VERSION else {}


def write_manifest(path: Path, data: dict) -> None:
    """Write the manifest atomically (stable key order, trailing newline)."""
    data = {"manifest_version": MANIFEST_VERSION, **data}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def outputs_intact(recorded: dict | None, root: Path) -> bool:
    """Whether every output recorded as ``{relative path: sha256}`` still exists unchanged."""
    if not recorded:
        return False
    for rel, digest in recorded.items():
        p = root / rel
        if not p.is_file() or hashlib.sha256(p.read_bytes()).hexdigest() != digest:
            return False
    return True


def record_outputs(paths: Iterable[Path], root: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of every file at ``paths`` (directories recursed)."""
    out = {}
    for p in paths:
        for f in files_under(Path(p)):
            out[relative_name(f, root)] = hashlib.sha256(f.read_bytes()).hexdigest()
    return dict(sorted(out.items()))


__all__ = ["hash_paths", "hash_value", "environment", "load_manifest", "write_manifest", "outputs_intact",
           "record_outputs", "MANIFEST"]
