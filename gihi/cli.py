"""Command line of the report builder (``report_build.py``)."""
from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import textwrap
from importlib import import_module
from pathlib import Path

from .dataset import load_indicators, to_wide
from .chapters import CHAPTERS
from .errors import DataError
from .history import HISTORY_FILE
from .export import staged, write_data_outputs
from .index import compute_index
from .metadata import load_cities, load_tree
from .paths import available_years
from .validate import require_valid, year_problem

EPILOG = """\
steps: data (validate, compute the index) -> chapters (execute the notebooks with
papermill, in parallel) -> editions (render the PDFs) -> manifest. A step is
skipped when nothing it depends on has changed since the last build (content
hashes recorded in <output-dir>/<year>/manifest.json). The build works in
<output-dir>/.build/<year>/ and replaces <output-dir>/<year>/ only when every
step has succeeded.

examples:
  report_build.py --year 2023
      full build: output/2023/GIHI-2023-bilingual.pdf, -zh.pdf and -en.pdf,
      executed notebooks in output/2023/notebooks/, data in output/2023/data/
  report_build.py --year 2023 --lang bi --jobs 2
      only the bilingual edition, two chapters at a time
  report_build.py --year 2023 --chapters 02_science,05_disciplines
      re-execute these two chapters; reuse the others' cached results
  report_build.py --year 2023 --force
      ignore the cache: execute and render everything
  report_build.py --year 2023 --data-only
      validate data/2023/, compute the index and write the CSV outputs to
      output/2023/data/ (no notebooks, no PDF)
  report_build.py --year 2023 --data-dir /path/to/data --output-dir /tmp/out
      use another data directory (with meta/ and 2023/) and output directory

{chapters}

exit status: 0 on success; 2 for an unknown year, chapter or invalid input data
(one line per problem on stderr; existing outputs are left untouched); 1 when a
chapter notebook or a PDF edition fails (each failure is named on stderr; the
last good outputs are left untouched); 130 when interrupted (Ctrl-C).
"""

EPILOG = EPILOG.replace("{chapters}", textwrap.fill(
    f"chapters: {', '.join(CHAPTERS)} (the short names {', '.join(list(CHAPTERS.values())[:2])}, ... work too).", 78))

FOCUS_MODULE = "gihi.focus_export"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="report_build.py",
        description="Build the Global Innovation Hubs Index (GIHI) report for one year:\n"
                    "load and check the data, compute the index, write the outputs.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--year", required=True, metavar="YEAR",
                   help="report year (4 digits); data are read from <data-dir>/<year>/")
    p.add_argument("--data-only", action="store_true",
                   help="run the data stage only: load, validate, compute the index and write <output-dir>/<year>/data/")
    p.add_argument("--data-dir", type=Path, default=Path("data"), help="input data directory (default: data/)")
    p.add_argument("--output-dir", type=Path, default=Path("output"), help="output directory (default: output/)")
    p.add_argument("--lang", choices=("all", "bi", "zh", "en"), default="all",
                   help="PDF editions to write: all (default: bilingual, zh and en), bi, zh or en")
    p.add_argument("--chapters", default=None, metavar="A,B",
                   help="re-execute only these chapters (comma-separated) and reassemble the PDFs "
                        "from the cached results of the others")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="chapters executed (and editions rendered) at a time (default: the number of cores, %(default)s)")
    p.add_argument("--force", action="store_true", help="ignore cached results: execute and render everything")
    return p


