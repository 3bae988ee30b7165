"""Command line of the report builder (``report_build.py``)."""
from __future__ import annotations

import argparse
import importlib.util
import sys
from importlib import import_module
from pathlib import Path

from .dataset import load_indicators, to_wide
from .errors import DataError
from .export import staged, write_data_outputs
from .index import compute_index
from .metadata import load_cities, load_tree
from .paths import available_years

EPILOG = """\
examples:
  report_build.py --year 2023 --data-only
      validate data/2023/indicators.csv, compute the index and write the CSV
      outputs to output/2023/data/
  report_build.py --year 2023 --data-dir /path/to/data --output-dir /tmp/out
      use another data directory (with meta/ and 2023/) and output directory

exit status: 0 on success; 2 for an unknown year or invalid input data (one
line per problem on stderr; existing outputs are left untouched).
"""

FOCUS_MODULE = "gihi.focus_export"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="report_build.py",
        description="Build the Global Innovation Hubs Index (GIHI) report for one year:\n"
                    "load and check the data, compute the index, write the outputs.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--year", type=int, required=True, help="report year; data are read from <data-dir>/<year>/")
    p.add_argument("--data-only", action="store_true",
                   help="run the data stage only: load, validate, compute the index and write <output-dir>/<year>/data/")
    p.add_argument("--data-dir", type=Path, default=Path("data"), help="input data directory (default: data/)")
    p.add_argument("--output-dir", type=Path, default=Path("output"), help="output directory (default: output/)")
    return p


def _shown(path: Path) -> str:
    s = str(path)
    return s if s.endswith("/") else s + "/"


def _focus_available(data_dir: Path, year: int) -> tuple[bool, str | None]:
    """Whether the focus-chapter exports should run, and a note when they are skipped."""
    if not (data_dir / str(year) / "disciplines").is_dir():
        return False, None
    if importlib.util.find_spec(FOCUS_MODULE) is None:
        return False, f"note: {data_dir / str(year) / 'disciplines'} exists but {FOCUS_MODULE} is not available; focus exports skipped"
    return True, None


def run_data_stage(data_dir: Path, year: int, output_dir: Path) -> list[Path]:
    """Load, check, compute and write ``<output_dir>/<year>/data/``; returns the files written.

    Raises :class:`DataError` on invalid input, in which case nothing is written.
    """
    tree = load_tree(data_dir)
    cities = load_cities(data_dir)
    long = load_indicators(data_dir, year)
    wide = to_wide(long)
    groups = cities.set_index("id")["group"]
    result = compute_index(wide, groups, tree)
    for row in result.excluded.itertuples(index=False):
        print(f"warning: {row.id} ({row.group}) not scored: {row.reason}", file=sys.stderr)

    out_dir = output_dir / str(year) / "data"
    run_focus, note = _focus_available(data_dir, year)
    if note:
        print(note, file=sys.stderr)
    with staged(out_dir) as tmp:
        written = write_data_outputs(result, cities, tree, wide, tmp, atomic=False)
        if run_focus:
            focus = import_module(FOCUS_MODULE)
            written += list(focus.write_focus_exports(data_dir, year, tmp))
    return [out_dir / Path(p).relative_to(tmp) if Path(p).is_relative_to(tmp) else Path(p) for p in written]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    data_dir: Path = args.data_dir
    years = available_years(data_dir)
    if args.year not in years:
        listed = ", ".join(str(y) for y in years) if years else "none"
        print(f"error: no data for year {args.year} in {_shown(data_dir)}; available years: {listed}", file=sys.stderr)
        return 2
    if not (data_dir / "meta").is_dir():
        print(f"error: no metadata directory {_shown(data_dir / 'meta')}", file=sys.stderr)
        return 2
    try:
        written = run_data_stage(data_dir, args.year, args.output_dir)
    except DataError as e:
        for p in e.problems:
            print(f"error: {p}", file=sys.stderr)
        return 2
    print(f"data stage: wrote {len(written)} files to {_shown(args.output_dir / str(args.year) / 'data')}")
    for p in written:
        print(f"  {p}")
    if not args.data_only:
        print("notebook and PDF stages are not implemented yet: only the data stage was run")
    return 0
