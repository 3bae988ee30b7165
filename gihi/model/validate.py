"""Validation of every input file before anything is computed (rules: ``docs/validation.md``).

:func:`validate_inputs` reads each file the build uses and returns **every** problem found as a
:class:`~gihi.core.errors.Problem` (file relative to the data directory, 1-based data row with the
header excluded, column); an empty list means the inputs are valid. ``run_data_stage`` calls it
first and raises :class:`~gihi.core.errors.DataError`, so nothing is computed or written on failure.

Per-cell rules are pandera checks on the all-string table (:func:`_cell_problems`); rules that
span rows or files (duplicates, tree weights, the missing-value policy) are plain Python.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import re
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd
import yaml

from gihi.core import trace
from gihi.core.errors import DataError, Problem
from gihi.model import configs
from gihi.model.metadata import tree_from_frames
from gihi.model.method.screen import screen
from gihi.core.paths import META, meta_path

ENCODING = "UTF-8 text (with or without a byte-order mark)"
YEAR_RE = re.compile(r"[0-9]{4}")
NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
POSITIVE, DIGITS = re.compile(r"[1-9][0-9]*"), re.compile(r"[0-9]+")
COMMA_RE = re.compile(r"[+-]?[0-9.,]*[0-9],[0-9][0-9.,]*")
THOUSANDS_RE = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
PLAIN_NUMBER = "a number with '.' as the decimal point and no thousands separator"
PROVENANCE = ("published", "derived", "imputed")
LEVELS = ("composite", "A", "B", "C")
GROUPS = ("main", "mini")
FLOWS = ("agglomeration", "radiation")
TREE_TOLERANCE = 1e-6
MIN_SCORED_PER_GROUP = 2
AI_MEASURES = ("ai_patents", "hq_patents")

#: indicator kind (meta/indicators.csv ``kind``) → (lower bound, upper bound, description). Counts
#: need not be whole numbers: fractional counting and multi-year means give fractions.
KINDS: dict[str, tuple[float | None, float | None, str]] = {
    "count": (0, None, "a count"),
    "per_million": (0, None, "a number per million inhabitants"),
    "amount": (0, None, "an amount"),
    "share": (0, 100, "a share in percent"),
    "rate": (-100, None, "a rate of change in percent"),
    "score": (None, None, "a score"),
}
#: kind → (substring required in unit_en, in unit_zh): the unit must agree with the kind
KIND_UNITS = {"per_million": ("per million", "百万"), "share": ("percent", "%"), "rate": ("percent", "%")}

TEXT_FORMATS = (".csv", ".yaml", ".yml", ".json")


def year_problem(year: object) -> str | None:
    """Why ``year`` is not a report year (4 ASCII digits), or None when it is one."""
    text = str(year) if isinstance(year, int) and not isinstance(year, bool) else year
    if isinstance(text, str) and YEAR_RE.fullmatch(text):
        return None
    return f"--year must be a 4-digit year (got {year!r})"


def require_valid(data_dir: Path, year: int | str) -> None:
    """Raise :class:`DataError` listing every problem of the inputs, if there is any."""
    problems = validate_inputs(data_dir, year)
    if problems:
        raise DataError(problems)


# --------------------------------------------------------------------------- reading

def read_text(path: Path, file: str, out: list[Problem]) -> str | None:
    """The file's text (UTF-8, optional BOM); None and a problem naming the byte offset otherwise."""
    try:
        data = path.read_bytes()
        trace.event(trace.PARSE, file)
    except OSError as e:
        out.append(Problem(file, None, None, f"a file that cannot be read ({e.strerror})", ENCODING))
        return None
    for bom, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                      (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if data.startswith(bom):
            out.append(Problem(file, None, None, f"a {name} byte-order mark at byte offset 0", ENCODING))
            return None
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[start:].decode("utf-8")
    except UnicodeDecodeError as e:
        at = start + e.start
        out.append(Problem(file, None, None, f"a byte that is not UTF-8 (0x{data[at]:02x}) at byte offset {at}", ENCODING))
        return None


def load_yaml(text: str) -> object:
    """``yaml.safe_load(text)``, by libyaml's parser where PyYAML has it; a text it rejects is
    parsed again by PyYAML's own, so that the error (its message and mark) is the same either way."""
    try:
        return yaml.load(text, Loader=_FAST_YAML)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return yaml.safe_load(text)


_FAST_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _plain_records(text: str) -> list[list[str]] | None:
    """The records of a CSV text that has no quotes, NUL or lone carriage return and whose lines
    all have the header's number of fields, split directly (what ``csv.reader`` reads from such a
    text, several times faster on the large record-level files); None for any other text."""
    if '"' in text or "\0" in text:
        return None
    unix = text.replace("\r\n", "\n")
    if "\r" in unix:
        return None
    lines = list(filter(None, unix.split("\n")))   # blank lines are no rows
    if not lines or max(map(len, lines)) > csv.field_size_limit():
        return None
    commas = lines[0].count(",")
    if set(map(str.count, lines, repeat(","))) != {commas}:
        return None
    return [line.split(",") for line in lines]


def read_csv(path: Path, file: str, out: list[Problem], columns: tuple[str, ...] = ()) -> pd.DataFrame | None:
    """All-string table indexed by 1-based data row; None when the file cannot be read at all.

    Reports malformed CSV, repeated header names, rows with another number of fields than the
    header (those rows are left out of further checks) and missing ``columns``.
    """
    text = read_text(path, file, out)
    if text is None:
        return None
    wanted = f"columns {','.join(columns)}" if columns else "a header row"
    records: list[list[str]] = []
    malformed = None
    simple = _plain_records(text)
    if simple is not None:
        records = simple
    else:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            records.extend(filter(None, reader))   # blank lines are no rows; kept up to a malformed line
        except csv.Error as e:
            malformed = Problem(file, None, None, f"malformed CSV at line {reader.line_num} ({e})",
                                'comma-separated fields, quoted with " where needed')
    if not records and malformed is None:
        out.append(Problem(file, None, None, "an empty file", f"a CSV with {wanted}"))
        return None
    header, rows = (records[0], records[1:]) if records else ([], [])
    numbers: Sequence[int] = range(1, len(rows) + 1)
    if set(map(len, rows)) - {len(header)}:   # rows of another length are reported and left out
        for n, r in zip(numbers, rows):
            if len(r) != len(header):
                out.append(Problem(file, n, None, f"{len(r)} fields",
                                   f"{len(header)} fields, as in the header (quote a field that contains a comma; "
                                   "decimal commas are not accepted)"))
        numbers = [n for n, r in zip(numbers, rows) if len(r) == len(header)]
        rows = [r for r in rows if len(r) == len(header)]
    if malformed is not None:
        out.append(malformed)
        return None
    by_column = list(zip(*rows)) if rows else [()] * len(header)
    first: dict[str, int] = {}
    for j, name in enumerate(header):
        if name in first:
            out.append(Problem(file, None, name, "the column twice", "each column once"))
        else:
            first[name] = j
    frame = pd.DataFrame({name: by_column[j] for name, j in first.items()},
                         index=pd.Index(numbers, dtype="int64"), dtype=object)
    for c in columns:
        if c not in frame.columns:
            out.append(Problem(file, None, c, "no such column", wanted))
    return frame


# --------------------------------------------------------------------------- cell rules

@dataclass(frozen=True)
class Rule:
    """One per-cell check: ``ok(series) -> bool series``; ``note`` follows the found value."""

    ok: Callable[[pd.Series], pd.Series]
    expected: str
    note: str = ""


_COLUMN: tuple = (None, None, None, None)   # the last column seen: (series, codes, uniques, memo), set as one tuple


def _column(s: pd.Series) -> tuple:
    """``pd.factorize(s)`` and a memo of what was computed over the distinct texts, kept for the
    next call on the same column: a column's rules run one after the other, several of them over
    the same function (the number parse, the comma test). (The tuple is read and replaced whole,
    so that a validation in another thread never gets this column's codes for its own.)"""
    global _COLUMN
    column, codes, uniques, memo = _COLUMN
    if column is not s:
        codes, uniques = pd.factorize(s, use_na_sentinel=False)
        memo = {}
        _COLUMN = (s, codes, uniques, memo)
    return codes, uniques, memo


def _each(s: pd.Series, fn: Callable[[str], object], dtype=bool, key: object = None) -> pd.Series:
    """``fn`` of each cell's text (``str`` of the cell), computed once per distinct text: the rules
    run over tens of thousands of cells that repeat a few values (years, ids, small counts). A
    module-level ``fn`` (or one given a ``key``) is computed once per column, from the memo; a
    lambda, once per call."""
    codes, uniques, memo = _column(s)
    k = (fn if key is None else key, dtype)
    values = memo.get(k)
    if values is None:
        values = np.array([fn(x if type(x) is str else str(x)) for x in uniques], dtype=dtype)
        memo[k] = values
    return pd.Series(values[codes] if len(values) else values, index=s.index, dtype=dtype)


def _fullmatch(s: pd.Series, regex: re.Pattern) -> pd.Series:
    return _each(s, lambda t: regex.fullmatch(t) is not None, key=("fullmatch", regex))


def _strip(s: pd.Series) -> pd.Series:
    return _each(s, str.strip, object)


def _number(t: str) -> float:
    t = t.strip()
    if NUMBER_RE.fullmatch(t) is None:
        return np.nan
    v = float(t)
    return v if np.isfinite(v) else np.nan


def _parse(s: pd.Series) -> pd.Series:
    """Float of each plain-number cell (ASCII digits, '.' decimal point, finite); NaN otherwise."""
    return _each(s, _number, float)


def _has_comma(t: str) -> bool:
    return "," in t and COMMA_RE.fullmatch(t.strip()) is not None


def _thousands(t: str) -> bool:
    return THOUSANDS_RE.fullmatch(t.strip()) is not None


def _digits(t: str) -> bool:
    return t.isascii() and t.isdigit()


def _comma(s: pd.Series) -> pd.Series:
    return _each(s, _has_comma)


def _empty(s: pd.Series) -> pd.Series:
    return _strip(s) == ""


def nonempty(expected: str) -> Rule:
    return Rule(lambda s: ~_empty(s), expected)


def one_of(values, expected: str) -> Rule:
    known = set(values)
    return Rule(lambda s: s.isin(known), expected)


def matches(regex: str, expected: str) -> Rule:
    r = re.compile(regex, re.ASCII)
    return Rule(lambda s: _fullmatch(s, r), expected)


def comma_rules() -> list[Rule]:
    """Decimal commas are never accepted: "1,5" could be 1.5 or, in "1,500", a thousands separator."""
    def thousands(s):
        return _each(s, _thousands)

    def bad(s, want_thousands):
        c = _comma(s)
        return c & (thousands(s) == want_thousands) if c.any() else c

    return [Rule(lambda s: ~bad(s, False), PLAIN_NUMBER, " (decimal comma)"),
            Rule(lambda s: ~bad(s, True), PLAIN_NUMBER, " (thousands separator or decimal comma)")]


def number(expected: str, *, empty_ok: bool = False, lo: float | None = None, hi: float | None = None) -> list[Rule]:
    """A plain number (optionally empty); then its range, for cells that are numbers."""
    rules = comma_rules() + [Rule(lambda s: _parse(s).notna() | _comma(s) | (_empty(s) & empty_ok), expected)]
    if lo is not None or hi is not None:
        def inside(s):
            v = _parse(s)
            good = pd.Series(True, index=s.index)
            if lo is not None:
                good &= v.isna() | (v >= lo)
            if hi is not None:
                good &= v.isna() | (v <= hi)
            return good
        rules.append(Rule(inside, _bounds(lo, hi)))
    return rules


def _bounds(lo, hi) -> str:
    if lo == 0 and hi is None:
        return "a non-negative number"
    if lo is not None and hi is not None:
        return f"a number from {lo:g} to {hi:g}"
    return f"a number of at least {lo:g}" if lo is not None else f"a number of at most {hi:g}"


def count(expected: str = "a non-negative integer") -> list[Rule]:
    def whole(s):
        return _each(s, _digits) | _comma(s)

    return comma_rules() + [Rule(whole, expected)]


def year_rule(last: int | None = None) -> list[Rule]:
    rules = [matches(r"[0-9]{4}", "a 4-digit year")]
    if last is not None:
        rules.append(Rule(lambda s: ~_fullmatch(s, YEAR_RE) | (_parse(s) <= last),
                          f"a year not after the report year ({last})"))
    return rules


def _all_pass(frame: pd.DataFrame, cols: dict[str, list[Rule]]) -> bool:
    """Whether every rule holds for every cell, run directly: the usual case, a clean file, costs
    no schema. Any failure, or a rule that cannot run, goes to the schema, which reports it (and
    skips null cells, which :func:`read_csv`'s all-text tables do not have)."""
    try:
        for c, rs in cols.items():
            s = frame[c]
            if len(s) and not all(bool(np.asarray(r.ok(s), dtype=bool).all()) for r in rs):
                return False
    except Exception:   # noqa: BLE001 - the schema run reports the rule that failed to run
        return False
    return True


def _cell_problems(frame: pd.DataFrame, file: str, rules: dict[str, list[Rule]]) -> list[tuple[int, str, Problem]]:
    """Run the per-cell rules as a lazy pandera schema; ``(row, column, problem)`` per failing cell."""
    import pandera.pandas as pa
    from pandera.errors import SchemaErrors

    cols = {c: rs for c, rs in rules.items() if c in frame.columns and rs}
    if not cols or frame.empty or _all_pass(frame, cols):
        return []
    schema = pa.DataFrameSchema({c: pa.Column(None, checks=[pa.Check(r.ok, error=r.expected) for r in rs], nullable=True)
                                 for c, rs in cols.items()})
    try:
        schema.validate(frame[list(cols)], lazy=True)
        return []
    except SchemaErrors as e:
        fc = e.failure_cases
    out = []
    for r in fc.itertuples(index=False):
        if r.column not in cols or pd.isna(r.index):
            raise RuntimeError(f"validation rule failed to run on {file}: {r.failure_case}")
        rule = cols[r.column][int(r.check_number)]
        out.append((int(r.index), r.column, Problem(file, int(r.index), r.column, repr(r.failure_case) + rule.note, rule.expected)))
    return out


# --------------------------------------------------------------------------- one file

class _File:
    """Problems of one file, sorted by row, then column (file order), then detection order."""

    def __init__(self, file: str, frame: pd.DataFrame | None, columns: tuple[str, ...], logical: str | None = None):
        self.file, self.frame = file, frame
        self.logical = logical or file   # the name other checks know the file by (meta/<name>)
        order = list(columns) + ([c for c in frame.columns if c not in columns] if frame is not None else [])
        self.pos = {c: i for i, c in enumerate(order)}
        self.items: list[tuple[tuple, Problem]] = []

    def has(self, *cols: str) -> bool:
        return self.frame is not None and all(c in self.frame.columns for c in cols)

    def add(self, row: int | None, column: str | None, found: str, expected: str) -> None:
        self._put(Problem(self.file, row, column, found, expected))

    def _put(self, p: Problem) -> None:
        key = (p.row or 0, self.pos.get(p.column, len(self.pos)), len(self.items))
        self.items.append((key, p))

    def cells(self, rules: dict[str, list[Rule]]) -> None:
        if self.frame is not None:
            for _, _, p in _cell_problems(self.frame, self.file, rules):
                self._put(p)

    def unique(self, keys: tuple[str, ...], expected: str | None = None) -> None:
        """Report every repeated key (the first occurrence is kept)."""
        if not self.has(*keys):
            return
        frame = self.frame[list(keys)]
        again = frame.duplicated(keep="first")
        if not again.any():   # the usual case, without a loop over the rows
            return
        seen: dict[tuple, int] = {}
        for row, *vals in frame.itertuples(name=None):
            k = tuple(vals)
            if k in seen:
                self.add(row, ",".join(keys), f"{' × '.join(vals)} again (first at row {seen[k]})",
                         expected or f"one row per {' × '.join(keys)}")
            else:
                seen[k] = row

    def problems(self) -> list[Problem]:
        return [p for _, p in sorted(self.items, key=lambda t: t[0])]


# --------------------------------------------------------------------------- the run

class _Run:
    def __init__(self, data_dir: Path, year: int):
        self.d, self.year = Path(data_dir), year
        self.out: list[Problem] = []
        self.frames: dict[str, pd.DataFrame] = {}   # logical name -> all-text table (1-based row index)
        self.objects: dict[str, object] = {}        # logical name -> parsed YAML / JSON
        self.locations: dict[str, str] = {}         # logical name -> the file read, relative to the data directory
        self.clean: set[str] = set()  # files read without any problem (logical names)
        self.warnings: list[Problem] = []   # reported, not fatal (docs/validation.md)

    def locate(self, rel: str) -> str:
        """The file that holds ``rel``: ``<year>/meta/<name>`` replaces ``meta/<name>`` for that
        year (data/README.md, "Per-edition metadata")."""
        if rel.startswith(f"{META}/"):
            return meta_path(self.d, rel[len(META) + 1:], self.year).relative_to(self.d).as_posix()
        return rel

    def table(self, rel: str, columns: tuple[str, ...], rules: Callable[[_File], dict[str, list[Rule]]] | None = None,
              keys: tuple[tuple[str, ...], ...] = (), *, required: bool = True, why: str = "",
              rows: bool = True) -> _File | None:
        """Read, check and record one CSV; ``rules(f)`` builds the cell rules (can use other files).
        ``rows``: the file must have at least one data row (a header alone is an error)."""
        logical, rel = rel, self.locate(rel)
        path = self.d / rel
        if not path.is_file():
            if required:
                self.out.append(Problem(rel, None, None, "no file", f"a CSV with columns {','.join(columns)}{why}"))
            return None
        head: list[Problem] = []
        frame = read_csv(path, rel, head, columns)
        if rows and frame is not None and frame.empty and not head:
            head.append(Problem(rel, None, None, "a header and no data rows", "at least one row of data"))
        f = _File(rel, frame, columns, logical)
        self.locations[logical] = rel
        for p in head:
            f._put(p)
        if frame is not None:
            if rules is not None:
                f.cells(rules(f))
            for k in keys:
                f.unique(k)
            self.frames[logical] = frame
        return f

    def finish(self, f: _File | None) -> None:
        if f is None:
            return
        ps = f.problems()
        if not ps:
            self.clean.add(f.logical)
        self.out += ps

    def ids(self, rel: str, col: str) -> list[str] | None:
        """Values of ``col`` in an already read file, or None when unavailable (checks are skipped)."""
        fr = self.frames.get(rel)
        return list(fr[col]) if fr is not None and col in fr.columns else None

    def any_city(self, expected: str) -> list[Rule]:
        """Ids of the files every edition shares (members, aliases, earlier ranks): a city of this
        edition, or of any other edition's city list (a city may leave the list or join it)."""
        own = self.ids(f"{META}/cities.csv", "id")
        if own is None:
            return []
        known = set(own)
        for p in sorted([self.d / META / "cities.csv", *self.d.glob(f"[0-9][0-9][0-9][0-9]/{META}/cities.csv")]):
            rel = p.relative_to(self.d).as_posix()
            if p.is_file() and rel != self.locations.get(f"{META}/cities.csv"):
                frame = read_csv(p, rel, [], ("id",))
                if frame is not None and "id" in frame.columns:
                    known |= set(frame["id"])
        return [one_of(known, expected)]

    def member(self, rel: str, col: str, expected: str) -> list[Rule]:
        known = self.ids(rel, col)
        return [] if known is None else [one_of(known, expected)]

    # ---- meta ------------------------------------------------------------------------------

    def meta(self) -> None:
        m = META
        f = self.table(f"{m}/continents.csv", ("code", "name_zh", "name_en"), lambda f: {
            "code": [nonempty("a continent code")], "name_zh": [nonempty("a Chinese name")],
            "name_en": [nonempty("an English name")]}, (("code",),))
        self.finish(f)
        f = self.table(f"{m}/countries.csv", ("iso3", "name_zh", "name_en", "continent"), lambda f: {
            "iso3": [matches(r"[A-Z]{3}", "an ISO 3166 alpha-3 code")], "name_zh": [nonempty("a Chinese name")],
            "name_en": [nonempty("an English name")],
            "continent": self.member(f"{m}/continents.csv", "code", "a continent code from meta/continents.csv")},
            (("iso3",),))
        self.finish(f)
        f = self.table(f"{m}/cities.csv", ("id", "seq", "name_zh", "name_en", "country_iso3", "group", "lat", "lon"),
                       lambda f: {
            "id": [matches(r"[a-z0-9]+(?:-[a-z0-9]+)*", "a city id of lower-case letters, digits and hyphens")],
            "seq": [matches(r"[1-9][0-9]*", "a positive integer")],
            "name_zh": [nonempty("a Chinese name")], "name_en": [nonempty("an English name")],
            "country_iso3": self.member(f"{m}/countries.csv", "iso3", "a country code from meta/countries.csv"),
            "group": [one_of(GROUPS, "main or mini")],
            "lat": number("a latitude", lo=-90, hi=90), "lon": number("a longitude", lo=-180, hi=180)},
            (("id",), ("seq",), ("name_zh",)))
        self.finish(f)
        cities = f"{m}/cities.csv"
        city_rule = lambda: self.any_city("a city id of this or another edition's meta/cities.csv")  # noqa: E731
        f = self.table(f"{m}/city_members.csv", ("city_id", "name_zh", "name_en", "country_iso3"), lambda f: {
            "city_id": city_rule(), "name_zh": [nonempty("a Chinese name")], "name_en": [nonempty("an English name")],
            "country_iso3": self.member(f"{m}/countries.csv", "iso3", "a country code from meta/countries.csv")},
            (("city_id", "name_zh"),), required=False, rows=False)
        self.finish(f)
        f = self.table(f"{m}/city_aliases.csv", ("alias", "city_id"), lambda f: {
            "alias": [nonempty("a Chinese name")], "city_id": city_rule()}, (("alias",),), required=False, rows=False)
        self.finish(f)
        self.tree()
        self.focus_meta()
        self.strings()
        known = {"continents.csv", "countries.csv", "cities.csv", "city_members.csv", "city_aliases.csv", "tree.csv",
                 "indicators.csv", "disciplines.csv", "ipc_groups.csv", "strings.csv"}
        names = {p.name for d in (self.d / m, self.d / str(self.year) / m) if d.is_dir() for p in d.iterdir() if p.is_file()}
        for name in sorted(names - known):
            if Path(name).suffix.lower() in TEXT_FORMATS:
                logical = f"{m}/{name}"
                self.parses(self.d / self.locate(logical), logical)

    def tree(self) -> None:
        m = META
        f = self.table(f"{m}/tree.csv", ("code", "level", "parent", "name_zh", "name_en", "weight"), lambda f: {
            "code": [nonempty("a node code")], "level": [one_of(("index", "pillar", "subpillar"), "index, pillar or subpillar")],
            "name_zh": [nonempty("a Chinese name")], "name_en": [nonempty("an English name")],
            "weight": number("a positive number")}, (("code",),))
        subs: list[str] | None = None
        if f is not None and f.has("code", "level", "parent", "weight"):
            subs = self._tree_structure(f)
        self.finish(f)
        f = self.table(f"{m}/indicators.csv", ("code", "number", "subpillar", "weight", "name_zh", "name_en", "unit_zh",
                                               "unit_en", "kind", "plausible_min", "plausible_max", "flow", "period_zh",
                                               "period_en", "definition_zh", "definition_en", "source_zh", "source_en"), lambda f: {
            "code": [nonempty("an indicator code")], "number": [matches(r"[1-9][0-9]*", "a positive integer")],
            "subpillar": [] if subs is None else [one_of(subs, "a sub-pillar code from meta/tree.csv")],
            "weight": number("a positive number"),
            **{c: [nonempty("a text")] for c in ("name_zh", "name_en", "unit_zh", "unit_en", "definition_zh",
                                                 "definition_en", "source_zh", "source_en")},
            "kind": [one_of(KINDS, "one of " + ", ".join(KINDS))], "flow": [one_of(("", *FLOWS), "agglomeration, radiation or empty")],
            "plausible_min": number("the lowest plausible value of the indicator, in its unit"),
            "plausible_max": number("the highest plausible value of the indicator, in its unit")},
            (("code",), ("number",)))
        if f is not None and f.has("code", "subpillar", "weight"):
            self._indicator_tree(f, subs)
        self.finish(f)

    def _tree_structure(self, f: _File) -> list[str]:
        t = f.frame
        w = _parse(t["weight"])
        for row in t.index[w.notna() & (w <= 0)]:
            f.add(int(row), "weight", repr(t.at[row, "weight"]), "a positive number")
        roots = list(t.index[t["level"] == "index"])
        if len(roots) != 1:
            f.add(None, "level", f"{len(roots)} rows with level index", "exactly one (the root, GIHI)")
        root = t.at[roots[0], "code"] if roots else None
        pillars = list(t.loc[t["level"] == "pillar", "code"])
        for row in roots:
            if t.at[row, "parent"] != "":
                f.add(int(row), "parent", repr(t.at[row, "parent"]), "an empty parent for the root")
        for level, parents, what in (("pillar", [root], "the root's code"), ("subpillar", pillars, "a pillar code")):
            for row in t.index[(t["level"] == level) & ~t["parent"].isin(parents)]:
                f.add(int(row), "parent", repr(t.at[row, "parent"]), what)
        for parent in ([root] if root else []) + pillars:
            kids = t["parent"] == parent
            if not kids.any():
                f.add(None, "parent", f"no node under {parent}", "at least one sub-pillar under every pillar")
                continue
            if w[kids].isna().any():
                continue  # a weight that is not a number is reported on its row
            total = float(w[kids].sum())
            if abs(total - 1) > TREE_TOLERANCE:
                f.add(None, "weight", f"weights under {parent} summing to {total:.10g}",
                      "weights that sum to 1 within each parent (report Table 1)")
        return list(t.loc[t["level"] == "subpillar", "code"])

    def _indicator_tree(self, f: _File, subs: list[str] | None) -> None:
        t = f.frame
        w = _parse(t["weight"])
        for row in t.index[w.notna() & (w <= 0)]:
            f.add(int(row), "weight", repr(t.at[row, "weight"]), "a positive number")
        for sp in subs or []:
            if not (t["subpillar"] == sp).any():
                f.add(None, "subpillar", f"no indicator in {sp}", "at least one indicator per sub-pillar")
        if f.has("flow"):
            for fl in FLOWS:
                if not (t["flow"] == fl).any():
                    f.add(None, "flow", f"no {fl} indicator", "at least one indicator of each flow (Appendix 7)")
        if f.has("kind", "plausible_min", "plausible_max"):
            lo, hi = _parse(t["plausible_min"]), _parse(t["plausible_max"])
            for row in t.index[lo.notna() & hi.notna() & (lo >= hi)]:
                f.add(int(row), "plausible_min", repr(t.at[row, "plausible_min"]),
                      f"a number below plausible_max ({t.at[row, 'plausible_max']})")
            for row, kind in t["kind"].items():
                k_lo, k_hi, what = KINDS.get(kind, (None, None, ""))
                if k_lo is not None and pd.notna(lo[row]) and lo[row] < k_lo:
                    f.add(int(row), "plausible_min", repr(t.at[row, "plausible_min"]), f"{_bounds(k_lo, k_hi)} ({what})")
                if k_hi is not None and pd.notna(hi[row]) and hi[row] > k_hi:
                    f.add(int(row), "plausible_max", repr(t.at[row, "plausible_max"]), f"{_bounds(k_lo, k_hi)} ({what})")
        if f.has("kind", "unit_en", "unit_zh"):
            for row, kind, en, zh in t[["kind", "unit_en", "unit_zh"]].itertuples(name=None):
                need = KIND_UNITS.get(kind)
                if need and not (need[0] in en and need[1] in zh):
                    f.add(int(row), "unit_en", f"unit {en!r} / {zh!r} for kind {kind}",
                          f"a unit containing {need[0]!r} / {need[1]!r}")

    def focus_meta(self) -> None:
        need_d = self._dir_has_files(DISCIPLINES_DIR)
        need_i = self._dir_has_files(AI_DIR)
        f = self.table(f"{META}/disciplines.csv", ("code", "name_zh", "name_en", "domain"), lambda f: {
            "code": [matches(r"[0-9]{2}", "a 2-digit ANZSRC division code")], "name_zh": [nonempty("a Chinese name")],
            "name_en": [nonempty("an English name")], "domain": [one_of(("STEM", "HASS"), "STEM or HASS")]},
            (("code",),), required=need_d, why=f" (needed by {self.year}/{DISCIPLINES_DIR}/)")
        self.finish(f)
        f = self.table(f"{META}/ipc_groups.csv", ("code", "label_zh", "label_en", "field_group", "field_group_zh"), lambda f: {
            "code": [matches(r"[A-H][0-9]{2}[A-Z]-[0-9]{4}", "an IPC main group such as G06N-0003")],
            **{c: [nonempty("a text")] for c in ("label_zh", "label_en", "field_group", "field_group_zh")}},
            (("code",),), required=need_i, why=f" (needed by {self.year}/{AI_DIR}/)")
        self.finish(f)

    def strings(self) -> None:
        files = [f"{META}/strings.csv"] + [f"{META}/strings.d/{p.name}"
                                           for p in sorted((self.d / META / "strings.d").glob("*.csv"))]
        first: dict[str, str] = {}
        for rel in files:
            f = self.table(rel, ("key", "zh", "en"), lambda f: {"key": [nonempty("a key")]}, required=rel == files[0],
                           rows=rel == files[0])
            if f is not None and f.has("key", "zh", "en"):
                for row, key, zh, en in f.frame[["key", "zh", "en"]].itertuples(name=None):
                    key = key.strip()
                    for col, text, lang in (("zh", zh, "Chinese"), ("en", en, "English")):
                        if key and not text.strip():
                            f.add(int(row), col, f"an empty text (key {key!r})", f"the {lang} text")
                    if key in first:
                        f.add(int(row), "key", f"{key!r} again (first in {first[key]})", "each key once, over all string files")
                    elif key:
                        first[key] = f"{rel}, row {row}"
            self.finish(f)

    # ---- parse-only files ---------------------------------------------------------------------

    def parses(self, path: Path, logical: str | None = None) -> None:
        """Files read by other parts (GII data, audit/profiles YAML): check only that they parse."""
        rel = path.relative_to(self.d).as_posix()
        logical = logical or rel
        suffix = path.suffix.lower()
        if suffix == ".csv":
            f = self.table(logical, ())
            self.finish(f)
            return
        text = read_text(path, rel, self.out)
        if text is None:
            return
        self.locations[logical] = rel
        if suffix in (".yaml", ".yml"):
            try:
                self.objects[logical] = load_yaml(text)
            except yaml.YAMLError as e:
                mark = getattr(e, "problem_mark", None)
                where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
                what = getattr(e, "problem", None) or str(e).splitlines()[0]
                self.out.append(Problem(rel, None, None, f"YAML that does not load{where} ({what})",
                                        "YAML that yaml.safe_load reads (plain data, no Python tags)"))
        elif suffix == ".json":
            try:
                self.objects[logical] = json.loads(text)
            except json.JSONDecodeError as e:
                self.out.append(Problem(rel, None, None, f"JSON that does not load at line {e.lineno}, column {e.colno} ({e.msg})",
                                        "valid JSON"))

    # ---- history and the year ------------------------------------------------------------------

    def history(self) -> None:
        f = self.table("history/ranks.csv", ("year", "level", "id", "rank", "source"), lambda f: {
            "year": year_rule(), "level": [one_of(LEVELS, "one of " + ", ".join(LEVELS))],
            "id": self.any_city("a city id of this or another edition's meta/cities.csv"),
            "rank": comma_rules() + [Rule(lambda s: _fullmatch(s, POSITIVE)
                                          | _comma(s), "a positive integer")]},
            (("year", "level", "id"),), required=False, rows=False)
        self.finish(f)

    def indicators(self) -> None:
        rel = f"{self.year}/indicators.csv"
        codes = self.ids(f"{META}/indicators.csv", "code")
        f = self.table(rel, ("id", "code", "value", "provenance", "note"), lambda f: {
            "id": self.member(f"{META}/cities.csv", "id", "a city id from meta/cities.csv"),
            "code": [] if codes is None else [one_of(codes, "an indicator code from meta/indicators.csv")],
            "value": number("a number, or an empty cell for a missing value", empty_ok=True),
            "provenance": [one_of((*PROVENANCE, "missing"), "published, derived, imputed or missing")]})
        if f is None or f.frame is None:
            self.finish(f)
            return
        f.unique(("id", "code"), "one row per city × indicator")
        if f.has("id", "code", "value"):
            self._ranges(f)
        if f.has("value", "provenance"):
            t = f.frame
            empty = _empty(t["value"])
            for row in t.index[empty & t["provenance"].isin(PROVENANCE)]:
                f.add(int(row), "provenance", f"{t.at[row, 'provenance']!r} for an empty value", "missing for an empty value")
            for row in t.index[~empty & (t["provenance"] == "missing")]:
                f.add(int(row), "provenance", f"'missing' for the value {t.at[row, 'value']!r}",
                      "published, derived or imputed for a value that is present")
        self.finish(f)
        if f.has("id", "code", "value") and not f.frame.empty:   # a file without rows is reported as such, once
            self._policy(f.frame, rel)

    def _ranges(self, f: _File) -> None:
        """The value range that the indicator's kind implies (``KINDS``), then the plausible range
        its metadata declares (``plausible_min`` … ``plausible_max`` in meta/indicators.csv)."""
        ind = self.frames.get(f"{META}/indicators.csv")
        if ind is None or not {"code", "kind"} <= set(ind.columns):
            return
        t = f.frame
        kind = t["code"].map(dict(zip(ind["code"], ind["kind"])))
        v = _parse(t["value"])
        lo = kind.map({k: b[0] for k, b in KINDS.items()}).astype(float)
        hi = kind.map({k: b[1] for k, b in KINDS.items()}).astype(float)
        bad = v.notna() & ((v < lo) | (v > hi))   # comparisons with NaN bounds are False
        for row in t.index[bad]:
            k, code = kind[row], t.at[row, "code"]
            f.add(int(row), "value", repr(t.at[row, "value"]), f"{_bounds(KINDS[k][0], KINDS[k][1])} ({code} is {KINDS[k][2]})")
        if {"plausible_min", "plausible_max"} <= set(ind.columns):
            where = self.locate(f"{META}/indicators.csv")
            lo_, hi_ = _parse(ind["plausible_min"]), _parse(ind["plausible_max"])
            usable = lo_.notna() & hi_.notna() & (lo_ < hi_)   # a range reported as wrong checks nothing
            p_lo = t["code"].map(dict(zip(ind["code"][usable], lo_[usable]))).astype(float)
            p_hi = t["code"].map(dict(zip(ind["code"][usable], hi_[usable]))).astype(float)
            implausible = v.notna() & ~bad & ((v < p_lo) | (v > p_hi))
            units = dict(zip(ind["code"], ind["unit_en"])) if "unit_en" in ind.columns else {}
            for row in t.index[implausible]:
                code = t.at[row, "code"]
                f.add(int(row), "value", repr(t.at[row, "value"]),
                      f"a value from {p_lo[row]:g} to {p_hi[row]:g} {units.get(code, '')} (the plausible range of "
                      f"{code}, {where})".replace("  ", " "))

    def _policy(self, t: pd.DataFrame, rel: str) -> None:
        """Every city has rows; every group keeps enough scored cities under the edition's screen
        (meta/method.yaml; gihi/model/method/screen.py)."""
        cities_rel, tree_rel, ind_rel = f"{META}/cities.csv", f"{META}/tree.csv", f"{META}/indicators.csv"
        if not {cities_rel, tree_rel, ind_rel} <= self.clean:
            return
        cities = self.frames[cities_rel]
        present = set(t["id"])
        for cid in cities["id"]:
            if cid not in present:
                self.out.append(Problem(rel, None, "id", f"no row for city {cid!r}",
                                        "rows for every city of meta/cities.csv; an empty value marks a missing one "
                                        "(data/README.md, Missing values)"))
        try:
            tree = tree_from_frames(self.frames[tree_rel].astype(str), self.frames[ind_rel].astype(str))
        except DataError:  # pragma: no cover - the tree files were clean
            return
        v = _parse(t["value"])
        ok = t["id"].isin(set(cities["id"])) & t["code"].isin(set(tree.codes)) & (v.notna() | _empty(t["value"]))
        rows = pd.DataFrame({"id": t["id"], "code": t["code"], "value": v})[ok].drop_duplicates(["id", "code"])
        wide = rows.pivot(index="id", columns="code", values="value")
        groups = cities.set_index("id")["group"]
        rules = configs.method(self.objects[f"{META}/method.yaml"])[0] if f"{META}/method.yaml" in self.objects else None
        # the edition's screen (meta/method.yaml; a wrong file is reported by configs(), the default screen stands in)
        kept, _ = screen(wide, tree, groups, **({k: rules[k] for k in ("min_coverage", "min_per_subpillar")} if rules else {}))
        failing = []
        for g in pd.unique(groups):
            n, k = int((groups == g).sum()), int(groups.loc[kept].eq(g).sum())
            if k < MIN_SCORED_PER_GROUP:
                self.out.append(Problem(rel, None, None, f"{k} of the {n} {g} cities with enough data to be scored",
                                        f"at least {MIN_SCORED_PER_GROUP} per group (missing-value policy, gihi/model/method/screen.py)"))
                failing.append(g)
                continue
            # every indicator must be measured in every group; one with no spread is reported too
            x = wide.reindex(index=[i for i in kept if groups[i] == g], columns=tree.codes)
            for code in tree.codes:
                s = x[code].dropna()
                if s.empty:
                    self.out.append(Problem(rel, None, "value", f"no value of {code} for any scored {g} city",
                                            f"values of every indicator in every group (an indicator without values "
                                            f"would silently drop out of the {g} list)"))
                elif s.nunique() == 1:
                    self.warnings.append(Problem(rel, None, "value", f"{code} equal ({s.iloc[0]:g}) for all {len(s)} scored {g} cities",
                                                 "values that differ between cities: an indicator with no spread gets "
                                                 "z = 0 for every city and so plays no part in the group's scores"))
        if failing:
            self._missing(wide, tree, groups[groups.isin(failing)], rel)

    def _missing(self, wide: pd.DataFrame, tree, groups: pd.Series, rel: str, shown: int = 4) -> None:
        """What is still missing in the groups that cannot be scored: one line per indicator with
        the number of missing values and the cities (the first few)."""
        ids = list(groups.index)
        x = wide.reindex(index=ids, columns=tree.codes)
        for code in tree.codes:
            gaps = [i for i in ids if pd.isna(x.at[i, code])]
            if gaps:
                more = f" and {len(gaps) - shown} more" if len(gaps) > shown else ""
                self.out.append(Problem(rel, None, code, f"{len(gaps)} of {len(ids)} values missing "
                                        f"({', '.join(gaps[:shown])}{more})", "a value for each city (or enough of them "
                                        "for the screen: data/README.md, Missing values)", part="indicator"))

    # ---- focus data ----------------------------------------------------------------------------

    def _dir_has_files(self, name: str) -> bool:
        """A focus directory counts when it holds files (git keeps no empty directory)."""
        d = self.d / str(self.year) / name
        return d.is_dir() and any(p.is_file() for p in d.iterdir())

    def _period(self, chapter: str) -> tuple[int, int] | None:
        """The publication years the edition declares for a focus chapter (edition.yaml), if valid."""
        s = self.objects.get(f"{META}/edition.yaml")
        years = (s.get(chapter) or {}).get("years") if isinstance(s, dict) and isinstance(s.get(chapter), dict) else None
        if isinstance(years, list) and len(years) == 2 and all(isinstance(v, int) and not isinstance(v, bool) for v in years):
            if years[0] <= years[1] <= self.year:   # a wrong period is reported in edition.yaml, and checks nothing
                return int(years[0]), int(years[1])
        return None

    def _years(self, chapter: str) -> list[Rule]:
        """The rules of a focus file's ``year`` column: 4 digits, not after the report year, and
        inside the edition's declared period (``<chapter>.years`` in edition.yaml)."""
        rules = year_rule(self.year)
        period = self._period(chapter)
        if period:
            lo, hi = period
            inside = lambda s: ~_fullmatch(s, YEAR_RE) | _parse(s).between(lo, hi)  # noqa: E731
            rules.append(Rule(inside, f"a year from {lo} to {hi} (the period of {chapter} in {self.locate(f'{META}/edition.yaml')})"))
        return rules

    def focus(self) -> None:
        y, cities, ipcs = self.year, f"{META}/cities.csv", f"{META}/ipc_groups.csv"
        city = lambda: self.member(cities, "id", "a city id from meta/cities.csv")  # noqa: E731
        ipc = lambda: self.member(ipcs, "code", "an IPC code from meta/ipc_groups.csv")  # noqa: E731
        prov = [one_of(PROVENANCE, "published, derived or imputed")]
        if self._dir_has_files(DISCIPLINES_DIR):
            f = self.table(f"{y}/{DISCIPLINES_DIR}/papers.csv", ("id", "discipline", "year", "papers", "hcp", "provenance"),
                           lambda f: {"id": city(), "discipline": self.member(f"{META}/disciplines.csv", "code",
                                                                            "a discipline code from meta/disciplines.csv"),
                                      "year": self._years(DISCIPLINES_DIR), "papers": count(), "hcp": count(), "provenance": prov},
                           (("id", "discipline", "year"),))
            if f is not None and f.has("papers", "hcp"):
                t = f.frame
                p, h = _parse(t["papers"]), _parse(t["hcp"])
                for row in t.index[(h > p) & _fullmatch(t["papers"], DIGITS) & _fullmatch(t["hcp"], DIGITS)]:
                    f.add(int(row), "hcp", repr(t.at[row, "hcp"]), f"at most papers ({t.at[row, 'papers']})")
            self.finish(f)
        if not self._dir_has_files(AI_DIR):
            return
        specs = [
            ("patents_by_year.csv", ("id", "year", "valid", "pct", "triadic", "hq", "provenance"),
             lambda f: {"id": city(), "year": self._years(AI_DIR), **{c: count() for c in ("valid", "pct", "triadic", "hq")},
                        "provenance": prov}, (("id", "year"),)),
            ("ipc.csv", ("id", "ipc", "hq_patents", "provenance"),
             lambda f: {"id": city(), "ipc": ipc(), "hq_patents": count(), "provenance": prov}, (("id", "ipc"),)),
            ("ipc_universe.csv", ("ipc", "hq_patents", "provenance"),
             lambda f: {"ipc": ipc(), "hq_patents": count(), "provenance": prov}, (("ipc",),)),
            ("ipc_by_year.csv", ("ipc", "year", "hq_patents", "provenance"),
             lambda f: {"ipc": ipc(), "year": self._years(AI_DIR), "hq_patents": count(), "provenance": prov}, (("ipc", "year"),)),
            ("universe.csv", ("measure", "value", "provenance", "note"),
             lambda f: {"measure": [nonempty("a measure name")], "value": count(), "provenance": prov}, (("measure",),)),
            ("applicants.csv", ("id", "applicant_zh", "applicant_en", "valid_patents", "provenance"),
             lambda f: {"id": city(), "applicant_zh": [nonempty("a Chinese name")],
                        "applicant_en": [nonempty("an English name")], "valid_patents": count(), "provenance": prov},
             (("id", "applicant_zh"),)),
        ]
        for name, cols, rules, keys in specs:
            f = self.table(f"{y}/{AI_DIR}/{name}", cols, rules, keys)
            if name == "universe.csv" and f is not None and f.has("measure"):
                for m in AI_MEASURES:
                    if m not in set(f.frame["measure"]):
                        f.add(None, "measure", f"no row for {m}", f"rows for {', '.join(AI_MEASURES)} (Appendix 9)")
            self.finish(f)

    def others(self) -> None:
        """``data/gii/**``: parse only (its own loaders check the content)."""
        gii = self.d / "gii"
        if gii.is_dir():
            for p in sorted(gii.rglob("*")):
                if p.is_file() and p.suffix.lower() in TEXT_FORMATS:
                    self.parses(p)


    # ---- configuration files -----------------------------------------------------------------

    def configs(self) -> None:
        """The settings files and the GII tables, entry by entry (:mod:`gihi.model.configs`)."""
        m, o = META, self.objects
        # the levels and groups the settings may name, known only when their files are clean
        # (otherwise those files' own problems are reported, not a cascade here: None skips the check)
        tree = self.frames.get(f"{m}/tree.csv")
        levels = (["composite", *(c for c, lv in zip(tree["code"], tree["level"]) if lv != "index")]
                  if f"{m}/tree.csv" in self.clean else None)
        cities = self.frames.get(f"{m}/cities.csv")
        groups = sorted(set(cities["group"])) if f"{m}/cities.csv" in self.clean else None
        for name, check in ((f"{m}/method.yaml", lambda raw, file: configs.method(raw, file)[1]),
                            (f"{m}/audit.yaml", lambda raw, file: configs.audit(raw, file)[1]),
                            (f"{m}/profiles.yaml", lambda raw, file: configs.profiles(raw, groups, levels, file)[1])):
            if name not in o:
                if name not in self.locations:   # absent (a file that does not parse was reported already)
                    self.out.append(Problem(self.locate(name), None, None, "no file", "the settings file of the edition"))
                continue
            self.out += check(o[name], self.locations[name])
        # the GII editions with data: gii/<edition>/clusters.csv
        gii_eds = sorted(int(p.name) for p in (self.d / "gii").iterdir()
                         if p.is_dir() and YEAR_RE.fullmatch(p.name) and (p / "clusters.csv").is_file()) \
            if (self.d / "gii").is_dir() else []
        settings = o.get(f"{m}/edition.yaml")
        needs = [AI_DIR] if self._dir_has_files(AI_DIR) else []   # the analyses read these settings
        if f"{m}/edition.yaml" in self.locations:
            if settings is not None or needs:
                self.out += configs.edition_settings(settings, self.year, gii_eds, self.locations[f"{m}/edition.yaml"],
                                                     needs=needs)[1]
        elif needs:
            self.out.append(Problem(f"{self.year}/{m}/edition.yaml", None, None, "no file",
                                    f"the edition's settings, with the AI-patent periods that {self.year}/{AI_DIR}/ "
                                    f"needs (data/README.md)"))
        # with GII data (anything under gii/), the benchmark needs its settings (and, in a build,
        # the edition's pairing of cities and clusters: gihi.pipeline.cli.build_problems)
        gii_data = any(k.startswith("gii/") for k in self.locations)
        if gii_data and "gii/benchmark.yaml" not in self.locations:
            self.out.append(Problem("gii/benchmark.yaml", None, None, "no file",
                                    "the GII benchmark's settings (the data has GII files under gii/)"))
        if gii_data and not gii_eds:
            self.out.append(Problem("gii/", None, None, "no GII edition's clusters.csv",
                                    "gii/<edition>/clusters.csv for the GII edition compared (data/gii/2025/README.md)"))
        bench = o.get("gii/benchmark.yaml")
        n_top = {}
        if "gii/benchmark.yaml" in self.locations and bench is not None:
            value, problems = configs.gii_benchmark(bench, levels, self.locations["gii/benchmark.yaml"])
            self.out += problems
            if value:
                n_top = {int(k): int(v["n_top"]) for k, v in value["sources"].items() if str(k).isdigit()}
        clusters = {}
        for ed in gii_eds:
            name = f"gii/{ed}/clusters.csv"
            if name in self.frames:
                typed, problems = configs.gii_clusters(self.frames[name], self.locations[name], n_top.get(ed, 100))
                self.out += problems
                clusters[ed] = typed
        mapping = self.frames.get(f"{m}/gii_mapping.csv")
        if mapping is not None and bench is not None and cities is not None:
            compared = (settings or {}).get("gii_edition") if isinstance(settings, dict) else None
            compared = compared if compared in clusters else (gii_eds[-1] if gii_eds else None)
            if clusters.get(compared) is None:
                return   # no valid cluster table to check the pairings against (reported above)
            names = list(clusters[compared]["name_en"])
            relations = bench.get("relations", configs.GII_RELATIONS) if isinstance(bench, dict) else configs.GII_RELATIONS
            self.out += configs.gii_mapping(mapping, self.locations[f"{m}/gii_mapping.csv"], cities["id"], names,
                                            relations if isinstance(relations, list) else configs.GII_RELATIONS)


DISCIPLINES_DIR = "disciplines"
AI_DIR = "ai_patents"


@dataclass
class Inputs:
    """What :func:`check_inputs` read: every problem, and every file it parsed (by logical name:
    ``meta/cities.csv`` even when ``<year>/meta/cities.csv`` replaced it; ``locations`` names the
    file read). ``tables`` are all-text DataFrames with the 1-based data row as index; ``objects``
    the parsed YAML and JSON files."""

    problems: list[Problem]
    tables: dict[str, pd.DataFrame]
    objects: dict[str, object]
    locations: dict[str, str]
    warnings: list[Problem] = field(default_factory=list)


def check_inputs(data_dir: Path, year: int | str) -> Inputs:
    """Read and check every input file the build uses for ``year``, each once."""
    bad = year_problem(year)
    if bad:
        return Inputs([Problem("year", None, None, repr(year), "a 4-digit year (the name of a directory of the data directory)")],
                      {}, {}, {})
    d = Path(data_dir)
    missing = [Problem(f"{rel}/", None, None, "no directory", what)
               for rel, what in ((META, "the metadata directory"), (str(year), f"the {year} data directory"))
               if not (d / rel).is_dir()]
    if missing:
        return Inputs(missing, {}, {}, {})
    run = _Run(d, int(year))
    run.meta()
    run.history()
    run.indicators()
    run.focus()
    run.others()
    run.configs()
    return Inputs(run.out, run.frames, run.objects, run.locations, run.warnings)


def validate_inputs(data_dir: Path, year: int | str) -> list[Problem]:
    """Every problem of the input files the build reads for ``year`` (empty list: all valid)."""
    return check_inputs(data_dir, year).problems
