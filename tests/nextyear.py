"""A synthetic next edition, made from the 2023 data: what an editor's 2024 would look like.

``make_next_edition(root)`` copies the repository's ``data/`` to ``root`` and adds ``2024/``:

* the 2023 values perturbed (seeded, multiplicative noise within each indicator's plausible range);
* one city removed (:data:`REMOVED`) and one added (:data:`ADDED`, values taken from a similar
  city, perturbed);
* one sub-pillar weight changed (A1 up, A3 down: :data:`WEIGHTS`);
* one value planted a thousand times too large (:data:`PLANTED`), inside its plausible range, for
  the data review to catch;
* the focus chapters' data of 2023 shifted one year later, with the periods of ``edition.yaml``;
* no ``published/`` (a new edition has no published results).

Run as a script it writes the directory and prints its path:
``python tests/nextyear.py /tmp/next`` then ``report_build.py --year 2024 --data-dir /tmp/next/data``.
"""
from __future__ import annotations

import csv
import io
import shutil
import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
YEAR, PREV = 2024, 2023
SEED = 20240101
REMOVED = "johannesburg"                       # a main-list city that leaves the list
ADDED = {"id": "lyon", "seq": "120", "name_zh": "里昂", "name_en": "Lyon", "country_iso3": "FRA", "group": "main",
         "lat": "45.76", "lon": "4.84"}        # a new main-list city...
ADDED_LIKE = "lyon-grenoble"                   # ...whose values start from this one's
WEIGHTS = {"A1": "0.35", "A3": "0.05"}         # science centre: A1 0.30 → 0.35, A3 0.10 → 0.05
PLANTED = ("melbourne", "I19", 1000.0)         # FDI entered a thousand times too large
NOISE = 0.25                                   # values move by up to about ±25 %


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _write(path: Path, rows: list[dict], fields: list[str]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _fields(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f))


def make_next_edition(root: Path) -> Path:
    """Write ``<root>/data`` (the repository's data plus a synthetic 2024); returns that path."""
    rng = np.random.default_rng(SEED)
    data = Path(root) / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("published"))
    prev, new = data / str(PREV), data / str(YEAR)
    (new / "meta").mkdir(parents=True)

    # metadata: the city set, the weights, the periods
    cities = [r for r in _read(prev / "meta" / "cities.csv") if r["id"] != REMOVED] + [ADDED]
    _write(new / "meta" / "cities.csv", cities, _fields(prev / "meta" / "cities.csv"))
    tree = _read(prev / "meta" / "tree.csv")
    for r in tree:
        r["weight"] = WEIGHTS.get(r["code"], r["weight"])
    _write(new / "meta" / "tree.csv", tree, _fields(prev / "meta" / "tree.csv"))
    shutil.copy2(prev / "meta" / "indicators.csv", new / "meta" / "indicators.csv")
    mapping = [r for r in _read(prev / "meta" / "gii_mapping.csv") if r["gihi_id"] != REMOVED]
    _write(new / "meta" / "gii_mapping.csv", mapping, _fields(prev / "meta" / "gii_mapping.csv"))
    settings = yaml.safe_load((prev / "meta" / "edition.yaml").read_text(encoding="utf-8"))
    for chapter in ("disciplines", "ai_patents"):
        settings[chapter]["years"] = [y + 1 for y in settings[chapter]["years"]]
    ai = settings["ai_patents"]
    ai["stages"] = [[s + 1, e + 1] for s, e in ai["stages"]]
    ai["city_growth"] = {k: [s + 1, e + 1] for k, (s, e) in ai["city_growth"].items()}
    ai["stock_chart_from"] += 1
    (new / "meta" / "edition.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")

    # the values: perturbed, the removed city dropped, the added one from a similar city
    bounds = {r["code"]: (float(r["plausible_min"]), float(r["plausible_max"]), r["kind"])
              for r in _read(prev / "meta" / "indicators.csv")}
    rows = _read(prev / "indicators.csv")
    like = [dict(r, id=ADDED["id"]) for r in rows if r["id"] == ADDED_LIKE]
    out = []
    for r in [r for r in rows if r["id"] != REMOVED] + like:
        v = r["value"]
        if v != "":
            lo, hi, kind = bounds[r["code"]]
            x = float(v) * float(np.exp(rng.uniform(-NOISE, NOISE)))
            if kind == "count":
                x = float(round(x))
            if (r["id"], r["code"]) == PLANTED[:2]:
                x = float(v) * PLANTED[2]
            x = min(max(x, lo), hi)
            v = repr(x)
            r = dict(r, value=v[:-2] if v.endswith(".0") else v, provenance="imputed", note="synthetic")
        out.append(r)
    _write(new / "indicators.csv", out, ["id", "code", "value", "provenance", "note"])

    # the focus chapters: one year later, without the removed city
    for folder in ("disciplines", "ai_patents"):
        for path in sorted((prev / folder).glob("*.csv")):
            fields = _fields(path)
            rs = [r for r in _read(path) if r.get("id") != REMOVED]
            for r in rs:
                if "year" in r:
                    r["year"] = str(int(r["year"]) + 1)
            _write(new / folder / path.name, rs, fields)
    return data


if __name__ == "__main__":   # pragma: no cover
    print(make_next_edition(Path(sys.argv[1])))
