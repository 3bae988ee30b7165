"""Errors that carry a list of located problems (file, row, column, found, expected)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in one input cell. ``row`` is the 1-based data row (header excluded), or None."""

    file: str
    row: int | None
    column: str | None
    found: str
    expected: str
    part: str = "column"   # what ``column`` names: a table's "column", a settings file's "entry"

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", {self.part} {self.column}"
        return f"{where}: found {self.found}; expected {self.expected}"


class DataError(Exception):
    """Raised when input data fail validation; holds every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
