"""Consistency checks between the project's dependency declarations.

The same direct dependencies are pinned in three places:

* ``pyproject.toml`` -- ``[project] dependencies`` and the ``test`` extra
  (the source of truth, all pinned with ``==``);
* ``environment.yml`` -- the conda environment (same pins, mostly under ``pip:``);
* ``requirements.lock`` -- the full transitive pin set, used as pip constraints.

The functions here read each file into a ``{normalised name: version}`` mapping
and compare two mappings; ``tests/test_environment.py`` uses them. Names are
normalised as in PEP 503 (lowercase; runs of ``-``, ``_`` and ``.`` become
``-``) so that ``PyYAML``/``pyyaml`` and ``typing_extensions``/``typing-extensions``
compare equal. Versions are compared as strings.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Mapping

import yaml

__all__ = [
    "normalise_name",
    "pyproject_specs",
    "unpinned_specs",
    "pyproject_pins",
    "conda_pins",
    "lock_pins",
    "pin_mismatches",
]

# ``name[extras] == version ; marker`` -- only exact ``==`` pins are accepted.
_PIN_RE = re.compile(
    r"^\s*(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*"
    r"(?:\[[^\]]*\])?\s*==\s*(?P<version>[A-Za-z0-9._+!-]+)\s*(?:;.*)?$"
)
# Conda match specs: ``name``, ``name=1.2``, ``name==1.2``, ``name=1.2=build``,
# ``name 1.2``; an optional ``channel::`` prefix.
_CONDA_RE = re.compile(
    r"^\s*(?:[\w.-]+::)?(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)"
    r"\s*(?:(?:==?|\s)\s*(?P<version>[^=\s]+)(?:[=\s].*)?)?\s*$"
)

#: conda-forge package names that differ from their PyPI names.
CONDA_TO_PYPI = {
    "python-duckdb": "duckdb",
    "pytables": "tables",
}

#: Entries of environment.yml that are tooling, not project dependencies.
CONDA_TOOLING = frozenset({"python", "pip"})


def normalise_name(name: str) -> str:
    """Return the PEP 503 normalised form of a distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _parse_pin(spec: str) -> tuple[str, str]:
    match = _PIN_RE.match(spec)
    if match is None:
        raise ValueError(f"not an exact '==' pin: {spec!r}")
    return normalise_name(match["name"]), match["version"]


def _add(pins: dict[str, str], name: str, version: str, source: str) -> None:
    if name in pins and pins[name] != version:
        raise ValueError(
            f"{source}: {name} pinned twice ({pins[name]} and {version})"
        )
    pins[name] = version


def pyproject_specs(path: str | Path, extras: tuple[str, ...] | None = None) -> list[str]:
    """Return the raw dependency strings of a ``pyproject.toml``.

    Includes ``[project] dependencies`` and the optional-dependency groups in
    *extras* (default: all groups).
    """
    with open(path, "rb") as fh:
        project = tomllib.load(fh).get("project", {})
    specs = list(project.get("dependencies", []))
    optional = project.get("optional-dependencies", {})
    for group in optional if extras is None else extras:
        specs.extend(optional.get(group, []))
    return specs


def unpinned_specs(path: str | Path) -> list[str]:
    """Return the dependency strings of a ``pyproject.toml`` not pinned with ``==``."""
    return [spec for spec in pyproject_specs(path) if _PIN_RE.match(spec) is None]


def pyproject_pins(path: str | Path, extras: tuple[str, ...] | None = None) -> dict[str, str]:
    """Return ``{name: version}`` for the dependencies of a ``pyproject.toml``.

    Covers the main dependencies plus the optional-dependency groups in
    *extras* (default: all). Raises ``ValueError`` if a spec is not an exact
    ``==`` pin (see :func:`unpinned_specs` to list those instead).
    """
    pins: dict[str, str] = {}
    for spec in pyproject_specs(path, extras):
        name, version = _parse_pin(spec)
        _add(pins, name, version, str(path))
    return pins


def conda_pins(path: str | Path, include_tooling: bool = False) -> dict[str, str]:
    """Return ``{name: version}`` for the dependencies of a conda ``environment.yml``.

    Both conda entries (``name=version``; conda-forge names are mapped to PyPI
    names via :data:`CONDA_TO_PYPI`) and the ``pip:`` sub-list (``name==version``)
    are read. ``python`` and ``pip`` are skipped unless *include_tooling*.
    A conda entry without a version maps to ``""`` (so it shows up as a
    mismatch against any pin). Editable/option lines in ``pip:`` (``-e .``,
    ``-r file``) are ignored.
    """
    with open(path, encoding="utf-8") as fh:
        env = yaml.safe_load(fh) or {}
    pins: dict[str, str] = {}
    for entry in env.get("dependencies") or []:
        if isinstance(entry, dict):
            for spec in entry.get("pip") or []:
                spec = str(spec).strip()
                if spec.startswith("-"):
                    continue
                name, version = _parse_pin(spec)
                _add(pins, name, version, str(path))
            continue
        match = _CONDA_RE.match(str(entry))
        if match is None:
            raise ValueError(f"{path}: cannot parse conda spec {entry!r}")
        name = normalise_name(match["name"])
        if name in CONDA_TOOLING and not include_tooling:
            continue
        _add(pins, normalise_name(CONDA_TO_PYPI.get(name, name)),
             match["version"] or "", str(path))
    return pins


def lock_pins(path: str | Path) -> dict[str, str]:
    """Return ``{name: version}`` for a pip requirements/constraints file.

    Blank lines, comments and option lines (``-e``, ``-c``, ``--hash`` ...)
    are skipped; inline comments and environment markers are stripped.
    Any other line that is not an exact ``==`` pin raises ``ValueError``.
    """
    pins: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.split(" #", 1)[0].strip().rstrip("\\").strip()
            if not line or line.startswith(("#", "-")):
                continue
            name, version = _parse_pin(line.split(" --", 1)[0])
            _add(pins, name, version, str(path))
    return pins


def pin_mismatches(
    a: Mapping[str, str],
    b: Mapping[str, str],
    *,
    labels: tuple[str, str] = ("a", "b"),
    symmetric: bool = True,
) -> list[str]:
    """Describe how two ``{name: version}`` pin mappings disagree.

    Reports names of *a* missing from *b*, names pinned to different versions,
    and -- if *symmetric* -- names of *b* missing from *a* (use
    ``symmetric=False`` when *b* is a superset such as a lock file). Names are
    normalised before comparison. Returns one human-readable line per problem,
    sorted; an empty list means the mappings agree.
    """
    la, lb = labels
    na = {normalise_name(k): v for k, v in a.items()}
    nb = {normalise_name(k): v for k, v in b.items()}
    problems = []
    for name in sorted(na.keys() | nb.keys()):
        if name not in nb:
            problems.append(f"{name}: pinned in {la} ({na[name]}) but missing from {lb}")
        elif name not in na:
            if symmetric:
                problems.append(f"{name}: pinned in {lb} ({nb[name]}) but missing from {la}")
        elif na[name] != nb[name]:
            problems.append(f"{name}: {la} has {na[name]}, {lb} has {nb[name]}")
    return problems
