"""gihi.publish.data_files.write_focus_exports, the focus chapters' data outputs: file names,
columns, row order, stated values (2023: the report's figures) and byte-identical reruns."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import factory as F
from gihi import open_edition
from gihi.publish.data_files import write_focus_exports

COLUMNS = {
    "discipline_cities.csv": ["id", "name_zh", "name_en", "rank", "n_top10", "n_champion", "mean_hcp_ratio",
                              "papers_total", "papers_cagr", "superstar", "emerging"],
    "discipline_scores.csv": ["id", "discipline", "hcp", "score", "rank"],
    "ai_patents.csv": ["id", "name_zh", "name_en", "valid", "valid_rank", "hq", "hq_rank", "pct", "pct_rank",
                       "triadic", "triadic_rank", "cagr_long", "cagr_recent"],   # windows of 2023/meta/edition.yaml
    "ipc_hotfields.csv": ["rank", "ipc", "label_zh", "label_en", "hq_patents", "share_pct"],
}


@pytest.fixture(scope="module")
def out(tmp_path_factory, real_edition) -> Path:
    d = tmp_path_factory.mktemp("focus")
    written = write_focus_exports(real_edition, d)
    assert [p.name for p in written] == list(COLUMNS) and all(p.parent == d for p in written)
    return d


def read(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / name, dtype={"discipline": str}, encoding="utf-8")


def test_columns_rows_and_format(out):
    rows = {"discipline_cities.csv": 33, "discipline_scores.csv": 119 * 22, "ai_patents.csv": 119, "ipc_hotfields.csv": 30}
    for name, cols in COLUMNS.items():
        raw = (out / name).read_bytes()
        assert b"\r" not in raw and raw.endswith(b"\n")
        df = read(out, name)
        assert list(df.columns) == cols and len(df) == rows[name], name


def test_byte_identical_rerun(out, tmp_path, real_edition):
    write_focus_exports(real_edition, tmp_path)
    for name in COLUMNS:
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_byte_identical_from_separately_opened_editions(synthetic_root, tmp_path):
    """Two editions opened from the same files (each computing its results) write the same bytes."""
    for d in ("a", "b"):
        write_focus_exports(open_edition(F.YEAR, synthetic_root), tmp_path / d)
    for name in COLUMNS:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    df = read(tmp_path / "a", "ai_patents.csv")
    assert list(df.columns) == COLUMNS["ai_patents.csv"] and len(df) == 13
    assert len(read(tmp_path / "a", "discipline_scores.csv")) == 13 * len(F.DISCIPLINES)
    assert len(read(tmp_path / "a", "ipc_hotfields.csv")) == len(F.IPC_GROUPS)


def test_discipline_cities(out):
    df = read(out, "discipline_cities.csv")
    assert list(df["id"].head(3)) == ["san-francisco-san-jose", "boston", "new-york"]
    assert list(df["rank"]) == sorted(df["rank"])
    first = df.iloc[0]
    assert (first["name_zh"], first["n_top10"], first["mean_hcp_ratio"]) == ("旧金山-圣何塞", 22, 1.75)
    assert df["superstar"].sum() == 6 and df["emerging"].sum() == 9
    assert set(df["superstar"].astype(str)) == {"True", "False"}
    ny = df.set_index("id").loc["new-york"]
    assert ny["n_champion"] == 8
    assert round(df["papers_cagr"].mean(), 1) == 6.1


def test_discipline_scores(out):
    df = read(out, "discipline_scores.csv")
    assert df["score"].between(60, 100).all()
    first = df.iloc[0]
    assert (first["discipline"], first["rank"], first["score"]) == ("30", 1, 100.0)
    # ordered by discipline (meta order), rank, id
    key = list(zip(df["discipline"].astype(int), df["rank"], df["id"]))
    assert key == sorted(key)


def test_ai_patents(out):
    df = read(out, "ai_patents.csv").set_index("id")
    assert list(df.index[:5]) == ["beijing", "greater-bay-area", "tokyo", "seoul", "san-francisco-san-jose"]
    bj, tk = df.loc["beijing"], df.loc["tokyo"]
    assert (bj["valid"], bj["valid_rank"], bj["pct"]) == (26638, 1, 1608)
    assert (tk["hq"], tk["hq_rank"], tk["pct"], tk["pct_rank"], tk["triadic_rank"]) == (10688, 1, 4222, 1, 1)
    assert round(bj["cagr_recent"], 1) == 77.0          # 2020–2022
    assert round(df.loc["greater-bay-area", "cagr_recent"], 1) == 92.4


def test_ipc_hotfields(out):
    df = read(out, "ipc_hotfields.csv")
    assert list(df["rank"]) == list(range(1, 31))
    top, last = df.iloc[0], df.iloc[-1]
    assert (top["ipc"], top["label_zh"], top["hq_patents"], round(top["share_pct"], 2)) == ("G06N-0003", "基于生物学模型的计算机系统", 29514, 24.85)
    assert (last["ipc"], last["hq_patents"], round(last["share_pct"], 2)) == ("G06F-0007", 3611, 3.04)
