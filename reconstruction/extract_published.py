"""Extract the published 2023 result tables from the report text.

Reads the report text (default: ../shared/seeds/000_2001bde7808e1843.txt) and
writes ``data/2023/published/{composite,mini,science,highland,ecosystem}.csv``.
These are the published results that the reconstruction targets and the tests
compare against; the engine never reads them.
"""
from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SEED = ROOT.parent / "shared" / "seeds" / "000_2001bde7808e1843.txt"
NUM = r"(\d+\.\d{2})"


def norm_name(name: str) -> str:
    """Canonical Chinese city name: no whitespace, en dash -> '-'."""
    return re.sub(r"\s+", "", name).replace("–", "-")


def section(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i:text.index(end, i)]


def rank_table(block: str) -> list[dict]:
    """Tables 2 and 4: name, then (score, rank) for composite, A, B, C."""
    pat = re.compile(rf"^(\D+?)\s+{NUM}\s+(\d+)\s+{NUM}\s+(\d+)\s+{NUM}\s+(\d+)\s+{NUM}\s+(\d+)\s*$")
    rows = []
    for line in block.splitlines():
        m = pat.match(line.strip())
        if m:
            g = m.groups()
            rows.append({"name_zh": norm_name(g[0]),
                         "composite": g[1], "composite_rank": g[2],
                         "A": g[3], "A_rank": g[4], "B": g[5], "B_rank": g[6],
                         "C": g[7], "C_rank": g[8]})
    return rows


def pillar_table(block: str, pillar: str) -> list[dict]:
    """Tables 5, 8, 10: rank, name, pillar score, four sub-pillar scores."""
    pat = re.compile(rf"^(\d+)\s+(\D+?)\s+{NUM}\s+{NUM}\s+{NUM}\s+{NUM}\s+{NUM}\s*$")
    rows = []
    for line in block.splitlines():
        m = pat.match(line.strip())
        if m:
            g = m.groups()
            row = {"rank": g[0], "name_zh": norm_name(g[1]), pillar: g[2]}
            row.update({f"{pillar}{k}": v for k, v in zip(range(1, 5), g[3:])})
            rows.append(row)
    return rows


def extract(text: str) -> dict[str, list[dict]]:
    return {
        "composite": rank_table(section(text, "2.1\n排名结果", "2.2\n综合分析")),
        "mini": rank_table(section(text, "表 4\n\n城市", "GIHI2023 微型国际科技创新中心排名表 4")),
        "science": pillar_table(section(text, "发展模式图-科学中心", "美国在科学中心的建设方面"), "A"),
        "highland": pillar_table(section(text, "4.1\n创新高地综合分析", "创新高地排名中"), "B"),
        "ecosystem": pillar_table(section(text, "5.1\n创新生态综合分析", "创新生态排名旧金山"), "C"),
    }


EXPECTED = {"composite": 100, "mini": 11, "science": 100, "highland": 100, "ecosystem": 100}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=Path, default=DEFAULT_SEED)
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "2023" / "published")
    args = ap.parse_args()
    tables = extract(args.seed.read_text(encoding="utf-8"))
    args.out.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        if len(rows) != EXPECTED[name]:
            raise SystemExit(f"{name}: found {len(rows)} rows, expected {EXPECTED[name]}")
        rank_key = "composite_rank" if "composite_rank" in rows[0] else "rank"
        rows.sort(key=lambda r: int(r[rank_key]))
        with open(args.out / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
        print(f"{name}: {len(rows)} rows")


if __name__ == "__main__":
    main()
