"""Aggregate record-level exports (one row per paper or patent) into the focus-chapter tables.

The analytics in :mod:`gihi.disciplines` and :mod:`gihi.ai_patents` only read the aggregated
tables; these DuckDB functions build them from record-level data, so the analytics do not change
when the source does. ``source`` is a pandas DataFrame or the path of a CSV or Parquet file.

* :func:`aggregate_paper_records` — columns ``city_id, discipline, year, is_hcp`` (and optionally
  ``paper_id``) → ``id, discipline, year, papers, hcp, provenance``. With ``paper_id`` a paper
  is counted once per city × discipline × year however many of the city's addresses it carries
  (Appendix 8: sub-cities of one metropolitan area are not double counted); without it every
  row counts.
* :func:`aggregate_patent_records` — columns ``city_id, year, is_valid, is_pct, is_triadic,
  is_hq`` (and optionally ``patent_id``) → ``id, year, valid, pct, triadic, hq, provenance``.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

PAPER_COLUMNS = ["city_id", "discipline", "year", "is_hcp"]
PATENT_COLUMNS = ["city_id", "year", "is_valid", "is_pct", "is_triadic", "is_hq"]


def _relation(con: duckdb.DuckDBPyConnection, source, required: list[str]) -> list[str]:
    """Register ``source`` as view ``records``; return its columns (checking the required ones)."""
    if isinstance(source, pd.DataFrame):
        con.register("records", source)
    else:
        path = str(Path(source))
        rel = con.read_parquet(path) if path.lower().endswith(".parquet") else con.read_csv(path)
        rel.create_view("records")
    cols = [r[0] for r in con.execute("DESCRIBE records").fetchall()]
    missing = [c for c in required if c not in cols]
    if missing:
        raise ValueError(f"record table: missing column(s) {', '.join(missing)}; required {', '.join(required)}")
    return cols


def _count(flag: str | None, key: str | None) -> str:
    if key:
        inner = key if flag is None else f"CASE WHEN CAST({flag} AS BOOLEAN) THEN {key} END"
        return f"CAST(COUNT(DISTINCT {inner}) AS BIGINT)"
    if flag is None:
        return "CAST(COUNT(*) AS BIGINT)"
    return f"CAST(COALESCE(SUM(CAST(CAST({flag} AS BOOLEAN) AS INTEGER)), 0) AS BIGINT)"


def aggregate_paper_records(source, provenance: str = "derived") -> pd.DataFrame:
    """Papers and highly cited papers per city × discipline × year from paper records."""
    con = duckdb.connect()
    try:
        cols = _relation(con, source, PAPER_COLUMNS)
        key = "paper_id" if "paper_id" in cols else None
        sql = f"""
            SELECT CAST(city_id AS VARCHAR) AS id, CAST(discipline AS VARCHAR) AS discipline,
                   CAST(year AS BIGINT) AS year,
                   {_count(None, key)} AS papers, {_count("is_hcp", key)} AS hcp
            FROM records GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"""
        out = con.execute(sql).df()
    finally:
        con.close()
    out["provenance"] = provenance
    return out.astype({"id": str, "discipline": str, "year": "int64", "papers": "int64", "hcp": "int64"})


def aggregate_patent_records(source, provenance: str = "derived") -> pd.DataFrame:
    """Valid, PCT, triadic and high-quality patents per city × publication year from patent records."""
    con = duckdb.connect()
    try:
        cols = _relation(con, source, PATENT_COLUMNS)
        key = "patent_id" if "patent_id" in cols else None
        sql = f"""
            SELECT CAST(city_id AS VARCHAR) AS id, CAST(year AS BIGINT) AS year,
                   {_count("is_valid", key)} AS valid, {_count("is_pct", key)} AS pct,
                   {_count("is_triadic", key)} AS triadic, {_count("is_hq", key)} AS hq
            FROM records GROUP BY 1, 2 ORDER BY 1, 2"""
        out = con.execute(sql).df()
    finally:
        con.close()
    out["provenance"] = provenance
    return out.astype({"id": str, "year": "int64", "valid": "int64", "pct": "int64", "triadic": "int64", "hq": "int64"})
