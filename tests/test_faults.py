"""Fault injection (issue 15, item 6): one fault per case, table-driven, over eight families.

Every case applies one mutation to a fresh copy of the repository's ``data/`` (and, where the
family needs it, of the editors' ``content/``, of the output directory or of the command line),
runs the command line and asserts:

* the exit status (0, 1, 2, 130 or 143; ``docs/validation.md``);
* stderr: no ``Traceback``, every line one clean line; an error line names the file (or the
  option, or the path) the case is about, and data problems have the project's form
  ``error: <file>[, row N][, column C]: found X; expected Y``; the case's expected lines are there;
* the data directory is byte-identical afterwards (every file hashed), and so is the output
  directory that held the previous outputs (made once per session by one ``--data-only`` run and
  hard-linked into each case), the build lock aside.

Most cases run in this process (``gihi.pipeline.cli.main([...])``, stderr captured: an uncaught
exception fails the case, as a traceback would). Signals, locks held by another process and
``kill -9`` need real processes; the slow ones (a full build, an interrupted computation) are
marked ``e2e``.
"""
from __future__ import annotations

import contextlib
import csv
import dataclasses
import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from _builds import default_sigint
from gihi.pipeline import cli

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SCRIPT = ROOT / "report_build.py"
YEAR = 2023
LOCK = f".{YEAR}.lock"
PROBLEMS = f"problems-{YEAR}.txt"
VALUES = f"{YEAR}/indicators.csv"
IND_META = f"{YEAR}/meta/indicators.csv"
EDITION = f"{YEAR}/meta/edition.yaml"
MINI = ("ann-arbor", "boulder", "ithaca", "heidelberg", "eindhoven", "basel", "geneva", "lausanne", "cambridge",
        "oxford", "jerusalem")

#: a data problem: error: <file>[, row N][, column|entry|indicator C]: found X; expected Y
PROBLEM = re.compile(r"^error: [^,:;]+(, row \d+)?(, (column|entry|indicator) [^:]+)?: found .+; expected .+$")
#: the summary of a long list (cli._data_errors)
SUMMARY = re.compile(r"^error: [^,:;]+(, column [^:]+)?: \d+ problems( \(rows [^)]*\))?, such as: found .+; expected .+$")
TOTAL = re.compile(rf"^error: \d+ problems in all, listed one per line in .*{PROBLEMS}$")


# ================================================================================================ helpers

def tree_hashes(root: Path, skip: tuple[str, ...] = (LOCK,)) -> dict[str, str]:
    """Every file, directory and link under ``root`` with its content hash (``skip``: names at the top)."""
    if not root.exists():
        return {}
    out = {}
    for here, dirs, files in os.walk(root):
        for name in sorted(dirs + files):
            p = Path(here) / name
            rel = p.relative_to(root).as_posix()
            if rel in skip:
                continue
            if p.is_symlink():
                out[rel] = "link:" + os.readlink(p)
            elif p.is_dir():
                out[rel] = "dir"
            else:
                out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def csv_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and data rows (blank rows skipped, as validation does)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.reader(f) if r]
    return rows[0], rows[1:]


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header, *rows])
    path.write_text(buf.getvalue(), encoding="utf-8")


def set_cells(path: Path, match: Callable[[list[str]], bool], column: str, value: str) -> list[int]:
    """Set ``column`` to ``value`` in every data row for which ``match(fields)``; the 1-based data
    rows changed."""
    header, rows = read_rows(path)
    j = header.index(column)
    changed = [i for i, r in enumerate(rows, start=1) if match(r)]
    assert changed, f"no row matched in {path}"
    for i in changed:
        rows[i - 1][j] = value
    write_rows(path, header, rows)
    return changed


def set_value(d: Path, city: str, code: str, value: str, provenance: str | None = None) -> int:
    """``<year>/indicators.csv``: the value (and provenance) of one city × indicator; its data row.
    ``value`` is written as it is (``'"16,5"'``: a quoted cell)."""
    p = d / VALUES
    lines = csv_lines(p)
    for i, line in enumerate(lines):
        f = line.split(",")   # this file has no quoted fields in its first three columns
        if i and len(f) >= 4 and f[0] == city and f[1] == code:
            f[2] = value
            if provenance is not None:
                f[3] = provenance
            lines[i] = ",".join(f)
            p.write_text("\n".join(lines), encoding="utf-8")
            return i
    raise AssertionError(f"no row {city} × {code} in {p}")


def row_of(path: Path, first: str) -> int:
    """The data row whose first field is ``first``."""
    _, rows = read_rows(path)
    for i, r in enumerate(rows, start=1):
        if r[0] == first:
            return i
    raise AssertionError(f"no row {first!r} in {path}")


