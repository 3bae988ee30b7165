"""Data outputs of the build: CSV files in ``<output-dir>/<year>/data/``.

* ``index_scores.csv`` — ``id, name_zh, name_en, group, composite, composite_rank, A, A_rank, B,
  B_rank, C, C_rank, A1..A4, B1..B4, C1..C4``; main cities first by composite rank, then the
  mini-hubs by theirs (ties in cities.csv order); scores rounded to 4 decimals;
* ``indicators_raw.csv`` — ``id`` and the indicators in Table-1 order, values as the engine used
  them (empty = missing), rows in cities.csv order;
* ``indicator_tree.csv`` — ``code, pillar, subpillar, weight`` (the indicator's weight in the
  composite, 6 decimals);
* ``development_patterns.csv`` — ``id, group, A, B, C`` (Appendix 6, [0, 100], 4 decimals);
* ``flows.csv`` — ``id, group, agglomeration, radiation`` (Appendix 7, [0, 100], 4 decimals);
* ``excluded.csv`` — ``id, group, reason``: cities removed by the coverage screen (header only
  when none).

Files are UTF-8 with ``\\n`` line ends and are byte-identical for identical inputs. They are
written into a temporary directory next to ``out_dir`` that replaces ``out_dir`` only once every
file has been written (:func:`staged`).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from gihi.core.files import plain_number, staged, write_csv
from gihi.model.method.index import COMPOSITE, index_scores_table

SCORE_DECIMALS = 6   # index scores: enough to check the two-decimal rounding of every printed score
WEIGHT_DECIMALS = 6
FOCUS_DECIMALS = 4


def _rounded(frame: pd.DataFrame, columns: list[str], decimals: int) -> pd.DataFrame:
    out = frame.copy()
    for c in columns:
        out[c] = out[c].astype(float).round(decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    return out


def write_data_outputs(ed, out_dir: Path, atomic: bool = True) -> list[Path]:
    """Write the index's data outputs of the edition ``ed`` to ``out_dir`` and return their paths
    (under ``out_dir``). With ``atomic=False`` the files go straight into an existing ``out_dir``
    (used when the caller stages several writers together with :func:`staged`).
    """
    out_dir = Path(out_dir)
    if atomic:
        with staged(out_dir) as tmp:
            written = write_data_outputs(ed, tmp, atomic=False)
        return [out_dir / p.relative_to(tmp) for p in written]
    result, cities, tree, raw_wide = ed.index, ed.cities, ed.tree, ed.wide

    pillars, subs = list(tree.pillars["code"]), list(tree.subpillars["code"])
    score_fmt = f"%.{SCORE_DECIMALS}f"
    written = []

    scores = index_scores_table(result, cities, tree)
    written.append(write_csv(_rounded(scores, [COMPOSITE, *pillars, *subs], SCORE_DECIMALS), out_dir / "index_scores.csv", score_fmt))

    codes = tree.codes
    raw = raw_wide.reindex(index=list(cities["id"]), columns=codes).astype(float)
    raw.index.name = "id"
    written.append(write_csv(raw.reset_index(), out_dir / "indicators_raw.csv", plain_number))

    w = tree.composite_weights()
    tree_table = pd.DataFrame({
        "code": codes,
        "pillar": tree.indicators["pillar"].to_numpy(),
        "subpillar": tree.indicators["subpillar"].to_numpy(),
        "weight": [round(float(w[c]), WEIGHT_DECIMALS) for c in codes],
    })
    written.append(write_csv(tree_table, out_dir / "indicator_tree.csv", f"%.{WEIGHT_DECIMALS}f"))

    order = [i for i in cities["id"] if i in result.scores.index]
    pat = ed.patterns.loc[order].reset_index()
    written.append(write_csv(_rounded(pat, pillars, SCORE_DECIMALS), out_dir / "development_patterns.csv", score_fmt))
    fl = ed.flows.loc[order].reset_index()
    written.append(write_csv(_rounded(fl, ["agglomeration", "radiation"], SCORE_DECIMALS), out_dir / "flows.csv", score_fmt))

    written.append(write_csv(result.excluded[["id", "group", "reason"]], out_dir / "excluded.csv"))
    return written


def _flag(s: pd.Series) -> pd.Series:
    return s.map({True: "true", False: "false"})


def write_focus_exports(ed, out_dir: Path) -> list[Path]:
    """The focus chapters' data outputs, four UTF-8 CSV files (floats rounded to 4 decimals,
    deterministic row order) in ``out_dir``:

    * ``discipline_cities.csv`` — ``id, name_zh, name_en, rank, n_top10, n_champion, mean_hcp_ratio,
      papers_total, papers_cagr, superstar, emerging``: one row per discipline-source city in list
      order; ``mean_hcp_ratio`` and ``papers_cagr`` (first → last publication year) in percent,
      ``superstar`` / ``emerging`` are ``true`` / ``false``;
    * ``discipline_scores.csv`` — ``id, discipline, hcp, score, rank``: every city × discipline,
      ordered by discipline (meta order), rank, id;
    * ``ai_patents.csv`` — ``id, name_zh, name_en, valid, valid_rank, hq, hq_rank, pct, pct_rank,
      triadic, triadic_rank`` and the growth rates of the yearly valid flows in percent (empty when
      undefined): one row per city ordered by valid rank then id;
    * ``ipc_hotfields.csv`` — ``rank, ipc, label_zh, label_en, hq_patents, share_pct``.
    """
    from gihi.analysis import ai_patents as ai
    from gihi.analysis import disciplines as dm
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    d, a = dm.results(ed), ai.results(ed)
    cities = d["listing"].round({"mean_hcp_ratio": FOCUS_DECIMALS, "papers_cagr": FOCUS_DECIMALS})
    cities["superstar"], cities["emerging"] = _flag(cities["superstar"]), _flag(cities["emerging"])
    scores = d["score_table"].round({"score": FOCUS_DECIMALS})
    patents = a["table"].round({c: FOCUS_DECIMALS for c in a["table"].columns if c.startswith("cagr_")})
    hot = a["hotfields"][["rank", "ipc", "label_zh", "label_en", "hq_patents", "share_pct"]].round({"share_pct": FOCUS_DECIMALS})
    return [write_csv(cities, out_dir / "discipline_cities.csv"), write_csv(scores, out_dir / "discipline_scores.csv"),
            write_csv(patents, out_dir / "ai_patents.csv"), write_csv(hot, out_dir / "ipc_hotfields.csv")]
