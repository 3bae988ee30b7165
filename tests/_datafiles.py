"""The data files as the independent checks read them (tests/truth_*.py): csv rows with the csv
module, YAML with yaml, and an edition's metadata file found by the project's per-edition rule
(``gihi.core.paths.meta_path``: ``data/<year>/meta/<name>`` replaces ``data/meta/<name>``)."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml

from gihi.core.paths import DATA_DIR, meta_path


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load_yaml(path: Path) -> Any:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def meta_file(year: int, name: str) -> Path:
    return meta_path(DATA_DIR, name, year)


def meta_rows(year: int, name: str) -> list[dict]:
    return rows(meta_file(year, name))
