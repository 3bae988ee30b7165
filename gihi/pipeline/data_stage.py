"""The build's first step: open the edition (validate every input once), compute every result the
report uses once, and write the data outputs and the saved edition.

``<output>/<year>/data/`` (the index's CSV files, the focus tables, ``uncertainty.csv``,
``gii_benchmark.csv``), the downloads (``GIHI-<year>-data.xlsx``, ``downloads/*.csv``) and
``<output>/<year>/edition/`` (:meth:`gihi.model.edition.Edition.save`: what the chapter kernels,
the renders and the profiles read instead of recomputing).
"""
from __future__ import annotations

import sys
from pathlib import Path

from gihi.analysis import ai_patents as ai
from gihi.analysis import audit, changes, gii
from gihi.analysis import disciplines as dm
from gihi.core.files import staged, write_csv
from gihi.core.paths import available_years
from gihi.model.edition import STORE_DIR, Edition, open_edition
from gihi.model.history import HISTORY_FILE
from gihi.publish.data_files import write_data_outputs, write_focus_exports
from gihi.publish.downloads import write_downloads


def _shown(path: Path) -> str:
    s = str(path)
    return s if s.endswith("/") else s + "/"


def complete(ed: Edition) -> bool:
    """Whether the edition has what the audit, the GII benchmark and the downloads need (the
    history of earlier ranks)."""
    return ed.has_history


def has_gii(ed: Edition) -> bool:
    return any(name.startswith(f"{gii.GII_DIR}/") for name in [*ed.tables.frames, *ed.tables.configs])


def compute_all(ed: Edition) -> Edition:
    """Compute, once, every result the report uses (each is kept with the edition)."""
    ed.index, ed.patterns, ed.flows
    changes.history(ed), changes.rank_changes(ed), changes.drivers(ed), changes.same_method(ed), changes.comparison(ed)
    changes.city_names(ed)
    changes.data_review(ed)
    if ed.disciplines is not None:
        dm.results(ed)
    if ed.ai_patents is not None:
        ai.results(ed)
    if complete(ed):
        audit.uncertainty_frame(ed)
        audit.sensitivity_frame(ed)
        audit.consistency(ed)
        if has_gii(ed):
            gii.benchmark(ed)
    return ed


REVIEW_FILE = "data_review.csv"


def write_change_outputs(ed: Edition, out_dir: Path) -> list[Path]:
    """``rank_changes.csv``, ``change_drivers.csv``, ``data_review.csv`` (and, when the method
    changed since the previous edition, ``rank_changes_same_method.csv``): see
    :mod:`gihi.analysis.changes` and ``docs/annual.md``."""
    written = [write_csv(changes.rank_changes(ed), out_dir / "rank_changes.csv"),
               write_csv(changes.drivers(ed).round({"contribution": 6}), out_dir / "change_drivers.csv"),
               write_csv(changes.data_review(ed), out_dir / REVIEW_FILE)]
    same = changes.same_method(ed)
    if len(same):
        written.append(write_csv(same, out_dir / "rank_changes_same_method.csv"))
    return written


def review_line(ed: Edition, path: Path) -> str:
    """The terminal's one line on the data review (``path``: the review file, relative to the output directory)."""
    c = changes.comparison(ed)
    if not c["computed"]:
        return f"data review: no earlier edition's data in {ed.root} to compare the values with"
    n = len(changes.data_review(ed))
    if n == 0:
        return f"data review: no value to check against the {c['prev_year']} data"
    return (f"data review: {n} value{'s' if n != 1 else ''} to check against the {c['prev_year']} data (changed more than "
            f"{changes.REVIEW_RATIO:g}-fold, present or missing in only one edition, or a city moved more than "
            f"{changes.REVIEW_JUMP} places): {path} in the output directory")


def run_data_stage(data_dir: Path, year: int, output_dir: Path, log=print) -> tuple[Edition, list[Path]]:
    """Open, compute and write; returns the edition and the files written.

    Raises :class:`~gihi.core.errors.DataError` on invalid input, in which case nothing is
    written: every input file is validated first, before anything is computed.
    """
    ed = open_edition(year, data_dir)
    for w in ed.warnings:
        print(f"warning: {w}", file=sys.stderr)
    for row in ed.index.excluded.itertuples(index=False):
        print(f"warning: {row.id} ({row.group}) not scored: {row.reason}", file=sys.stderr)
    compute_all(ed)
    base = Path(output_dir) / str(year)
    out_dir = base / "data"
    with staged(out_dir) as tmp:
        written = write_data_outputs(ed, tmp, atomic=False)
        written += write_change_outputs(ed, tmp)
        if ed.disciplines is not None and ed.ai_patents is not None:
            written += write_focus_exports(ed, tmp)
        if complete(ed):
            written.append(write_csv(audit.uncertainty_frame(ed), tmp / "uncertainty.csv"))
            if has_gii(ed):
                written.append(write_csv(gii.benchmark_frame(ed), tmp / "gii_benchmark.csv"))
        else:
            print(f"note: no {_shown(ed.root / HISTORY_FILE)}: uncertainty.csv, gii_benchmark.csv and the "
                  f"downloads (xlsx) are written for a complete dataset only", file=sys.stderr)
    written = [out_dir / Path(p).relative_to(tmp) for p in written]
    print(review_line(ed, Path(str(year)) / "data" / REVIEW_FILE), file=sys.stderr)
    if complete(ed):
        written += list(write_downloads(ed, base))
    with staged(base / STORE_DIR) as tmp:
        ed.save(tmp)
    written += sorted(p for p in (base / STORE_DIR).rglob("*") if p.is_file())
    return ed, written


__all__ = ["run_data_stage", "compute_all", "complete", "available_years"]