def sub(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in a text file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def header_only(path: Path) -> None:
    path.write_text(csv_lines(path)[0] + "\n", encoding="utf-8")


def drop_rows(path: Path, match: Callable[[list[str]], bool]) -> None:
    header, rows = read_rows(path)
    write_rows(path, header, [r for r in rows if not match(r)])


# ================================================================================================ the runs

@dataclass
class Previous:
    """The session's pristine copies: the data, the outputs of one --data-only run of it, their
    hashes, and the computed edition of that run (reused by the interruption cases)."""
    data: Path
    out: Path
    data_hashes: dict
    out_hashes: dict
    edition: object


@pytest.fixture(scope="session")
def previous(tmp_path_factory) -> Previous:
    base = tmp_path_factory.mktemp("previous")
    data, out = base / "data", base / "out"
    shutil.copytree(DATA, data)
    from gihi.pipeline import data_stage
    seen = []
    real = data_stage.open_edition

    def keep(*a, **k):
        seen.append(real(*a, **k))
        return seen[-1]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(data_stage, "open_edition", keep)
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = cli.main(["--year", str(YEAR), "--data-only", "--data-dir", str(data), "--output-dir", str(out)])
    assert code == 0, err.getvalue()
    assert "Traceback" not in err.getvalue()
    return Previous(data, out, tree_hashes(data), tree_hashes(out), seen[0])


@dataclass
class Env:
    """One case's world: copies of the data, of the previous outputs and of the editors' content
    (``root/content``); the command line; what the case expects afterwards."""
    tmp: Path
    data: Path
    out: Path
    root: Path
    previous: Previous
    args: list[str] = field(default_factory=list)
    data_only: bool = True
    #: files the run may add at the top of the output directory (besides the lock)
    may_add: tuple[str, ...] = ()
    #: the output directory's expected hashes afterwards (None: as it was before the run)
    expect_out: dict | None = None
    #: the paths every error line of this case names
    names: tuple[str, ...] = ()
    #: directories outside the case (the repository's) → their entries, which the run must not change
    untouched: dict = field(default_factory=dict)
    #: --year as given (None: left out)
    year: str | None = str(YEAR)
    started: bool = False          # whether the (stubbed) full build was reached
    expect_started: bool = False
    #: processes the case started (lock holders), ended after it
    procs: list = field(default_factory=list)
    #: the error lines must be the expected ones exactly (no follow-on problems)
    exact: bool = False
    #: checks to run after the command (e.g. that it waited for a lock)
    after: list = field(default_factory=list)
    mp: object = None              # the case's pytest monkeypatch

    def argv(self) -> list[str]:
        """The command line; options the case adds come last and win (argparse keeps the last)."""
        base = ["--year", self.year] if self.year is not None else []
        base += ["--data-dir", str(self.data), "--output-dir", str(self.out)]
        return base + (["--data-only"] if self.data_only else []) + self.args


@pytest.fixture
def env(previous, tmp_path, monkeypatch):
    data, out, root = tmp_path / "data", tmp_path / "out", tmp_path / "repo"
    shutil.copytree(previous.data, data)
    shutil.copytree(previous.out, out, copy_function=os.link, ignore=lambda d, names: [LOCK] if Path(d) == previous.out else [])
    (root / "content" / str(YEAR)).mkdir(parents=True)
    shutil.copy2(ROOT / "content" / str(YEAR) / "README.md", root / "content" / str(YEAR) / "README.md")
    e = Env(tmp_path, data, out, root, previous, mp=monkeypatch)
    yield e
    for proc in e.procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


#: holds a build lock (flock) in another process: argv = lock path, seconds, "pid" (write its pid) or "-"
HOLDER = textwrap.dedent("""
    import fcntl, os, sys, time
    fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    if sys.argv[3] == "pid":
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\\n".encode(), 0)
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
""")


def hold(env: Env, lock: Path, seconds: float = 120, *, pid: bool = True) -> subprocess.Popen:
    """Another process holding ``lock`` (as a running build does) for ``seconds``."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(lock), str(seconds), "pid" if pid else "-"],
                            stdout=subprocess.PIPE, text=True)
    env.procs.append(proc)
    assert proc.stdout.readline().strip() == "held"
    return proc


def in_process(env: Env, capsys, monkeypatch) -> tuple[int, list[str], list[str]]:
    """Run ``cli.main`` on the case's command line; (status, stderr lines, stdout lines). A full
    build stops where the notebooks would start: ``build_report`` is replaced by a stub that
    records the call (the content and focus-data checks run before it)."""
    from gihi.core import paths
    from gihi.pipeline import build
    started = []
    # the repository's strings, as the session copied them (other work on the repository during a
    # run must not change what the cases expect)
    monkeypatch.setattr(paths, "DATA_DIR", env.previous.data)
    real_preflight = cli.preflight
    monkeypatch.setattr(cli, "preflight", lambda opts: real_preflight(dataclasses.replace(opts, root=env.root)))
    monkeypatch.setattr(build, "build_report", lambda opts, log=print: started.append(opts) or {})
    monkeypatch.setattr(build, "summary", lambda manifest: "timing summary: (build stubbed by the test)")
    capsys.readouterr()
    code = cli.main(env.argv())
    cap = capsys.readouterr()
    env.started = bool(started)
    return code, cap.err.splitlines(), cap.out.splitlines()


def check(env: Env, code: int, err: list[str], expected: list[str], want: int, *, form: str = "problem") -> None:
    """The assertions every case makes (see the module docstring)."""
    text = "\n".join(err)
    assert "Traceback" not in text, text
    assert code == want, f"exit {code}, expected {want}:\n{text}"
    for line in err:
        assert line.strip() and line == line.strip() and "\r" not in line, f"not a clean line: {line!r}"
        if not line.startswith("error:"):
            assert re.match(r"^(warning|note|interrupted|data review): ", line), f"unexpected stderr line: {line!r}"
            continue
        if form == "problem":
            assert PROBLEM.match(line) or SUMMARY.match(line) or TOTAL.match(line), f"not in the problem form: {line!r}"
        if not TOTAL.match(line):
            assert any(n in line for n in env.names), f"{line!r} names none of {env.names}"
    for e in expected:
        assert any(e in line for line in err), f"expected a line with {e!r} in:\n{text}"
    if env.exact:
        assert [x for x in err if x.startswith("error:")] == expected, text
    if want in (2, 130, 143):
        assert any(line.startswith(("error:", "interrupted:")) for line in err), text


def assert_unchanged(env: Env, data_before: dict, out_before: dict) -> None:
    assert tree_hashes(env.data) == data_before, "the data directory changed"
    after = tree_hashes(env.out, skip=(LOCK, *env.may_add))
    assert after == (env.expect_out if env.expect_out is not None else out_before), \
        _diff(env.expect_out if env.expect_out is not None else out_before, after)
    for d, names_before in env.untouched.items():
        assert sorted(os.listdir(d)) == names_before, f"the build wrote into {d}"


def _diff(a: dict, b: dict) -> str:
    keys = sorted(set(a) | set(b))
    return "the output directory changed: " + ", ".join(f"{k}: {a.get(k, '-')[:12]} -> {b.get(k, '-')[:12]}"
                                                         for k in keys if a.get(k) != b.get(k))[:2000]


# ================================================================================================ cases
#
# A case is a function (env) -> list of expected stderr fragments; it mutates env's copies and may
# set env.args, env.data_only, env.names, env.may_add, env.expect_out. ``case(family, status)``
# registers it; ids are "<family>-<name>".

@dataclass(frozen=True)
class Case:
    family: str
    name: str
    fn: Callable[[Env], list[str]]
    status: int
    form: str
    slow: bool = False


CASES: list[Case] = []


def case(family: str, status: int = 2, form: str = "problem", slow: bool = False):
    def add(fn):
        CASES.append(Case(family, fn.__name__, fn, status, form, slow))
        return fn
    return add


def names(env: Env, *paths: str) -> None:
    env.names = paths


# ------------------------------------------------------------------------------------------------ values

PLAUSIBLE = "expected a value from {lo} to {hi} {unit} (the plausible range of {code}, " + IND_META + ")"


@case("values")
def implausible_high(env):
    names(env, VALUES)
    row = set_value(env.data, "tokyo", "I01", "16132203.312")     # 1000 times the value
    return [f"error: {VALUES}, row {row}, column value: found '16132203.312'; "
            + PLAUSIBLE.format(lo=0, hi="1e+06", unit="researchers per million inhabitants", code="I01")]


@case("values")
def implausible_low_rate(env):
    names(env, VALUES)
    row = set_value(env.data, "tokyo", "I15", "-75")
    return [f"error: {VALUES}, row {row}, column value: found '-75'; " + PLAUSIBLE.format(lo=-50, hi=50, unit="percent", code="I15")]


@case("values")
def implausible_score(env):
    names(env, VALUES)
    row = set_value(env.data, "tokyo", "I27", "1.5")
    return [f"error: {VALUES}, row {row}, column value: found '1.5'; " + PLAUSIBLE.format(lo=0, hi=1, unit="index (0–1)", code="I27")]


@case("values")
def negative_count(env):
    names(env, VALUES)
    row = set_value(env.data, "tokyo", "I05", "-3")
    return [f"error: {VALUES}, row {row}, column value: found '-3'; expected a non-negative number (I05 is a count)"]


@case("values")
def decimal_comma(env):
    names(env, VALUES)
    row = set_value(env.data, "tokyo", "I05", '"16,5"')
    return [f"error: {VALUES}, row {row}, column value: found '16,5' (decimal comma); "
            "expected a number with '.' as the decimal point and no thousands separator"]


@case("values")
def thousands_separator(env):
    names(env, VALUES)
    row = set_value(env.data, "tokyo", "I07", '"1,500"')
    return [f"error: {VALUES}, row {row}, column value: found '1,500' (thousands separator or decimal comma)"]


@case("values")
def not_a_number(env):
    names(env, VALUES)
    row = set_value(env.data, "tokyo", "I05", "n/a")
    return [f"error: {VALUES}, row {row}, column value: found 'n/a'; expected a number, or an empty cell for a missing value"]


@case("values")
def infinite(env):
    names(env, VALUES)
    row = set_value(env.data, "tokyo", "I05", "1e400")
    return [f"error: {VALUES}, row {row}, column value: found '1e400'; expected a number, or an empty cell"]


@case("values")
def value_marked_missing(env):
    names(env, VALUES)
    row = set_value(env.data, "tokyo", "I05", "16", "missing")
    return [f"error: {VALUES}, row {row}, column provenance: found 'missing' for the value '16'; "
            "expected published, derived or imputed for a value that is present"]


@case("values")
def empty_value_published(env):
    names(env, VALUES)
    row = set_value(env.data, "tokyo", "I05", "", "published")
    return [f"error: {VALUES}, row {row}, column provenance: found 'published' for an empty value; expected missing for an empty value"]


@case("values")
def duplicate_row(env):
    names(env, VALUES)
    p = env.data / VALUES
    lines = csv_lines(p)
    first = row_of(p, "tokyo")
    lines.insert(len(lines) - 1, lines[first])
    p.write_text("\n".join(lines), encoding="utf-8")
    n = len([x for x in lines[1:] if x])
    return [f"error: {VALUES}, row {n}, column id,code: found tokyo × I01 again (first at row {first}); "
            "expected one row per city × indicator"]


@case("values")
def unknown_city(env):
    names(env, VALUES)
    [row] = set_cells(env.data / VALUES, lambda f: f[0] == "tokyo" and f[1] == "I01", "id", "atlantis")
    return [f"error: {VALUES}, row {row}, column id: found 'atlantis'; expected a city id from meta/cities.csv"]


@case("values")
def unknown_indicator(env):
    names(env, VALUES)
    [row] = set_cells(env.data / VALUES, lambda f: f[0] == "tokyo" and f[1] == "I30", "code", "I31")
    return [f"error: {VALUES}, row {row}, column code: found 'I31'; expected an indicator code from meta/indicators.csv"]


@case("values")
def no_value_in_a_group(env):
    names(env, VALUES)
    set_cells(env.data / VALUES, lambda f: f[0] in MINI and f[1] == "I05", "value", "")
    set_cells(env.data / VALUES, lambda f: f[0] in MINI and f[1] == "I05", "provenance", "missing")
    return [f"error: {VALUES}, column value: found no value of I05 for any scored mini city; "
            "expected values of every indicator in every group"]


@case("values")
def group_cannot_be_scored(env):
    names(env, VALUES)
    set_cells(env.data / VALUES, lambda f: f[0] in MINI[1:], "value", "")
    set_cells(env.data / VALUES, lambda f: f[0] in MINI[1:], "provenance", "missing")
    return [f"error: {VALUES}: found 1 of the 11 mini cities with enough data to be scored; expected at least 2 per group",
            f"error: {VALUES}, indicator I01: found 10 of 11 values missing"]


@case("values")
def city_without_rows(env):
    names(env, VALUES)
    drop_rows(env.data / VALUES, lambda f: f[0] == "tokyo")
    return [f"error: {VALUES}, column id: found no row for city 'tokyo'; expected rows for every city of meta/cities.csv"]


@case("values")
def header_only_values(env):
    names(env, VALUES)
    header_only(env.data / VALUES)
    env.exact = True   # and not one "no row for city" line per city after it
    return [f"error: {VALUES}: found a header and no data rows; expected at least one row of data"]


@case("values")
def plausible_range_inverted(env):
    names(env, IND_META)
    p = env.data / IND_META
    [row] = set_cells(p, lambda f: f[0] == "I02", "plausible_min", "600")
    return [f"error: {IND_META}, row {row}, column plausible_min: found '600'; expected a number below plausible_max (500)"]


@case("values")
def plausible_range_beyond_kind(env):
    names(env, IND_META)
    [row] = set_cells(env.data / IND_META, lambda f: f[0] == "I05", "plausible_min", "-1")
    return [f"error: {IND_META}, row {row}, column plausible_min: found '-1'; expected a non-negative number (a count)"]


@case("values")
def plausible_range_empty(env):
    names(env, IND_META)
    [row] = set_cells(env.data / IND_META, lambda f: f[0] == "I03", "plausible_max", "")
    return [f"error: {IND_META}, row {row}, column plausible_max: found ''; "
            "expected the highest plausible value of the indicator, in its unit"]


@case("values")
def unit_disagrees_with_kind(env):
    names(env, IND_META)
    sub(env.data / IND_META, "researchers per million inhabitants", "researchers")
    return [f"error: {IND_META}, row 1, column unit_en: found unit 'researchers'"]


@case("values", status=0, slow=True)
def no_spread_is_a_warning(env):
    """An indicator without spread in a group is a warning: the build goes on (and replaces the outputs)."""
    names(env, VALUES)
    set_cells(env.data / VALUES, lambda f: f[0] in MINI and f[1] == "I06", "value", "3")
    env.expect_out = "replaced"
    return [f"warning: {VALUES}, column value: found I06 equal (3) for all 11 scored mini cities; "
            "expected values that differ between cities"]


# ------------------------------------------------------------------------------------------------ focus data

PAPERS = f"{YEAR}/disciplines/papers.csv"
AI = f"{YEAR}/ai_patents"


@case("focus")
def papers_year_before_period(env):
    names(env, PAPERS)
    rows = set_cells(env.data / PAPERS, lambda f: f[0] == "tokyo" and f[2] == "2012", "year", "2011")
    return [f"error: {PAPERS}, row {rows[0]}, column year: found '2011'; expected a year from 2012 to 2021 "
            f"(the period of disciplines in {EDITION})"]


@case("focus")
def patents_year_after_report_year(env):
    names(env, f"{AI}/patents_by_year.csv")
    [row] = set_cells(env.data / AI / "patents_by_year.csv", lambda f: f[0] == "tokyo" and f[1] == "2022", "year", "2024")
    return [f"error: {AI}/patents_by_year.csv, row {row}, column year: found '2024'; expected a year not after the report year (2023)",
            f"error: {AI}/patents_by_year.csv, row {row}, column year: found '2024'; expected a year from 2003 to 2022"]


@case("focus")
def ipc_year_before_period(env):
    names(env, f"{AI}/ipc_by_year.csv")
    [row] = set_cells(env.data / AI / "ipc_by_year.csv", lambda f: f[0] == "G06N-0003" and f[1] == "2003", "year", "1999")
    return [f"error: {AI}/ipc_by_year.csv, row {row}, column year: found '1999'; expected a year from 2003 to 2022 "
            f"(the period of ai_patents in {EDITION})"]


@case("focus")
def papers_header_only(env):
    names(env, PAPERS)
    header_only(env.data / PAPERS)
    return [f"error: {PAPERS}: found a header and no data rows; expected at least one row of data"]


@case("focus")
def applicants_header_only(env):
    names(env, f"{AI}/applicants.csv")
    header_only(env.data / AI / "applicants.csv")
    return [f"error: {AI}/applicants.csv: found a header and no data rows; expected at least one row of data"]


@case("focus")
def ipc_empty_file(env):
    names(env, f"{AI}/ipc.csv")
    (env.data / AI / "ipc.csv").write_bytes(b"")
    return [f"error: {AI}/ipc.csv: found an empty file; expected a CSV with columns id,ipc,hq_patents,provenance"]


@case("focus")
def universe_missing(env):
    names(env, f"{AI}/universe.csv")
    (env.data / AI / "universe.csv").unlink()
    return [f"error: {AI}/universe.csv: found no file; expected a CSV with columns measure,value,provenance,note"]


@case("focus")
def universe_without_measure(env):
    names(env, f"{AI}/universe.csv")
    drop_rows(env.data / AI / "universe.csv", lambda f: f[0] == "hq_patents")
    return [f"error: {AI}/universe.csv, column measure: found no row for hq_patents; expected rows for ai_patents, hq_patents"]


@case("focus")
def hcp_above_papers(env):
    names(env, PAPERS)
    [row] = set_cells(env.data / PAPERS, lambda f: f[0] == "abu-dhabi" and f[1] == "30" and f[2] == "2012", "hcp", "500")
    return [f"error: {PAPERS}, row {row}, column hcp: found '500'; expected at most papers (112)"]


@case("focus")
def unknown_ipc(env):
    names(env, f"{AI}/ipc.csv")
    [row] = set_cells(env.data / AI / "ipc.csv", lambda f: f[0] == "abu-dhabi" and f[1] == "A61B-0005", "ipc", "Z99Z-0001")
    return [f"error: {AI}/ipc.csv, row {row}, column ipc: found 'Z99Z-0001'; expected an IPC code from meta/ipc_groups.csv"]


@case("focus")
def negative_patent_count(env):
    names(env, f"{AI}/patents_by_year.csv")
    [row] = set_cells(env.data / AI / "patents_by_year.csv", lambda f: f[0] == "tokyo" and f[1] == "2010", "valid", "-4")
    return [f"error: {AI}/patents_by_year.csv, row {row}, column valid: found '-4'; expected a non-negative integer"]


@case("focus")
def duplicate_city_year(env):
    names(env, f"{AI}/patents_by_year.csv")
    [row] = set_cells(env.data / AI / "patents_by_year.csv", lambda f: f[0] == "tokyo" and f[1] == "2010", "year", "2011")
    return [f"error: {AI}/patents_by_year.csv, row {row + 1}, column id,year: found tokyo × 2011 again (first at row {row})"]


@case("focus")
def unknown_discipline(env):
    names(env, PAPERS)
    rows = set_cells(env.data / PAPERS, lambda f: f[0] == "tokyo" and f[2] == "2015" and f[1] == "30", "discipline", "99")
    return [f"error: {PAPERS}, row {rows[0]}, column discipline: found '99'; expected a discipline code from meta/disciplines.csv"]


@case("focus")
def applicants_latin1(env):
    names(env, f"{AI}/applicants.csv")
    p = env.data / AI / "applicants.csv"
    head = p.read_bytes()
    tail = "tokyo,索尼,Société X,3,published\n".encode("utf-8").replace("é".encode(), b"\xe9")
    offset = len(head) + tail.index(b"\xe9")
    p.write_bytes(head + tail)
    return [f"error: {AI}/applicants.csv: found a byte that is not UTF-8 (0xe9) at byte offset {offset}; "
            "expected UTF-8 text (with or without a byte-order mark)"]


@case("focus")
def empty_focus_directory_in_a_full_build(env):
    """An empty focus directory counts as absent; the full build names what its chapter needs."""
    names(env, f"{YEAR}/ai_patents/")
    for p in (env.data / AI).iterdir():
        p.unlink()
    env.data_only = False
    return [f"error: {YEAR}/ai_patents/: found no files; expected the data of chapter 06_ai_patents (data/README.md)"]


@case("focus", status=0, slow=True)
def empty_focus_directory_in_data_only(env):
    """--data-only: an empty focus directory counts as absent; a note says so, the rest is built."""
    names(env, f"{YEAR}/ai_patents/")
    for p in (env.data / AI).iterdir():
        p.unlink()
    env.expect_out = "replaced"
    return [f"note: no data in {YEAR}/ai_patents/: the focus chapters' tables are not written"]


@case("focus")
def focus_directory_missing_in_a_full_build(env):
    names(env, f"{YEAR}/disciplines/")
    shutil.rmtree(env.data / str(YEAR) / "disciplines")
    env.data_only = False
    return [f"error: {YEAR}/disciplines/: found no directory; expected the data of chapter 05_disciplines (data/README.md)"]


@case("focus")
def edition_without_ai_periods(env):
    names(env, EDITION)
    p = env.data / EDITION
    p.write_text(p.read_text(encoding="utf-8").split("ai_patents:")[0], encoding="utf-8")
    return [f"error: {EDITION}, entry ai_patents: found no such entry; expected the ai_patents settings "
            "(years, stages, city_growth, stock_chart_from): the edition has ai_patents data"]


# ------------------------------------------------------------------------------------------------ configs

AUDIT, PROFILES, BENCH, METHOD = "meta/audit.yaml", "meta/profiles.yaml", "gii/benchmark.yaml", "meta/method.yaml"
CLUSTERS, MAPPING = "gii/2025/clusters.csv", f"{YEAR}/meta/gii_mapping.csv"


@case("configs")
def audit_runs_zero(env):
    names(env, AUDIT)
    sub(env.data / AUDIT, "runs: 1000 ", "runs: 0 ")
    return [f"error: {AUDIT}, entry uncertainty.runs: found 0; expected a positive integer (Monte Carlo runs)"]


@case("configs")
def audit_runs_text(env):
    names(env, AUDIT)
    sub(env.data / AUDIT, "runs: 1000 ", "runs: many ")
    return [f"error: {AUDIT}, entry uncertainty.runs: found many; expected a positive integer"]


@case("configs")
def audit_percentiles_reversed(env):
    names(env, AUDIT)
    sub(env.data / AUDIT, "percentiles: [5, 95]", "percentiles: [95, 5]")
    return [f"error: {AUDIT}, entry uncertainty.percentiles: found [95, 5]; expected two percentiles 0 ≤ low < high ≤ 100"]


@case("configs")
def audit_nominal_not_an_option(env):
    names(env, AUDIT)
    sub(env.data / AUDIT, "nominal: arithmetic", "nominal: harmonic")
    return [f"error: {AUDIT}, entry aggregation.nominal: found harmonic; expected one of aggregation.options (arithmetic, geometric)"]


@case("configs")
def audit_base_samples_not_a_power_of_two(env):
    names(env, AUDIT)
    sub(env.data / AUDIT, "base_samples: 512 ", "base_samples: 500 ")
    return [f"error: {AUDIT}, entry sensitivity.base_samples: found 500; expected a power of 2"]


@case("configs")
def audit_entry_missing(env):
    names(env, AUDIT)
    sub(env.data / AUDIT, "  seed: 20230901\n", "")
    return [f"error: {AUDIT}, entry uncertainty.seed: found no such entry; expected an integer (the random seed)"]


@case("configs")
def audit_python_tag(env):
    names(env, AUDIT)
    (env.data / AUDIT).write_text("uncertainty: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    return [f"error: {AUDIT}: found YAML that does not load at line 1, column 14 (could not determine a constructor "
            "for the tag 'tag:yaml.org,2002:python/object/apply:os.system'); expected YAML that yaml.safe_load reads"]


@case("configs")
def audit_not_yaml(env):
    names(env, AUDIT)
    sub(env.data / AUDIT, "percentiles: [5, 95]", "percentiles: [5, 95")
    return [f"error: {AUDIT}: found YAML that does not load at line"]


@case("configs")
def method_scale_reversed(env):
    names(env, METHOD)
    sub(env.data / METHOD, "scale: [60, 100]", "scale: [100, 60]")
    return [f"error: {METHOD}, entry scale: found [100, 60]; expected two numbers, low < high (the range of the scores)"]


@case("configs")
def method_coverage_in_percent(env):
    names(env, METHOD)
    sub(env.data / METHOD, "min_coverage: 0.6666666666666666", "min_coverage: 66.7")
    return [f"error: {METHOD}, entry screen.min_coverage: found 66.7; expected a share of the indicators in (0, 1]"]


@case("configs")
def method_missing(env):
    names(env, METHOD)
    (env.data / METHOD).unlink()
    return [f"error: {METHOD}: found no file; expected the settings file of the edition"]


@case("configs")
def audit_a_list(env):
    names(env, AUDIT)
    (env.data / AUDIT).write_text("- runs: 10\n", encoding="utf-8")
    return [f"error: {AUDIT}: found a list at the top level; expected a mapping of settings (key: value)"]


@case("configs")
def audit_missing(env):
    names(env, AUDIT)
    (env.data / AUDIT).unlink()
    return [f"error: {AUDIT}: found no file; expected the settings file of the edition"]


@case("configs")
def profiles_group_missing(env):
    names(env, PROFILES)
    sub(env.data / PROFILES, "groups: [main, mini]", "groups: [main]")
    return [f"error: {PROFILES}, entry groups: found ['main']; expected a list of the city groups (main, mini)"]


@case("configs")
def profiles_axis_inverted(env):
    names(env, PROFILES)
    sub(env.data / PROFILES, "axis_min: 50", "axis_min: 120")
    return [f"error: {PROFILES}, entry chart.axis_min: found 120.0; expected a number below chart.axis_max (100)"]


@case("configs")
def profiles_unknown_level(env):
    names(env, PROFILES)
    sub(env.data / PROFILES, "levels: [composite, A, B, C]", "levels: [composite, A, B, D9]")
    return [f"error: {PROFILES}, entry history.levels: found ['composite', 'A', 'B', 'D9']; expected a list of levels among"]


@case("configs")
def benchmark_unknown_level(env):
    names(env, BENCH)
    sub(env.data / BENCH, "{id: vc, gihi: C2, gii: vc_score}", "{id: vc, gihi: C9, gii: vc_score}")
    return [f"error: {BENCH}, entry pairs[3].gihi: found C9; expected a GIHI level (composite, "]


@case("configs")
def benchmark_strength_inverted(env):
    names(env, BENCH)
    sub(env.data / BENCH, "strength: {weak: 0.3, strong: 0.6}", "strength: {weak: 0.7, strong: 0.6}")
    return [f"error: {BENCH}, entry strength.weak: found 0.7; expected below strength.strong (0.6)"]


@case("configs")
def benchmark_n_top_zero(env):
    names(env, BENCH)
    sub(env.data / BENCH, "n_top: 100 ", "n_top: 0 ")
    return [f"error: {BENCH}, entry sources.2025.n_top: found 0; expected a positive integer (clusters ranked)"]


@case("configs")
def benchmark_missing(env):
    names(env, BENCH)
    (env.data / BENCH).unlink()
    return [f"error: {BENCH}: found no file; expected the GII benchmark's settings (the data has GII files under gii/)"]


@case("configs")
def edition_gii_without_data(env):
    names(env, EDITION)
    sub(env.data / EDITION, "gii_edition: 2025", "gii_edition: 2030")
    return [f"error: {EDITION}, entry gii_edition: found 2030; expected a GII edition with data under gii/ (2025)"]


@case("configs")
def edition_period_reversed(env):
    names(env, EDITION)
    sub(env.data / EDITION, "years: [2012, 2021]", "years: [2021, 2012]")
    return [f"error: {EDITION}, entry disciplines.years: found [2021, 2012]; expected [first, last] publication years, "
            "first ≤ last ≤ 2023"]


@case("configs")
def edition_period_after_report_year(env):
    names(env, EDITION)
    sub(env.data / EDITION, "years: [2003, 2022]", "years: [2003, 2025]")
    return [f"error: {EDITION}, entry ai_patents.years: found [2003, 2025]"]


@case("configs")
def edition_stage_outside_period(env):
    names(env, EDITION)
    sub(env.data / EDITION, "- [2003, 2011]", "- [2001, 2011]")
    return [f"error: {EDITION}, entry ai_patents.stages[0]: found [2001, 2011]; expected [start, end] with 2003 ≤ start < end ≤ 2022"]


@case("configs")
def edition_missing(env):
    names(env, EDITION)
    (env.data / EDITION).unlink()
    return [f"error: {EDITION}: found no file; expected the edition's settings, with the AI-patent periods"]


@case("configs")
def clusters_rank_out_of_range(env):
    names(env, CLUSTERS)
    [row] = set_cells(env.data / CLUSTERS, lambda f: f[0] == "2" and f[2] == "Tokyo–Yokohama", "rank", "101")
    return [f"error: {CLUSTERS}, row {row}, column rank: found '101'; expected a rank from 1 to 100, or empty"]


@case("configs")
def clusters_rank_twice(env):
    names(env, CLUSTERS)
    [row] = set_cells(env.data / CLUSTERS, lambda f: f[0] == "2" and f[2] == "Tokyo–Yokohama", "rank", "1")
    return [f"error: {CLUSTERS}, row {row}, column rank: found 1; expected a rank not given twice (first at row 1)"]


@case("configs")
def clusters_missing(env):
    names(env, CLUSTERS, "gii/", EDITION)
    (env.data / CLUSTERS).unlink()
    return ["error: gii/: found no GII edition's clusters.csv; expected gii/<edition>/clusters.csv"]


@case("configs")
def mapping_unknown_city(env):
    names(env, MAPPING)
    p = env.data / MAPPING
    sub(p, "\ngreater-bay-area,Macao–Zhuhai,", "\natlantis,Macao–Zhuhai,")
    return [f"error: {MAPPING}, row 2, column gihi_id: found 'atlantis'; expected a city id of the edition (meta/cities.csv)"]


@case("configs")
def mapping_unknown_relation(env):
    names(env, MAPPING)
    sub(env.data / MAPPING, "\ngreater-bay-area,Macao–Zhuhai,cluster_part_of_gihi,", "\ngreater-bay-area,Macao–Zhuhai,overlaps,")
    return [f"error: {MAPPING}, row 2, column relation: found 'overlaps'; expected one of exact, gihi_part_of_cluster"]


@case("configs")
def mapping_pair_twice(env):
    names(env, MAPPING)
    sub(env.data / MAPPING, "\ngreater-bay-area,Macao–Zhuhai,", "\ngreater-bay-area,Shenzhen–Hong Kong–Guangzhou,")
    return [f"error: {MAPPING}, row 2, column gihi_id,gii_cluster: found greater-bay-area ↔ Shenzhen–Hong Kong–Guangzhou again "
            "(first at row 1); expected each pairing once"]


@case("configs")
def mapping_missing(env):
    names(env, MAPPING)
    (env.data / MAPPING).unlink()
    return [f"error: {MAPPING}: found no file; expected the pairing of the edition's cities with the GII clusters"]


@case("configs")
def tree_weights_do_not_sum(env):
    names(env, f"{YEAR}/meta/tree.csv")
    set_cells(env.data / str(YEAR) / "meta" / "tree.csv", lambda f: f[0] == "A", "weight", "0.35")
    return [f"error: {YEAR}/meta/tree.csv, column weight: found weights under GIHI summing to 1.05; "
            "expected weights that sum to 1 within each parent (report Table 1)"]


@case("configs")
def strings_empty_text(env):
    names(env, "meta/strings.csv")
    [row] = set_cells(env.data / "meta" / "strings.csv", lambda f: f[0] == "chapter.02_science", "en", "")
    return [f"error: meta/strings.csv, row {row}, column en: found an empty text (key 'chapter.02_science'); expected the English text"]


@case("configs")
def strings_key_twice(env):
    names(env, "meta/strings.d/gii.csv")
    p = env.data / "meta" / "strings.d" / "gii.csv"
    p.write_text(p.read_text(encoding="utf-8") + "chapter.02_science,科学,Science\n", encoding="utf-8")
    n = len(read_rows(p)[1])
    first = row_of(env.data / "meta" / "strings.csv", "chapter.02_science")
    return [f"error: meta/strings.d/gii.csv, row {n}, column key: found 'chapter.02_science' again "
            f"(first in meta/strings.csv, row {first}); expected each key once, over all string files"]


@case("configs")
def strings_key_missing(env):
    names(env, "meta/strings.d/downloads.csv")
    drop_rows(env.data / "meta" / "strings.d" / "downloads.csv", lambda f: f[0] == "dl.title")
    return ["error: meta/strings.d/downloads.csv, column key: found no row for 'dl.title'; expected every key the code uses"]


@case("configs")
def strings_not_utf8(env):
    names(env, "meta/strings.d/profiles.csv")
    p = env.data / "meta" / "strings.d" / "profiles.csv"
    p.write_bytes(p.read_text(encoding="utf-8").encode("gbk", errors="replace"))
    return ["error: meta/strings.d/profiles.csv: found a byte that is not UTF-8"]


@case("configs")
def cities_not_utf8_no_cascade(env):
    """A file that cannot be read gets one line; what depends on it (profiles' groups, ids) is not
    reported again."""
    names(env, f"{YEAR}/meta/cities.csv")
    p = env.data / str(YEAR) / "meta" / "cities.csv"
    data = p.read_bytes()
    p.write_bytes(data.replace("蒙特利尔".encode(), "蒙特利尔".encode("gbk")))
    at = data.index("蒙特利尔".encode())
    env.exact = True
    return [f"error: {YEAR}/meta/cities.csv: found a byte that is not UTF-8 (0x{'蒙'.encode('gbk')[0]:02x}) at byte offset {at}; "
            "expected UTF-8 text (with or without a byte-order mark)"]


@case("configs")
def tree_not_utf8_no_cascade(env):
    names(env, f"{YEAR}/meta/tree.csv")
    p = env.data / str(YEAR) / "meta" / "tree.csv"
    data = p.read_bytes()
    p.write_bytes(data.replace("科学中心".encode(), "科学中心".encode("gbk")))
    at = data.index("科学中心".encode())
    env.exact = True
    return [f"error: {YEAR}/meta/tree.csv: found a byte that is not UTF-8 (0x{'科'.encode('gbk')[0]:02x}) at byte offset {at}; "
            "expected UTF-8 text (with or without a byte-order mark)"]


@case("configs")
def cities_latitude(env):
    names(env, f"{YEAR}/meta/cities.csv")
    [row] = set_cells(env.data / str(YEAR) / "meta" / "cities.csv", lambda f: f[0] == "toronto", "lat", "143.65")
    return [f"error: {YEAR}/meta/cities.csv, row {row}, column lat: found '143.65'; expected a number from -90 to 90"]


# ------------------------------------------------------------------------------------------------ content (editorial files)

def editorial(env: Env, rel: str, data: bytes) -> str:
    """Write ``content/<year>/<rel>``; a full build (stopped before the notebooks) reads it."""
    p = env.root / "content" / str(YEAR) / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    env.data_only = False
    shown = f"content/{YEAR}/{rel}"
    env.names = (shown,)
    return shown


GOOD = b"---\nmode: append\n---\nA note.\n"
CHAPTER_LIST = "01_overview, 02_science, 03_highland, 04_ecosystem, 05_disciplines, 06_ai_patents, 07_methods, 08_audit, 09_gii"


@case("content")
def unknown_chapter(env):
    f = editorial(env, "10_future/leaders.en.md", GOOD)
    return [f"error: {f}: found the folder '10_future'; expected a chapter folder: {CHAPTER_LIST}"]


@case("content")
def unknown_section(env):
    f = editorial(env, "01_overview/leader.en.md", GOOD)
    return [f"error: {f}: found the file name 'leader.en.md'; expected <section>.<lang>.md with a section of 01_overview: "
            "leaders, movers, regions, patterns, flows, mini"]


@case("content")
def unknown_language(env):
    f = editorial(env, "02_science/overview.fr.md", GOOD)
    return [f"error: {f}: found the file name 'overview.fr.md'; expected <section>.<lang>.md with a language zh or en (lower case) before .md"]


@case("content")
def upper_case_language(env):
    f = editorial(env, "02_science/overview.EN.md", GOOD)
    return [f"error: {f}: found the file name 'overview.EN.md'; expected <section>.<lang>.md with a language zh or en"]


@case("content")
def wrong_extension(env):
    f = editorial(env, "02_science/overview.en.txt", GOOD)
    return [f"error: {f}: found the file name 'overview.en.txt'; expected <section>.<lang>.md with the extension .md"]


@case("content")
def editor_backup_file(env):
    f = editorial(env, "02_science/overview.en.md~", GOOD)
    return [f"error: {f}: found the file name 'overview.en.md~'"]


@case("content")
def outside_a_chapter_folder(env):
    f = editorial(env, "notes.md", GOOD)
    return [f"error: {f}: found a file outside a chapter folder; expected content/<year>/<chapter>/<section>.<lang>.md "
            f"(chapters: {CHAPTER_LIST})"]


@case("content")
def nested_folder(env):
    f = editorial(env, "01_overview/old/leaders.en.md", GOOD)
    return [f"error: {f}: found a file outside a chapter folder"]


@case("content")
def methods_has_no_data_note(env):
    f = editorial(env, "07_methods/data_note.en.md", GOOD)
    return [f"error: {f}: found the file name 'data_note.en.md'; expected <section>.<lang>.md with a section of 07_methods: "
            "system, normalisation, missing, provenance"]


@case("content")
def latin1_text(env):
    text = "---\nmode: append\n---\nRévisé.\n".encode("latin-1")
    f = editorial(env, "03_highland/overview.en.md", text)
    at = text.index(0xE9)
    return [f"error: {f}: found a byte that is not UTF-8 (0xe9) at byte offset {at}; expected UTF-8 text"]


@case("content")
def utf16_text(env):
    f = editorial(env, "03_highland/overview.zh.md", "---\nmode: append\n---\n评论。\n".encode("utf-16"))
    return [f"error: {f}: found a UTF-16 byte-order mark at byte offset 0; expected UTF-8 text"]


@case("content")
def unknown_mode(env):
    f = editorial(env, "04_ecosystem/overview.en.md", b"---\nmode: prepend\n---\nText.\n")
    return [f"error: {f}: found mode must be one of append, replace, got 'prepend'; expected UTF-8 Markdown with an optional front matter"]


@case("content")
def unknown_front_matter_key(env):
    f = editorial(env, "04_ecosystem/movers.en.md", b"---\nmode: append\nauthr: X\n---\nText.\n")
    return [f"error: {f}: found unknown front-matter key(s) authr; allowed: mode, author, date, note"]


@case("content")
def front_matter_not_closed(env):
    f = editorial(env, "04_ecosystem/movers.zh.md", b"---\nmode: append\nText.\n")
    return [f"error: {f}: found front matter opened with '---' is never closed"]


@case("content")
def front_matter_not_yaml(env):
    f = editorial(env, "05_disciplines/data_note.en.md", b"---\nmode: [append\n---\nText.\n")
    return [f"error: {f}: found a front matter that is not YAML at line 3, column 1"]


@case("content")
def front_matter_a_list(env):
    f = editorial(env, "05_disciplines/data_note.zh.md", b"---\n- append\n---\nText.\n")
    return [f"error: {f}: found front matter must be a mapping, got list"]


@case("content")
def two_bad_files_two_lines(env):
    a = editorial(env, "01_overview/leaders.de.md", GOOD)
    b = editorial(env, "01_overview/movers.en.md", b"\xff\xfe")
    env.names = (a, b)
    return [f"error: {a}: found the file name 'leaders.de.md'", f"error: {b}: found a UTF-16 byte-order mark"]


@case("content", status=0)
def bom_and_crlf_accepted(env):
    """A byte-order mark and CRLF line ends are fine: the build goes on to the notebooks."""
    editorial(env, "01_overview/leaders.zh.md", b"\xef\xbb\xbf---\r\nmode: replace\r\n---\r\n\xe8\xaf\x84\xe8\xae\xba\xe3\x80\x82\r\n")
    editorial(env, "08_audit/data_note.en.md", b"---\r\nmode: append\r\nauthor: A. N. Editor\r\n---\r\nA note.\r\n")
    env.expect_started = True
    return []


# ------------------------------------------------------------------------------------------------ output directory

def output_at(env: Env, path: Path) -> None:
    env.args += ["--output-dir", str(path)]
    env.names = ("--output-dir", str(path))


def keep_listing(env: Env, d: Path) -> None:
    env.untouched[d] = sorted(os.listdir(d))


@case("output", form="free")
def output_is_the_data_directory(env):
    output_at(env, env.data)
    return [f"error: --output-dir {env.data} is the data directory"]


@case("output", form="free")
def output_inside_the_data_directory(env):
    output_at(env, env.data / str(YEAR) / "out")
    return [f"error: --output-dir {env.data / str(YEAR) / 'out'} lies inside the data directory"]


@case("output", form="free")
def output_contains_the_data_directory(env):
    output_at(env, env.tmp)
    return [f"error: --output-dir {env.tmp} contains the data directory"]


@case("output", form="free")
def output_through_a_link_into_the_data(env):
    link = env.tmp / "link"
    link.symlink_to(env.data / str(YEAR))
    output_at(env, link)
    return [f"error: --output-dir {link} lies inside the data directory ({env.data.resolve()})"]


@case("output", form="free")
def output_dotdot_into_the_data(env):
    target = env.out / ".." / "data" / "2023"
    output_at(env, target)
    return ["lies inside the data directory"]


@case("output", form="free")
def output_is_the_repository_data(env):
    output_at(env, ROOT / "data")
    keep_listing(env, ROOT / "data")
    return [f"error: --output-dir {ROOT / 'data'} is the repository's data/"]


@case("output", form="free")
def output_inside_the_repository_notebooks(env):
    output_at(env, ROOT / "notebooks" / "out")
    keep_listing(env, ROOT / "notebooks")
    return ["lies inside the repository's notebooks/"]


@case("output", form="free")
def output_is_the_repository_templates(env):
    output_at(env, ROOT / "templates")
    keep_listing(env, ROOT / "templates")
    return ["is the repository's templates/"]


@case("output", form="free")
def output_is_the_repository(env):
    output_at(env, ROOT)
    keep_listing(env, ROOT)
    return [f"error: --output-dir {ROOT} is the repository"]


@case("output", form="free")
def output_contains_the_repository(env):
    output_at(env, ROOT.parent)
    keep_listing(env, ROOT.parent)
    # the repository, or the data directory when it is a neighbour of the repository (a clone in /tmp)
    return [f"error: --output-dir {ROOT.parent} contains the "]


@case("output", form="free")
def output_is_a_file(env):
    f = env.tmp / "out.txt"
    f.write_text("not a directory\n")
    output_at(env, f)
    return [f"error: --output-dir {f} is a file, not a directory"]


@case("output", form="free")
def output_under_a_file(env):
    f = env.tmp / "out.txt"
    f.write_text("not a directory\n")
    output_at(env, f / "sub")
    return [f"error: --output-dir {f / 'sub'} cannot be written ({f} is not a writable directory)"]


@case("output", form="free")
def output_not_writable(env):
    if os.geteuid() == 0:   # root writes anywhere a mode allows nothing; /proc/1 is not writable even for root
        target = Path("/proc/1/gihi-faults-out")
    else:
        ro = env.tmp / "ro"
        ro.mkdir()
        ro.chmod(0o555)
        target = ro / "out"
    output_at(env, target)
    return [f"error: --output-dir {target} cannot be written"]


@case("output", form="free")
def year_is_a_file(env):
    shutil.rmtree(env.out / str(YEAR))
    (env.out / str(YEAR)).write_text("a file\n")
    env.names = (str(env.out / str(YEAR)),)
    return [f"error: {env.out / str(YEAR)} is a file; the outputs of {YEAR} go in a directory of that name"]


@case("output", form="free")
def year_is_a_link_into_the_data(env):
    moved = env.tmp / "kept"
    os.replace(env.out / str(YEAR), moved)
    (env.out / str(YEAR)).symlink_to(env.data / str(YEAR))
    env.names = (str(env.out / str(YEAR)),)
    return [f"error: {env.out / str(YEAR)} is a symbolic link; expected a directory"]


@case("output", form="free")
def staging_is_a_link_into_the_data(env):
    (env.out / ".build").symlink_to(env.data)
    env.names = (str(env.out / ".build"),)
    return [f"error: {env.out / '.build'} is a symbolic link; expected a directory"]


@case("output", form="free")
def staging_is_a_file(env):
    (env.out / ".build").write_text("x\n")
    (env.out / ".build").chmod(0o755)
    env.names = (str(env.out / ".build"),)
    return [f"error: {env.out / '.build'} is a file; expected a directory"]


@case("output", form="free")
def lock_is_a_directory(env):
    (env.out / LOCK).mkdir()
    (env.out / LOCK / "x").write_text("x\n")
    env.names = (str(env.out / LOCK),)
    return [f"error: {env.out / LOCK} is not a plain file; expected the build's lock file"]


def bad_value(env: Env) -> str:
    """A value error, so that the run stops at validation (after the lock and the debris)."""
    row = set_value(env.data, "tokyo", "I05", "x")
    return f"error: {VALUES}, row {row}, column value: found 'x'"


@case("output")
def others_files_are_left_alone(env):
    """Names that look like leftovers but are not this build's, and other years, stay as they are."""
    names(env, VALUES)
    (env.out / ".notes.tmp").write_text("someone's\n")
    (env.out / ".2022.old").mkdir()
    (env.out / ".2022.old" / "x.csv").write_text("kept\n")
    (env.out / ".cache.tmp-abc123").mkdir()
    (env.out / "2022").mkdir()
    (env.out / "2022" / ".data.tmp-abc").mkdir()
    (env.out / "notes.txt").write_text("mine\n")
    return [bad_value(env)]


@case("output")
def leftovers_are_cleared(env):
    """What a killed build of this year left (set-aside and temporary names, a half-made working
    copy) is gone after the next run; the outputs are as they were."""
    names(env, VALUES)
    env.expect_out = dict(env.previous.out_hashes)
    (env.out / ".build" / str(YEAR) / "data").mkdir(parents=True)
    (env.out / ".build" / str(YEAR) / "data" / "half.csv").write_text("id\n")
    (env.out / ".build" / f".{YEAR}.tmp-x1y2").mkdir()
    (env.out / str(YEAR) / ".data.tmp-q7w8e9").mkdir()
    (env.out / str(YEAR) / "data" / ".index_scores.csv.k2j3.tmp").write_text("half")
    (env.out / f".{YEAR}.old").mkdir()
    (env.out / f".{YEAR}.old" / "stale.csv").write_text("old\n")
    return [bad_value(env)]


@case("output")
def interrupted_swap_is_undone(env):
    """Killed between the two renames of the swap: the last good outputs were set aside as
    .<year>.old and nothing is in their place. The next run puts them back."""
    names(env, VALUES)
    env.expect_out = dict(env.previous.out_hashes)
    os.replace(env.out / str(YEAR), env.out / f".{YEAR}.old")
    return [bad_value(env)]


@case("output")
def first_build_leaves_no_directory(env):
    """No previous outputs: a refused build creates nothing but the lock."""
    names(env, VALUES)
    shutil.rmtree(env.out)
    env.expect_out = {}
    return [bad_value(env)]


@case("output")
def long_list_goes_to_a_file(env):
    """More than 40 problems: summarised by file and rule, listed whole in problems-<year>.txt."""
    names(env, VALUES)
    set_cells(env.data / VALUES, lambda f: f[1] == "I05", "value", "x")
    env.may_add = (PROBLEMS,)
    return [f"error: {VALUES}, column value: 119 problems (rows ", f"problems in all, listed one per line in {env.out / PROBLEMS}"]


# ------------------------------------------------------------------------------------------------ command line

def argv(env: Env, *args: str, data_only: bool = True) -> None:
    env.args += list(args)
    env.data_only = data_only


@case("cli", form="free")
def year_not_digits(env):
    env.names = ("--year",)
    env.year = "20x3"
    return ["error: --year must be a 4-digit year (got '20x3')"]


@case("cli", form="free")
def year_a_path(env):
    env.names = ("--year",)
    env.year = "../2023"
    return ["error: --year must be a 4-digit year (got '../2023')"]


@case("cli", form="free")
def year_arabic_digits(env):
    env.names = ("--year",)
    env.year = "٢٠٢٣"
    return ["error: --year must be a 4-digit year (got '٢٠٢٣')"]


@case("cli", form="free")
def year_with_a_space(env):
    env.names = ("--year",)
    env.year = "2023 "
    return ["error: --year must be a 4-digit year (got '2023 ')"]


@case("cli", form="free")
def year_without_data(env):
    env.names = ("no data for year 2031",)
    env.year = "2031"
    return [f"error: no data for year 2031 in {env.data}/; available years: 2023"]


@case("cli", form="free")
def year_missing(env):
    env.names = ("--year",)
    env.year = None
    return ["error: the following arguments are required: --year; see report_build.py --help"]


@case("cli", form="free")
def unknown_option(env):
    env.names = ("--fast",)
    argv(env, "--fast")
    return ["error: unrecognized arguments: --fast; see report_build.py --help"]


@case("cli", form="free")
def lang_unknown(env):
    env.names = ("--lang",)
    argv(env, "--lang", "fr")
    return ["error: argument --lang: invalid choice: 'fr'"]


@case("cli", form="free")
def jobs_zero(env):
    env.names = ("--jobs",)
    argv(env, "--jobs", "0")
    return ["error: --jobs must be at least 1 (got 0)"]


@case("cli", form="free")
def jobs_not_a_number(env):
    env.names = ("--jobs",)
    argv(env, "--jobs", "two")
    return ["error: argument --jobs: invalid int value: 'two'; see report_build.py --help"]


@case("cli", form="free")
def chapters_a_path(env):
    env.names = ("--chapters",)
    argv(env, "--chapters", "../../etc", data_only=False)
    return [f"error: --chapters: unknown chapter '../../etc'; chapters: {CHAPTER_LIST}"]


@case("cli", form="free")
def chapters_one_unknown(env):
    env.names = ("--chapters",)
    argv(env, "--chapters", "science,nope", data_only=False)
    return ["error: --chapters: unknown chapter 'nope'"]


@case("cli", form="free")
def chapters_empty(env):
    env.names = ("--chapters",)
    argv(env, "--chapters", " , ", data_only=False)
    return ["error: --chapters: no chapter given"]


@case("cli", form="free")
def data_dir_missing(env):
    env.names = ("no data for year",)
    argv(env, "--data-dir", str(env.tmp / "nowhere"))
    return [f"error: no data for year 2023 in {env.tmp / 'nowhere'}/; available years: none"]


@case("cli", form="free")
def data_dir_a_file(env):
    f = env.tmp / "data.csv"
    f.write_text("id\n")
    env.names = ("no data for year",)
    argv(env, "--data-dir", str(f))
    return [f"error: no data for year 2023 in {f}/; available years: none"]


@case("cli", form="free")
def data_dir_without_meta(env):
    shutil.rmtree(env.data / "meta")
    env.names = ("no metadata directory",)
    return [f"error: no metadata directory {env.data / 'meta'}/"]


@case("cli")
def init_an_existing_year(env):
    """--init never overwrites a year's data."""
    env.names = (f"{YEAR}/",)
    argv(env, "--init")
    return [f"error: {YEAR}/: found a directory that exists; expected a year not started yet: --init never overwrites"]


@case("cli")
def init_without_an_earlier_edition(env):
    env.names = (f"{YEAR - 1}/",)
    env.year = str(YEAR - 1)
    argv(env, "--init")
    return [f"error: {YEAR - 1}/: found no earlier edition in the data directory; expected an edition to start from"]


# ------------------------------------------------------------------------------------------------ concurrency

def lock_path(env: Env) -> Path:
    return env.out / LOCK


@case("concurrency", form="free")
def lock_held_by_another_build(env):
    holder = hold(env, lock_path(env))
    env.names = ("another build",)
    return [f"error: another build (process {holder.pid}) is running into this output directory "
            f"(lock {lock_path(env)}); wait for it, or run with --wait"]


@case("concurrency", form="free")
def lock_held_during_a_full_build(env):
    holder = hold(env, lock_path(env))
    env.data_only = False
    env.names = ("another build",)
    return [f"error: another build (process {holder.pid}) is running"]


@case("concurrency", form="free")
def lock_held_with_bad_data_too(env):
    """The lock is taken before the data are read: the second build says only that."""
    holder = hold(env, lock_path(env))
    bad_value(env)
    env.names = ("another build",)
    return [f"error: another build (process {holder.pid}) is running"]


@case("concurrency", form="free")
def lock_held_by_a_process_that_wrote_nothing(env):
    hold(env, lock_path(env), pid=False)
    env.names = ("another build",)
    return ["error: another build (process unknown) is running into this output directory"]


@case("concurrency")
def wait_for_the_lock(env):
    """--wait: the build waits until the other one ends, then runs (here: stops at the data)."""
    holder = hold(env, lock_path(env), seconds=1.5)
    env.args += ["--wait"]
    names(env, VALUES)
    env.after.append(lambda: holder.poll() is not None or pytest.fail("the build did not wait for the lock"))
    return [bad_value(env)]


@case("concurrency")
def stale_lock_file_is_taken_over(env):
    """A lock file left by a killed build (a pid, no lock held) does not stop the next build."""
    lock_path(env).write_text("999999\n")
    names(env, VALUES)
    # taken over, then released: the build cleared the stale pid with its own, and its own on release
    env.after.append(lambda: lock_path(env).read_text() == "" or pytest.fail("lock not taken over and released"))
    return [bad_value(env)]


@case("concurrency")
def lock_of_a_killed_build_is_taken_over(env):
    holder = hold(env, lock_path(env))
    holder.kill()
    holder.wait()
    names(env, VALUES)
    return [bad_value(env)]


@case("concurrency")
def another_years_lock_does_not_block(env):
    hold(env, env.out / f".{YEAR - 1}.lock")
    names(env, VALUES)
    return [bad_value(env)]


@case("concurrency")
def another_output_directorys_lock_does_not_block(env):
    hold(env, env.tmp / "other-out" / LOCK)
    names(env, VALUES)
    return [bad_value(env)]


# ------------------------------------------------------------------------------------------------ interruption (in process)
#
# Ctrl-C (KeyboardInterrupt) or SIGTERM (cli.Terminated) raised at one moment of --data-only. From
# the computation on, the run reuses the session's computed edition (so that it reaches the
# writing steps in seconds); what it writes is what the previous run wrote. The cases that write
# every output (the workbook, the saved edition, the swap) are data-stage builds: marked e2e.

def interrupted(env: Env) -> list[str]:
    env.names = ()
    return [f"interrupted: nothing was changed in {env.out}/{YEAR}/"]


def raise_at(env: Env, target, name: str, *, after: bool = False, signal_: str = "INT"):
    """Make ``target.name`` raise Ctrl-C (or SIGTERM) — before it runs, or after (``after``)."""
    real = getattr(target, name)
    exc = cli.Terminated if signal_ == "TERM" else KeyboardInterrupt

    def stop(*a, **k):
        if after:
            real(*a, **k)
        raise exc()
    env.mp.setattr(target, name, stop)


def computed(env: Env) -> None:
    """From here on, the run gets the session's computed edition instead of opening the data."""
    from gihi.pipeline import data_stage
    env.mp.setattr(data_stage, "open_edition", lambda year, data_dir=None: env.previous.edition)


@case("interruption", status=130, form="free")
def ctrl_c_while_validating(env):
    from gihi.model import validate
    raise_at(env, validate._Run, "indicators")
    return interrupted(env)


@case("interruption", status=143, form="free")
def sigterm_while_validating(env):
    from gihi.model import validate
    raise_at(env, validate._Run, "focus", signal_="TERM")
    return interrupted(env)


@case("interruption", status=130, form="free")
def ctrl_c_while_clearing_leftovers(env):
    from gihi.pipeline import safety
    real = safety.clear_debris
    calls = []

    def once(*a, **k):   # the first call (before the build) is interrupted; the cleanup after it runs
        calls.append(1)
        if len(calls) == 1:
            raise KeyboardInterrupt
        return real(*a, **k)
    env.mp.setattr(cli, "clear_debris", once)
    return interrupted(env)


@case("interruption", status=130, form="free")
def ctrl_c_after_copying_the_previous_outputs(env):
    from gihi.pipeline import build
    raise_at(env, build, "prepare_stage", after=True)
    return interrupted(env)


@case("interruption", status=143, form="free")
def sigterm_while_computing(env):
    from gihi.pipeline import data_stage
    raise_at(env, data_stage, "compute_all", signal_="TERM")
    return interrupted(env)


@case("interruption", status=130, form="free")
def ctrl_c_while_writing_the_tables(env):
    from gihi.pipeline import data_stage
    computed(env)
    raise_at(env, data_stage, "write_change_outputs")
    return interrupted(env)


@case("interruption", status=143, form="free", slow=True)
def sigterm_after_the_workbook(env):
    from gihi.pipeline import data_stage
    computed(env)
    raise_at(env, data_stage, "write_downloads", after=True, signal_="TERM")
    return interrupted(env)


@case("interruption", status=130, form="free", slow=True)
def ctrl_c_while_saving_the_edition(env):
    from gihi.model.edition import Edition
    computed(env)
    raise_at(env, Edition, "save", after=True)
    return interrupted(env)


@case("interruption", status=130, form="free", slow=True)
def ctrl_c_between_the_renames_of_the_swap(env):
    """The previous outputs were set aside and the new ones not yet in place: they go back."""
    from gihi.pipeline import build
    computed(env)

    def half(stage, live):
        os.replace(live, live.with_name(f".{live.name}.old"))
        raise KeyboardInterrupt
    env.mp.setattr(build, "swap_in", half)
    return interrupted(env)


@case("interruption", status=143, form="free", slow=True)
def sigterm_after_the_swap(env):
    """Too late to stop: the new outputs (equal to the previous ones: same data) are in place, and
    the message says so."""
    from gihi.pipeline import build
    computed(env)
    raise_at(env, build, "swap_in", after=True, signal_="TERM")
    env.names = ()
    return [f"interrupted: the new outputs were already in place in {env.out}/{YEAR}/"]


@case("interruption", status=130, form="free")
def ctrl_c_in_a_full_builds_checks(env):
    env.data_only = False
    raise_at(env, cli, "build_problems")
    return interrupted(env)


# ================================================================================================ the in-process test

def _ids(c: Case) -> str:
    return f"{c.family}-{c.name}"


@pytest.mark.parametrize("c", [pytest.param(c, id=_ids(c), marks=[pytest.mark.e2e] if c.slow else []) for c in CASES])
def test_fault(c: Case, env: Env, capsys, monkeypatch):
    expected = c.fn(env)
    replaced = env.expect_out == "replaced"
    if replaced:
        env.expect_out = None
    data_before = tree_hashes(env.data)
    out_before = tree_hashes(env.out)
    code, err, _ = in_process(env, capsys, monkeypatch)
    check(env, code, err, expected, c.status, form=c.form)
    for f in env.after:
        f()
    assert env.started == env.expect_started, \
        "the build did not start" if env.expect_started else "the build started (the notebooks would have run)"
    if replaced:   # a build that succeeded replaced the outputs, as a whole
        assert tree_hashes(env.data) == data_before, "the data directory changed"
        after = tree_hashes(env.out)
        assert not (env.out / ".build").exists() and f"{YEAR}/data/index_scores.csv" in after
        from gihi.pipeline.safety import DEBRIS
        assert not [k for k in after if DEBRIS.match(Path(k).name)], sorted(after)
        return
    assert_unchanged(env, data_before, out_before)


# ================================================================================================ real processes
#
# report_build.py in a process of its own, signalled (or killed) at a moment of --data-only found by
# watching its working directory. These runs read the session's pristine data, so that a run that
# finishes before the signal lands writes exactly the previous outputs.

STAGE = Path(".build") / str(YEAR)


def spawn(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(SCRIPT), *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True, preexec_fn=default_sigint)


def wait_for(proc: subprocess.Popen, ready: Callable[[], bool], what: str, timeout: float = 180) -> None:
    end = time.monotonic() + timeout
    while not ready():
        if proc.poll() is not None:
            pytest.fail(f"the build ended (exit {proc.returncode}) before {what}: {proc.stderr.read()}")
        if time.monotonic() > end:
            proc.kill()
            pytest.fail(f"the build did not reach {what} in {timeout} s")
        time.sleep(0.005)


def _fresh(path: Path) -> bool:
    """A file the run wrote (not a hard link of the previous outputs')."""
    try:
        return path.stat().st_nlink == 1
    except OSError:
        return False


def glob_in(base: Path, pattern: str) -> Callable[[], bool]:
    return lambda: any(base.glob(pattern))


@dataclass(frozen=True)
class Moment:
    name: str
    ready: Callable[[Path], Callable[[], bool]]   # output directory -> predicate
    delay: float = 0.0
    slow: bool = True


MOMENTS = {
    # the working copy exists from the lock on: validation runs then
    "validating": Moment("validating", lambda out: (out / STAGE).is_dir, slow=False),
    "computing": Moment("computing", lambda out: (out / STAGE).is_dir, delay=3.0),
    "writing_the_tables": Moment("writing_the_tables", lambda out: glob_in(out / STAGE, ".data.tmp-*")),
    # the new tables are in the working copy (no longer hard links of the previous ones): the
    # workbook is being made
    "making_the_workbook": Moment("making_the_workbook", lambda out: lambda: _fresh(out / STAGE / "data" / "index_scores.csv")),
    "saving_the_edition": Moment("saving_the_edition", lambda out: glob_in(out / STAGE, ".edition.tmp-*")),
}

SIGNALS = [(signal.SIGINT, "validating"), (signal.SIGTERM, "validating"), (signal.SIGINT, "computing"),
           (signal.SIGTERM, "writing_the_tables"), (signal.SIGINT, "making_the_workbook"),
           (signal.SIGTERM, "saving_the_edition")]


def _sig_param(sig, moment):
    m = MOMENTS[moment]
    return pytest.param(sig, m, id=f"{sig.name}-{moment}", marks=[pytest.mark.e2e] if m.slow else [])


@pytest.fixture
def real_out(previous, tmp_path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(previous.out, out, copy_function=os.link, ignore=lambda d, names: [LOCK] if Path(d) == previous.out else [])
    return out


def data_only_args(previous: Previous, out: Path, *extra: str) -> list[str]:
    return ["--year", str(YEAR), "--data-only", "--data-dir", str(previous.data), "--output-dir", str(out), *extra]


def assert_as_before(previous: Previous, out: Path) -> None:
    assert tree_hashes(previous.data) == previous.data_hashes, "the data directory changed"
    after = tree_hashes(out)
    assert after == previous.out_hashes, _diff(previous.out_hashes, after)


@pytest.mark.parametrize("sig, moment", [_sig_param(*x) for x in SIGNALS])
def test_signal_during_data_only(sig, moment: Moment, previous, real_out):
    """interruption: Ctrl-C (SIGINT) or SIGTERM at a moment of --data-only: exit 130 / 143, one line,
    no traceback, the previous outputs and the data as they were, no working copy left."""
    proc = spawn(data_only_args(previous, real_out))
    wait_for(proc, moment.ready(real_out), moment.name)
    time.sleep(moment.delay)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    want = 130 if sig == signal.SIGINT else 143
    late = f"interrupted: the new outputs were already in place in {real_out}/{YEAR}/"   # the signal came after the swap
    assert "Traceback" not in err, err
    assert proc.returncode == want, err
    lines = err.splitlines()
    assert lines and lines[-1] in (f"interrupted: nothing was changed in {real_out}/{YEAR}/", late), err
    for line in lines[:-1]:   # what the run said before (the data review, warnings)
        assert re.match(r"^(warning|note|data review): \S", line), f"unexpected stderr line: {line!r}"
    assert_as_before(previous, real_out)


@pytest.mark.parametrize("moment", [pytest.param(MOMENTS["validating"], id="validating"),
                                    pytest.param(MOMENTS["writing_the_tables"], id="writing_the_tables", marks=pytest.mark.e2e)])
def test_kill_9_during_data_only_then_a_rerun_clears_the_debris(moment: Moment, previous, real_out, tmp_path, capsys):
    """interruption: kill -9 leaves its working copy and a stale lock; the next run takes the lock
    over, clears what the killed one left and leaves the previous outputs as they were."""
    proc = spawn(data_only_args(previous, real_out))
    wait_for(proc, moment.ready(real_out), moment.name)
    proc.kill()
    proc.wait()
    assert (real_out / STAGE).exists(), "nothing left to clear: the kill came too late"
    # the rerun, with a value error so that it stops after clearing (a valid rerun: test_kill_9_..._rerun_builds)
    data = tmp_path / "bad"
    shutil.copytree(previous.data, data)
    row = set_value(data, "tokyo", "I05", "x")
    code = cli.main(["--year", str(YEAR), "--data-only", "--data-dir", str(data), "--output-dir", str(real_out)])
    err = capsys.readouterr().err.splitlines()
    assert code == 2 and err == [f"error: {VALUES}, row {row}, column value: found 'x'; expected a number, or an empty "
                                 "cell for a missing value"], err
    assert_as_before(previous, real_out)


@pytest.mark.e2e
def test_kill_9_during_data_only_then_a_valid_rerun_builds(previous, real_out, capsys):
    proc = spawn(data_only_args(previous, real_out))
    wait_for(proc, MOMENTS["saving_the_edition"].ready(real_out), "saving_the_edition")
    proc.kill()
    proc.wait()
    assert any((real_out / STAGE).glob(".edition.tmp-*"))
    code = cli.main(data_only_args(previous, real_out))
    err = capsys.readouterr().err
    assert code == 0 and "Traceback" not in err, err
    assert_as_before(previous, real_out)   # same data, same outputs; no debris


def test_ctrl_c_while_waiting_for_the_lock(previous, real_out):
    """interruption + concurrency: --wait, then Ctrl-C while waiting: 130, one line."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(real_out / LOCK), "120", "pid"], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        proc = spawn(data_only_args(previous, real_out, "--wait"))
        # waiting: the lock file is open in the build (its own pid is not written until it holds it)
        import psutil
        wait_for(proc, lambda: any(f.path == str(real_out / LOCK) for f in psutil.Process(proc.pid).open_files()),
                 "the lock")
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        assert err.splitlines() == [f"interrupted: nothing was changed in {real_out}/{YEAR}/"], err
    finally:
        holder.kill()
        holder.wait()
    assert_as_before(previous, real_out)


@pytest.mark.e2e
def test_two_builds_at_once(previous, real_out):
    """concurrency: two real --data-only builds into one output directory: one runs, the other
    stops at once naming it; the outputs are whole."""
    a = spawn(data_only_args(previous, real_out))
    b = spawn(data_only_args(previous, real_out))
    ra, rb = a.communicate(timeout=300), b.communicate(timeout=300)
    codes = sorted([a.returncode, b.returncode])
    assert codes == [0, 2], (ra, rb)
    loser, winner = (a, b) if a.returncode == 2 else (b, a)
    err = (ra if loser is a else rb)[1]
    assert err.splitlines() == [f"error: another build (process {winner.pid}) is running into this output directory "
                                f"(lock {real_out / LOCK}); wait for it, or run with --wait"], err
    assert_as_before(previous, real_out)


@pytest.mark.e2e
def test_kill_9_of_a_full_build_leaves_no_process(previous, real_out, capsys):
    """interruption: kill -9 of a full build once its kernels and workers run: every process it
    started ends too (workers: PR_SET_PDEATHSIG; kernels: their parent poller); the next run
    clears what it left."""
    import psutil
    proc = spawn(["--year", str(YEAR), "--data-dir", str(previous.data), "--output-dir", str(real_out), "--jobs", "2"])
    me = psutil.Process(proc.pid)

    def kernels_running():
        try:
            kids = me.children(recursive=True)
            return sum("ipykernel" in " ".join(k.cmdline()) for k in kids) >= 1 and len(kids) >= 2
        except psutil.Error:
            return False
    wait_for(proc, kernels_running, "the kernels", timeout=300)
    time.sleep(2)
    kids = me.children(recursive=True)
    proc.kill()
    proc.wait()
    gone, alive = psutil.wait_procs(kids, timeout=20)
    assert not alive, [" ".join(p.cmdline()) for p in alive]
    code = cli.main(data_only_args(previous, real_out))
    err = capsys.readouterr().err
    assert code == 0 and "Traceback" not in err, err
    assert_as_before(previous, real_out)


def test_the_suite_covers_every_family():
    families: dict[str, int] = {}
    for c in CASES:
        families[c.family] = families.get(c.family, 0) + 1
    # the real-process tests above: signals, kill -9 (two moments, then a valid rerun), Ctrl-C while
    # waiting for the lock, kill -9 of a full build; two builds at once
    families["interruption"] += len(SIGNALS) + 2 + 1 + 1 + 1
    families["concurrency"] += 1
    assert set(families) == {"values", "focus", "configs", "content", "output", "cli", "concurrency", "interruption"}
    assert sum(families.values()) >= 80, families