def _chapter_list(text: str) -> tuple[str, ...]:
    """``a,b`` → chapter ids; short names (``science``) are accepted."""
    from .chapters import CHAPTERS
    short = {v: k for k, v in CHAPTERS.items()}
    out = []
    for name in (x.strip() for x in text.split(",")):
        if not name:
            continue
        cid = name if name in CHAPTERS else short.get(name)
        if cid is None:
            raise argparse.ArgumentTypeError(f"unknown chapter {name!r}; chapters: {', '.join(CHAPTERS)}")
        out.append(cid)
    if not out:
        raise argparse.ArgumentTypeError("no chapter given")
    return tuple(dict.fromkeys(out))


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

    Raises :class:`DataError` on invalid input, in which case nothing is written: every input
    file is validated first (:func:`gihi.validate.require_valid`), before anything is computed.
    """
    require_valid(data_dir, year)
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
        complete = (data_dir / HISTORY_FILE).is_file()
        if complete:
            written += write_analysis_exports(data_dir, year, tmp)
        else:
            print(f"note: no {_shown(data_dir / HISTORY_FILE)}: uncertainty.csv, gii_benchmark.csv and the "
                  f"downloads (xlsx) are written for a complete dataset only", file=sys.stderr)
    written = [out_dir / Path(p).relative_to(tmp) if Path(p).is_relative_to(tmp) else Path(p) for p in written]
    if complete:
        from .downloads import write_downloads
        written += list(write_downloads(year, data_dir, output_dir / str(year)))
    return written


def write_analysis_exports(data_dir: Path, year: int, out_dir: Path) -> list[Path]:
    """``uncertainty.csv`` (statistical audit, gihi.audit) and, when the GII benchmark data are
    present, ``gii_benchmark.csv`` (gihi.gii)."""
    from .audit import uncertainty_frame
    from .export import write_csv
    written = [write_csv(uncertainty_frame(year, data_dir), out_dir / "uncertainty.csv")]
    if (data_dir / "gii").is_dir():
        from .gii import benchmark_frame
        written.append(write_csv(benchmark_frame(year, data_dir), out_dir / "gii_benchmark.csv"))
    return written


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    bad_year = year_problem(args.year)
    if bad_year:
        print(f"error: {bad_year}", file=sys.stderr)
        return 2
    args.year = int(args.year)
    if args.chapters is not None:
        try:
            args.chapters = _chapter_list(args.chapters)
        except argparse.ArgumentTypeError as e:
            print(f"error: --chapters: {e}", file=sys.stderr)
            return 2
    data_dir: Path = args.data_dir
    years = available_years(data_dir)
    if args.year not in years:
        listed = ", ".join(str(y) for y in years) if years else "none"
        print(f"error: no data for year {args.year} in {_shown(data_dir)}; available years: {listed}", file=sys.stderr)
        return 2
    if not (data_dir / "meta").is_dir():
        print(f"error: no metadata directory {_shown(data_dir / 'meta')}", file=sys.stderr)
        return 2
    if args.jobs < 1:
        print(f"error: --jobs must be at least 1 (got {args.jobs})", file=sys.stderr)
        return 2
    if args.data_only:
        try:
            written = run_data_stage(data_dir, args.year, args.output_dir)
        except DataError as e:
            return _data_errors(e)
        print(f"data stage: wrote {len(written)} files to {_shown(args.output_dir / str(args.year) / 'data')}")
        for p in written:
            print(f"  {p}")
        return 0
    return _full_build(args)


def _data_errors(e: DataError) -> int:
    for p in e.problems:
        print(f"error: {p}", file=sys.stderr)
    return 2


def _full_build(args) -> int:
    from .build import EDITIONS, BuildError, Options, build_report, edition_path, summary
    langs = tuple(EDITIONS) if args.lang == "all" else (args.lang,)
    opts = Options(year=args.year, data_dir=args.data_dir, output_dir=args.output_dir, langs=langs,
                   chapters=args.chapters, jobs=args.jobs, force=args.force)
    try:
        manifest = build_report(opts, log=lambda line: print(line, flush=True))
    except DataError as e:
        return _data_errors(e)
    except BuildError as e:
        for p in e.problems:
            print(f"error: {p}", file=sys.stderr)
        print(f"error: build failed; the last good outputs in {_shown(args.output_dir / str(args.year))} are unchanged",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"interrupted: nothing was changed in {_shown(args.output_dir / str(args.year))}", file=sys.stderr)
        return 130
    print(summary(manifest))
    for lang in langs:
        print(f"  {edition_path(args.output_dir, args.year, lang)}")
    return 0
