"""Starting a new edition: ``report_build.py --year <year> --init`` (``docs/annual.md``).

:func:`init_edition` creates ``data/<year>/`` from the latest edition before it, and nothing else:

* ``meta/`` — that edition's own metadata, copied for the editor to update (the tree and weights,
  the indicators' periods and sources, the city set, the GII mapping, ``edition.yaml``);
* ``indicators.csv`` — one row per city × indicator, every value empty (provenance ``missing``);
* the focus chapters' files with their headers only;
* ``README.md`` — the checklist: what to fill in, and where each number comes from.

It refuses a year that exists (a year's data are never overwritten) and writes the directory
whole or not at all (built next to it, then renamed).
"""
from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from pathlib import Path

from gihi.core.errors import DataError, Problem
from gihi.core.paths import META, available_years
from gihi.model import focus_data as fd
from gihi.model.io import read_table

INDICATOR_COLUMNS = ["id", "code", "value", "provenance", "note"]


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def checklist(year: int, prev: int, indicators, n_cities: int) -> str:
    """The new edition's README: the steps, then every indicator with its period and source."""
    lines = [
        f"# The {year} edition: checklist",
        "",
        f"Started from the {prev} edition by `report_build.py --year {year} --init`. Fill in and check, in this order:",
        "",
        f"1. `meta/cities.csv` — the city set of {year}: add, remove or regroup cities (`group`: main or mini).",
        "   A city's `id` must stay the same from one edition to the next, so that its ranks can be compared.",
        "2. `meta/tree.csv` — the pillars, sub-pillars and their weights (each parent's weights sum to 1).",
        "3. `meta/indicators.csv` — for each indicator: its period (`period_zh`, `period_en`), definition and",
        "   source, and its plausible range (`plausible_min`, `plausible_max`: a value outside it is refused).",
        "4. `meta/edition.yaml` — the GII edition to compare with (`gii_edition`; left out, the latest one is",
        "   used), the publication years of the focus chapters' data, the AI-patent stages and growth windows.",
        "5. `meta/gii_mapping.csv` — the GIHI city ↔ GII cluster pairings of the GII edition compared.",
        "   The index method's rules (the data screen, the score range, the standard deviation) are shared, in",
        "   `data/meta/method.yaml`; to change them for this edition only, copy it to `meta/` and edit the copy.",
        f"6. `indicators.csv` — one row per city × indicator ({n_cities} cities × {len(indicators)} indicators):",
        "   `value` in the indicator's unit (empty while missing), `provenance` published / derived / imputed",
        "   (missing while empty), `note` for anything a reviewer should know. Sources below.",
        "7. `disciplines/papers.csv` and `ai_patents/*.csv` — the focus chapters' data (`data/README.md`).",
        f"8. Run `report_build.py --year {year} --data-only`: it lists what is still missing or wrong (exit 2),",
        f"   then, when the data are complete, writes `output/{year}/data/`, including `data_review.csv`: the values",
        f"   that changed more than tenfold since {prev}, appeared or disappeared, or moved a city more than 20",
        "   places. Check each against its source before building the report (`docs/annual.md`).",
        "",
        "## Indicators: period and source (Appendix 2)",
        "",
        "| code | indicator | unit | period | source |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in indicators.itertuples(index=False):
        lines.append(f"| {r.code} | {r.name_en} | {r.unit_en} | {r.period_en} | {r.source_en} |")
    return "\n".join(lines) + "\n"


def init_edition(data_dir: str | os.PathLike, year: int) -> list[Path]:
    """Create ``<data_dir>/<year>/`` from the latest earlier edition; returns the files written.
    Raises :class:`DataError` (nothing written) when the year exists or no earlier edition does."""
    root = Path(data_dir)
    target = root / str(int(year))
    if target.exists():
        raise DataError([Problem(f"{year}/", None, None, "a directory that exists",
                                 f"a year not started yet: --init never overwrites a year's data (remove or rename "
                                 f"{target} first if you mean to start again)")])
    earlier = [y for y in available_years(root) if y < int(year)]
    if not earlier:
        raise DataError([Problem(f"{year}/", None, None, "no earlier edition in the data directory",
                                 "an edition to start from (data/<year>/ of an earlier year)")])
    prev = max(earlier)
    src = root / str(prev) / META
    tmp = Path(tempfile.mkdtemp(prefix=f".{year}.init-", dir=root))
    try:
        (tmp / META).mkdir()
        for p in sorted(src.glob("*")) if src.is_dir() else []:
            if p.is_file():
                shutil.copy2(p, tmp / META / p.name)
        meta = lambda name: tmp / META / name if (tmp / META / name).is_file() else root / META / name  # noqa: E731
        cities = read_table(meta("cities.csv"))
        indicators = read_table(meta("indicators.csv"))
        rows = [INDICATOR_COLUMNS] + [[cid, code, "", "missing", ""] for cid in cities["id"] for code in indicators["code"]]
        (tmp / "indicators.csv").write_text(_csv(rows), encoding="utf-8")
        for rel, columns, _ in fd.FOCUS_FILES.values():
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp / rel).write_text(_csv([columns]), encoding="utf-8")
        (tmp / "README.md").write_text(checklist(int(year), prev, indicators, len(cities)), encoding="utf-8")
        os.chmod(tmp, 0o755)
        os.rename(tmp, target)   # fails, leaving nothing, if the year appeared meanwhile
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return sorted(p for p in target.rglob("*") if p.is_file())


__all__ = ["init_edition", "checklist"]
