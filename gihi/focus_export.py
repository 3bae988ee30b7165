"""Data outputs of the two focus chapters, written next to the index outputs.

:func:`write_focus_exports` writes four UTF-8 CSV files (``\\n`` line ends, floats rounded to
4 decimals, deterministic row order) to ``out_dir``:

* ``discipline_cities.csv`` — ``id, name_zh, name_en, rank, n_top10, n_champion, mean_hcp_ratio,
  papers_total, papers_cagr, superstar, emerging``: one row per discipline-source city in list
  order; ``mean_hcp_ratio`` and ``papers_cagr`` (first → last publication year) in percent,
  ``superstar`` / ``emerging`` are ``true`` / ``false``;
* ``discipline_scores.csv`` — ``id, discipline, hcp, score, rank``: every city × discipline,
  ordered by discipline (meta order), rank, id;
* ``ai_patents.csv`` — ``id, name_zh, name_en, valid, valid_rank, hq, hq_rank, pct, pct_rank,
  triadic, triadic_rank, cagr_2012_2020, cagr_2020_2022``: one row per city ordered by valid
  rank then id; growth rates of the yearly valid flows in percent (empty when undefined);
* ``ipc_hotfields.csv`` — ``rank, ipc, label_zh, label_en, hq_patents, share_pct``.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import ai_patents as ai
from . import disciplines as dm
from . import focus_data as fd

DECIMALS = 4
HOTFIELDS_N = 30


def _write(df: pd.DataFrame, path: Path) -> Path:
    df.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path


def _flag(s: pd.Series) -> pd.Series:
    return s.map({True: "true", False: "false"})


def discipline_tables(data_dir: Path, year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``discipline_cities`` and ``discipline_scores`` tables (unrounded)."""
    cities = fd.load_focus_cities(data_dir)
    meta = fd.load_discipline_meta(data_dir)
    papers = fd.load_disciplines(data_dir, year)
    totals = dm.city_discipline_totals(papers, ids=list(cities["id"]), disciplines=list(meta["code"]))
    scores = dm.discipline_scores(totals)
    listing = dm.source_list(scores, dm.mean_hcp_ratio(totals))
    growth = dm.paper_cagr(papers)
    stars = set(dm.superstars(listing))
    emerging = set(dm.emerging_cities(listing, growth)["id"])
    names = cities.set_index("id")
    out = listing.copy()
    out["name_zh"] = out["id"].map(names["name_zh"])
    out["name_en"] = out["id"].map(names["name_en"])
    out["mean_hcp_ratio"] = 100 * out["mean_hcp_ratio"]
    out["papers_total"] = out["id"].map(totals.groupby("id")["papers"].sum()).astype("int64")
    out["papers_cagr"] = 100 * out["id"].map(growth)
    out["superstar"] = out["id"].isin(stars)
    out["emerging"] = out["id"].isin(emerging)
    cols = ["id", "name_zh", "name_en", "rank", "n_top10", "n_champion", "mean_hcp_ratio", "papers_total",
            "papers_cagr", "superstar", "emerging"]
    order = {c: i for i, c in enumerate(meta["code"])}
    sc = scores.assign(_o=scores["discipline"].map(order))
    sc = sc.sort_values(["_o", "rank", "id"], kind="mergesort").drop(columns="_o").reset_index(drop=True)
    return out[cols], sc[["id", "discipline", "hcp", "score", "rank"]]


def ai_tables(data_dir: Path, year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``ai_patents`` and ``ipc_hotfields`` tables (unrounded)."""
    cities = fd.load_focus_cities(data_dir)
    patents = fd.load_ai_patents(data_dir, year)
    totals = ai.city_totals(patents, ids=list(cities["id"]))
    totals["cagr_2012_2020"] = 100 * totals["id"].map(ai.growth(patents, 2012, 2020))
    totals["cagr_2020_2022"] = 100 * totals["id"].map(ai.growth(patents, 2020, 2022))
    names = cities.set_index("id")
    totals["name_zh"] = totals["id"].map(names["name_zh"])
    totals["name_en"] = totals["id"].map(names["name_en"])
    cols = ["id", "name_zh", "name_en", "valid", "valid_rank", "hq", "hq_rank", "pct", "pct_rank",
            "triadic", "triadic_rank", "cagr_2012_2020", "cagr_2020_2022"]
    out = totals.sort_values(["valid_rank", "id"], kind="mergesort").reset_index(drop=True)[cols]
    universe = fd.load_ai_universe(data_dir, year)
    hot = ai.hotfields(fd.load_ipc_universe(data_dir, year), fd.load_ipc_groups(data_dir),
                       int(universe["hq_patents"]), n=HOTFIELDS_N)
    return out, hot[["rank", "ipc", "label_zh", "label_en", "hq_patents", "share_pct"]]


def write_focus_exports(data_dir: Path, year: int, out_dir: Path) -> list[Path]:
    """Load the focus-chapter data of ``year``, run the analytics and write the four CSV files."""
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cities, scores = discipline_tables(data_dir, year)
    patents, hot = ai_tables(data_dir, year)
    cities = cities.round({"mean_hcp_ratio": DECIMALS, "papers_cagr": DECIMALS})
    cities["superstar"], cities["emerging"] = _flag(cities["superstar"]), _flag(cities["emerging"])
    scores = scores.round({"score": DECIMALS})
    patents = patents.round({"cagr_2012_2020": DECIMALS, "cagr_2020_2022": DECIMALS})
    hot = hot.round({"share_pct": DECIMALS})
    return [
        _write(cities, out_dir / "discipline_cities.csv"),
        _write(scores, out_dir / "discipline_scores.csv"),
        _write(patents, out_dir / "ai_patents.csv"),
        _write(hot, out_dir / "ipc_hotfields.csv"),
    ]
