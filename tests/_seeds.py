"""Where tests find the source texts ("seeds"): the report text, the GII article.

The seeds are not part of the repository. :func:`seed_path` looks, in this order, at

1. ``<repo>/../shared/seeds/<name>`` — the layout of CI, where the repository is cloned next to
   ``shared/`` (``<repo>`` is the directory holding ``pyproject.toml`` above ``tests/``);
2. ``$GIHI_SEEDS/<name>``, when the variable ``GIHI_SEEDS`` is set.

A missing seed skips the test with the reason, except under CI (the variable ``CI`` set to any
non-empty value), where it fails the test naming every place looked at: in CI a missing input
is an error, never a silent skip (docs/testing.md).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest


def repo_root() -> Path:
    """The directory holding ``pyproject.toml`` above this file."""
    for d in Path(__file__).resolve().parents:
        if (d / "pyproject.toml").is_file():
            return d
    raise RuntimeError(f"no pyproject.toml above {__file__}")


def candidates(name: str) -> list[Path]:
    """Every place :func:`seed_path` looks at for ``name``, in order."""
    places = [repo_root().parent / "shared" / "seeds" / name]
    env = os.environ.get("GIHI_SEEDS", "")
    if env:
        places.append(Path(env) / name)
    return places


def missing_input(message: str) -> None:
    """A required input is missing: ``pytest.fail`` under CI (``CI`` non-empty), else ``pytest.skip``."""
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set: a missing input is an error)", pytrace=False)
    pytest.skip(message)


def seed_path(name: str) -> Path:
    """The path of the seed ``name``; skips (fails under CI) when it is nowhere to be found."""
    places = candidates(name)
    for p in places:
        if p.is_file():
            return p
    hint = "" if os.environ.get("GIHI_SEEDS") else "; set GIHI_SEEDS to the seeds' directory"
    missing_input(f"seed {name} not found; looked at {', '.join(str(p) for p in places)}{hint}")
    raise AssertionError("unreachable")  # pragma: no cover
