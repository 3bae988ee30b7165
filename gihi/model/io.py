"""Reading an input table outside validation (scripts, tests, the strings of a process that opened
no edition): every read is traced (:mod:`gihi.core.trace`), like validation's, so that a build
can show that it parses each input file once."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from gihi.core import trace


def read_table(path: Path) -> pd.DataFrame:
    """An input CSV as all-text columns (UTF-8, optional BOM; empty cells are empty strings)."""
    trace.event(trace.PARSE, str(path))
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
