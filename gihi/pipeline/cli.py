"""Command line of the report builder (``report_build.py``)."""
from __future__ import annotations

import argparse
import csv
import os
import signal
import sys
import textwrap
import threading
from pathlib import Path

from gihi.core.errors import DataError
from gihi.core.paths import EDITION_FILES, available_years
from gihi.model.validate import year_problem
from gihi.pipeline.safety import BuildLocked, build_lock, clear_debris, discard_stage, output_problems
from gihi.report.chapters import CHAPTERS

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
  report_build.py --year 2023 --preview --lang en
      serve the English edition as HTML on http://127.0.0.1:8000/; edit
      content/2023/<chapter>/<section>.en.md and the page reloads with it
  report_build.py --year 2023 --data-dir /path/to/data --output-dir /tmp/out
      use another data directory (with meta/ and 2023/) and output directory

{chapters}

exit status: 0 on success; 2 for a wrong option, an unknown year or chapter, an
output directory that may not be written, another build running into it, or
invalid input data (one line per problem on stderr; existing outputs are left
untouched; docs/validation.md); 1 when a chapter notebook or a PDF edition fails,
or the output directory fails under the build (each failure is named on stderr;
the last good outputs are left untouched); 130 when interrupted (Ctrl-C), 143
when terminated (SIGTERM).
"""

EPILOG = EPILOG.replace("{chapters}", textwrap.fill(
    f"chapters: {', '.join(CHAPTERS)} (the short names {', '.join(list(CHAPTERS.values())[:2])}, ... work too).", 78))

class UsageError(Exception):
    """A command line argparse rejects (reported on one line, exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a wrong command line is one line on stderr (not the usage block): ``error:
    argument --lang: invalid choice: 'fr' …; see report_build.py --help``."""

    def error(self, message: str):
        raise UsageError(" ".join(message.split()))


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="report_build.py",
        description="Build the Global Innovation Hubs Index (GIHI) report for one year:\n"
                    "load and check the data, compute the index, write the outputs.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--year", required=True, metavar="YEAR",
                   help="report year (4 digits); data are read from <data-dir>/<year>/")
    p.add_argument("--init", action="store_true",
                   help="start the edition of YEAR: create <data-dir>/<year>/ from the latest earlier edition "
                        "(its metadata, an empty indicators.csv, the focus files' headers, a README checklist); "
                        "never overwrites a year")
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
    p.add_argument("--wait", action="store_true",
                   help="if another build is running into the same output directory and year, wait for it "
                        "(default: stop with exit status 2)")
    p.add_argument("--preview", action="store_true",
                   help="serve the edition (--lang, default bi) as HTML on http://127.0.0.1:PORT/ and rebuild "
                        "the chapter you edit (content/<year>/, narrative templates, notebooks) when you save; "
                        "the page reloads itself. Works in <output-dir>/.preview/, from the last build's bundles")
    p.add_argument("--port", type=int, default=8000, metavar="PORT", help="the preview's port (default: %(default)s)")
    return p


def _chapter_list(text: str) -> tuple[str, ...]:
    """``a,b`` → chapter ids; short names (``science``) are accepted."""
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


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status. Ctrl-C (or SIGTERM) anywhere ends it with
    one line and status 130 (143), the previous outputs untouched."""
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if main_thread else None
    hook = sys.unraisablehook
    if main_thread:
        sys.unraisablehook = _redeliver_interrupt(hook)
    args = None
    try:
        try:
            args = build_parser().parse_args(argv)
        except UsageError as e:
            print(f"error: {e}; see report_build.py --help", file=sys.stderr)
            return 2
        return _main(args)
    except KeyboardInterrupt as e:
        where = f" in {_shown(args.output_dir / str(args.year))}" if args is not None and str(args.year).isdigit() else ""
        if getattr(args, "swapped", False):   # stopped after the new outputs were in place
            print(f"interrupted: the new outputs were already in place{where}", file=sys.stderr)
        else:
            print(f"interrupted: nothing was changed{where}", file=sys.stderr)
        return 143 if isinstance(e, Terminated) else 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        sys.unraisablehook = hook


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C."""


def _terminate(signum, frame):
    raise Terminated()


def _redeliver_interrupt(report):
    """An unraisable-exception hook: an interrupt raised inside code that cannot propagate it (a
    Cython function such as scipy's Sobol initialiser, a ``__del__``) would be printed as
    "Exception ignored in ..." with a traceback and then lost, and the build would go on. The hook
    sends the signal again, from a thread a moment later (sent from the hook itself, its handler
    would raise inside the hook and be lost again), so that it reaches ``main``; anything else goes
    to ``report``, the hook it replaces."""
    def hook(unraisable) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            sig = signal.SIGTERM if isinstance(unraisable.exc_value, Terminated) else signal.SIGINT
            again = threading.Timer(0.05, os.kill, (os.getpid(), sig))
            again.daemon = True
            again.start()
            return
        report(unraisable)
    return hook


def _main(args) -> int:
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
    # relative paths are taken from the working directory; messages name them as given
    data_dir, output_dir = Path(os.path.abspath(args.data_dir)), Path(os.path.abspath(args.output_dir))
    if args.init:
        return _init(args, data_dir)
    years = available_years(data_dir)
    if args.year not in years:
        listed = ", ".join(str(y) for y in years) if years else "none"
        print(f"error: no data for year {args.year} in {_shown(args.data_dir)}; available years: {listed}", file=sys.stderr)
        return 2
    if not (data_dir / "meta").is_dir():
        print(f"error: no metadata directory {_shown(args.data_dir / 'meta')}", file=sys.stderr)
        return 2
    if args.jobs < 1:
        print(f"error: --jobs must be at least 1 (got {args.jobs})", file=sys.stderr)
        return 2
    unsafe = output_problems(output_dir, data_dir, args.year, str(args.output_dir))
    if unsafe:
        for line in unsafe:
            print(f"error: {line}", file=sys.stderr)
        return 2
    if args.preview:
        return _preview(args, data_dir, output_dir)
    from gihi.pipeline.build import BuildError, Options
    langs = tuple(EDITION_FILES) if args.lang == "all" else (args.lang,)
    opts = Options(year=args.year, data_dir=data_dir, output_dir=output_dir, langs=langs,
                   chapters=args.chapters, jobs=args.jobs, force=args.force)
    unchanged = f"the last good outputs in {_shown(args.output_dir / str(args.year))} are unchanged"
    try:
        with build_lock(output_dir, args.year, wait=args.wait):
            live = output_dir / str(args.year)
            clear_debris(output_dir, args.year)
            before = _identity(live)
            try:
                missing = build_problems(data_dir, args.year)
                if missing:   # reported with every other problem of the inputs
                    from gihi.model.validate import validate_inputs
                    raise DataError(validate_inputs(data_dir, args.year) + missing)
                if args.data_only:
                    return _data_only(args, opts)
                return _full_build(args, opts)
            except KeyboardInterrupt:
                # nothing to resume from an interrupted build: its working copy goes; Ctrl-C between
                # the two renames of the swap puts the last good outputs back (after them, the
                # set-aside copy goes); then say which
                discard_stage(output_dir, args.year)
                clear_debris(output_dir, args.year)
                args.swapped = _identity(live) != before
                raise
    except BuildLocked as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except DataError as e:
        return _data_errors(e, output_dir, args.year)
    except BuildError as e:
        for p in e.problems:
            print(f"error: {p}", file=sys.stderr)
        print(f"error: build failed; {unchanged}", file=sys.stderr)
        return 1
    except OSError as e:   # the output directory failed under the build (disk full, permissions changed)
        where = f"{e.filename}: " if e.filename else ""
        print(f"error: {where}{e.strerror or e}; build failed; {unchanged}", file=sys.stderr)
        return 1


def _preview(args, data_dir: Path, output_dir: Path) -> int:
    """``--preview``: open the edition (the last build's saved copy when its data are current),
    then serve it until Ctrl-C."""
    if not 0 <= args.port <= 65535:
        print(f"error: --port must be between 0 and 65535 (got {args.port})", file=sys.stderr)
        return 2
    from gihi.model.edition import open_edition
    from gihi.pipeline.preview import run
    try:
        ed = open_edition(args.year, data_dir)
    except DataError as e:
        return _data_errors(e, output_dir, args.year)
    try:
        run(ed, "bi" if args.lang == "all" else args.lang, output_dir, args.port)
    except KeyboardInterrupt:   # Ctrl-C is how a preview ends
        print("preview: stopped", file=sys.stderr)
        return 0
    except OSError as e:   # the port is taken, or the output directory cannot be written
        print(f"error: preview: {e.strerror or e}{f' (port {args.port})' if e.errno in (98, 48) else ''}", file=sys.stderr)
        return 1
    return 0


def _identity(path: Path) -> tuple | None:
    """What tells one ``<output>/<year>`` directory from its replacement (inode and device)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_dev


def build_problems(data_dir: Path, year: int) -> list:
    """What a build needs of the inputs beyond what opening the edition checks: every UI string the
    code uses (:func:`strings_problems`), and with GII data the edition's pairing of cities and
    GII clusters (the data step and chapter 09_gii compare the two; an edition opened for analysis
    alone may lack it)."""
    from gihi.core.errors import Problem
    from gihi.core.paths import meta_path
    from gihi.model.validate import TEXT_FORMATS
    problems = strings_problems(data_dir, year)
    gii = Path(data_dir) / "gii"
    mapping = meta_path(data_dir, "gii_mapping.csv", year)
    if gii.is_dir() and not mapping.is_file() and any(p.is_file() and p.suffix.lower() in TEXT_FORMATS
                                                      for p in gii.rglob("*")):
        problems.append(Problem(f"{year}/meta/gii_mapping.csv", None, None, "no file",
                                "the pairing of the edition's cities with the GII clusters, which the build "
                                "compares (the data has GII files under gii/)"))
    return problems


def strings_problems(data_dir: Path, year: int) -> list:
    """Every UI-string key the code uses (the keys of the repository's own strings files) that
    the data directory's strings files do not define: the build would stop at the first one it
    needed. Files that cannot be read are left to validation, which reports them."""
    from gihi.core.errors import Problem
    from gihi.core.paths import DATA_DIR, meta_path
    from gihi.model.strings import STRINGS_FILE, string_files

    def keys(base: Path) -> dict[str, str] | None:
        out: dict[str, str] = {}
        files = string_files(base)
        files[0] = meta_path(base, STRINGS_FILE, year)   # <year>/meta/strings.csv replaces meta/strings.csv
        for p in files:
            try:
                with open(p, encoding="utf-8-sig", newline="") as f:
                    rows = list(csv.DictReader(f))
            except (OSError, UnicodeDecodeError, csv.Error):
                return None
            if rows and "key" not in rows[0]:
                return None
            rel = p.relative_to(base).as_posix()
            for r in rows:
                out.setdefault((r.get("key") or "").strip(), rel)
        return out

    data_dir = Path(data_dir)
    if os.path.realpath(data_dir) == os.path.realpath(DATA_DIR):
        return []
    mine, needed = keys(data_dir), keys(DATA_DIR)
    if mine is None or needed is None:
        return []
    main = meta_path(data_dir, STRINGS_FILE, year).relative_to(data_dir).as_posix()
    problems = []
    for key, rel in needed.items():
        if key and key not in mine:
            here = rel if (data_dir / rel).is_file() else main
            problems.append(Problem(here, None, "key", f"no row for {key!r}",
                                    f"every key the code uses (the repository's data/{rel} defines it)"))
    return problems


def _data_only(args, opts) -> int:
    from gihi.pipeline.build import data_only
    written = data_only(opts)
    for rel in dict.fromkeys(p.file for p in focus_problems(opts)):   # not an error for the data step, but said
        print(f"note: no data in {rel}: the focus chapters' tables are not written, and a full build would stop "
              f"before its notebooks", file=sys.stderr)
    print(f"data stage: wrote {len(written)} files to {_shown(args.output_dir / str(args.year))}")
    for p in written:
        print(f"  {p}")
    return 0


#: more problems than this are summarised on the terminal, and listed whole in a file
SHOWN = 40


def _data_errors(e: DataError, output_dir: Path | None = None, year: int | None = None) -> int:
    """One line per problem (exit 2); a long list is summarised by file and kind of problem, and
    written whole to ``<output-dir>/problems-<year>.txt``."""
    problems = e.problems
    if len(problems) <= SHOWN or output_dir is None:
        for p in problems:
            print(f"error: {p}", file=sys.stderr)
        return 2
    groups: dict[tuple, list] = {}
    for p in problems:   # row-level problems grouped by file, column and rule; file-level ones one by one
        groups.setdefault((p.file, p.column, p.expected) if p.row is not None else (id(p),), []).append(p)
    for key, ps in groups.items():
        if len(ps) == 1:
            print(f"error: {ps[0]}", file=sys.stderr)
            continue
        file, column, expected = key
        rows = [str(p.row) for p in ps if p.row is not None]
        where = file + (f", column {column}" if column else "")
        at = f" (rows {', '.join(rows[:5])}{', …' if len(rows) > 5 else ''})" if rows else ""
        print(f"error: {where}: {len(ps)} problems{at}, such as: found {ps[0].found}; expected {expected}", file=sys.stderr)
    path = Path(output_dir) / f"problems-{year}.txt"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{p}\n" for p in problems), encoding="utf-8")
        print(f"error: {len(problems)} problems in all, listed one per line in {path}", file=sys.stderr)
    except OSError as err:
        print(f"error: {len(problems)} problems in all (the full list could not be written to {path}: {err.strerror})",
              file=sys.stderr)
    return 2


def _init(args, data_dir: Path) -> int:
    from gihi.model.scaffold import init_edition
    try:
        written = init_edition(data_dir, args.year)
    except DataError as e:
        return _data_errors(e)
    base = Path(args.data_dir) / str(args.year)
    print(f"started the {args.year} edition in {_shown(base)} ({len(written)} files); the checklist: {base / 'README.md'}")
    print(f"next: fill in the data, then run report_build.py --year {args.year} --data-only to see what is missing")
    return 0


def preflight(opts) -> list:
    """What a full build needs besides valid data, checked before anything runs: the editors'
    content files, and the data of the focus chapters to be built."""
    from gihi.report.content import content_problems
    return list(content_problems(opts.root / "content", opts.year)) + focus_problems(opts)


def focus_problems(opts) -> list:
    """The data directories of the focus chapters that are missing or empty (an empty directory
    counts as absent: git keeps none)."""
    from gihi.core.errors import Problem
    from gihi.report.chapters import CHAPTERS, OPTIONAL_DATA, data_inputs
    optional = {p.format(year=opts.year) for p in OPTIONAL_DATA}
    problems = []
    for ch in CHAPTERS:
        for rel in data_inputs(ch, opts.year):
            path = Path(opts.data_dir) / rel
            if rel.startswith(f"{opts.year}/") and rel != f"{opts.year}/indicators.csv" and rel not in optional and not (
                    path.is_dir() and any(q.is_file() for q in path.iterdir())):
                problems.append(Problem(f"{rel}/", None, None, "no files" if path.is_dir() else "no directory",
                                        f"the data of chapter {ch} (data/README.md)"))
    return problems


def _full_build(args, opts) -> int:
    from gihi.pipeline.build import build_report, edition_path, summary
    problems = preflight(opts)
    if problems:
        return _data_errors(DataError(problems), opts.output_dir, opts.year)
    manifest = build_report(opts, log=lambda line: print(line, flush=True))
    print(summary(manifest))
    for lang in opts.langs:
        print(f"  {edition_path(args.output_dir, args.year, lang)}")
    return 0
