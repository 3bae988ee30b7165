"""report_build.py end to end, on a synthetic data directory (real meta/, seeded random values)."""
import importlib.machinery
import shutil
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gihi.pipeline import cli

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "report_build.py"
SUBS = [f"{p}{k}" for p in "ABC" for k in range(1, 5)]
SCORE_COLUMNS = ["id", "name_zh", "name_en", "group", "composite", "composite_rank", "A", "A_rank", "B", "B_rank",
                 "C", "C_rank", *SUBS]
FILES = ["development_patterns.csv", "excluded.csv", "flows.csv", "index_scores.csv", "indicator_tree.csv",
         "indicators_raw.csv"]


def make_data(root: Path, seed: int = 2023) -> Path:
    shutil.copytree(ROOT / "data" / "meta", root / "meta")
    cities = pd.read_csv(root / "meta" / "cities.csv", dtype=str)["id"]
    codes = pd.read_csv(root / "meta" / "indicators.csv", dtype=str)["code"]
    rng = np.random.default_rng(seed)
    rows = []
    for cid in cities:
        for code in codes:
            missing = rng.random() < 0.03
            value = "" if missing else f"{rng.lognormal(2.5, 1.1):.2f}"
            rows.append((cid, code, value, "missing" if missing else "published", ""))
    (root / "2023").mkdir(parents=True)
    pd.DataFrame(rows, columns=["id", "code", "value", "provenance", "note"]).to_csv(
        root / "2023" / "indicators.csv", index=False, lineterminator="\n")
    return root


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return make_data(tmp_path_factory.mktemp("cli") / "data")


def test_data_only_outputs_and_determinism(data, tmp_path):
    out = tmp_path / "out"
    r = run("--year", "2023", "--data-only", "--data-dir", str(data), "--output-dir", str(out))
    assert r.returncode == 0, r.stderr
    d = out / "2023" / "data"
    assert sorted(p.name for p in d.iterdir()) == FILES
    assert "wrote 6 files" in r.stdout and "not implemented" not in r.stdout
    s = pd.read_csv(d / "index_scores.csv", dtype=str, keep_default_na=False)
    assert list(s.columns) == SCORE_COLUMNS
    assert s["group"].tolist() == sorted(s["group"].tolist())  # main first, then mini
    assert (s["group"] == "mini").sum() == 11
    raw = pd.read_csv(d / "indicators_raw.csv", dtype=str)
    assert list(raw.columns) == ["id", *[f"I{k:02d}" for k in range(1, 31)]] and len(raw) == 119
    assert list(pd.read_csv(d / "indicator_tree.csv").columns) == ["code", "pillar", "subpillar", "weight"]
    assert list(pd.read_csv(d / "development_patterns.csv").columns) == ["id", "group", "A", "B", "C"]
    assert list(pd.read_csv(d / "flows.csv").columns) == ["id", "group", "agglomeration", "radiation"]
    assert len(s) + len(pd.read_csv(d / "excluded.csv")) == 119

    first = {p.name: p.read_bytes() for p in d.iterdir()}
    r2 = run("--year", "2023", "--data-only", "--data-dir", str(data), "--output-dir", str(out))
    assert r2.returncode == 0, r2.stderr
    assert {p.name: p.read_bytes() for p in d.iterdir()} == first
    assert r2.stdout == r.stdout


def test_unknown_year_one_line(data, tmp_path):
    r = run("--year", "2019", "--data-dir", str(data), "--output-dir", str(tmp_path / "out"))
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"error: no data for year 2019 in {data}/; available years: 2023"]
    assert not (tmp_path / "out").exists()


def test_data_error_leaves_output_untouched(data, tmp_path):
    out = tmp_path / "out"
    assert run("--year", "2023", "--data-only", "--data-dir", str(data), "--output-dir", str(out)).returncode == 0
    before = {p.name: p.read_bytes() for p in (out / "2023" / "data").iterdir()}
    bad = tmp_path / "bad"
    shutil.copytree(data, bad)
    f = bad / "2023" / "indicators.csv"
    lines = f.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("I03", "I99")  # data row 3
    lines[5] = "atlantis,I05,x,published,"     # data row 5: unknown id and non-numeric value
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run("--year", "2023", "--data-only", "--data-dir", str(bad), "--output-dir", str(out))
    assert r.returncode == 2
    assert r.stderr.splitlines() == [
        "error: 2023/indicators.csv, row 3, column code: found 'I99'; expected an indicator code from meta/indicators.csv",
        "error: 2023/indicators.csv, row 5, column id: found 'atlantis'; expected a city id from meta/cities.csv",
        "error: 2023/indicators.csv, row 5, column value: found 'x'; expected a number, or an empty cell for a missing value",
    ]
    assert {p.name: p.read_bytes() for p in (out / "2023" / "data").iterdir()} == before
    assert sorted(p.name for p in (out / "2023").iterdir()) == ["data"]


def test_bad_build_options_exit_2_with_one_line(data, tmp_path):
    r = run("--year", "2023", "--chapters", "02_science,nope", "--output-dir", str(tmp_path / "out"))
    assert r.returncode == 2 and "unknown chapter 'nope'; chapters: 01_overview" in r.stderr
    r = run("--year", "2023", "--jobs", "0", "--output-dir", str(tmp_path / "out"))
    assert r.returncode == 2 and r.stderr.strip() == "error: --jobs must be at least 1 (got 0)"
    r = run("--year", "2023", "--lang", "fr")
    assert r.returncode == 2 and "invalid choice: 'fr'" in r.stderr
    assert not (tmp_path / "out").exists()


def test_chapter_list_accepts_short_names():
    assert cli._chapter_list("science, 05_disciplines,science") == ("02_science", "05_disciplines")


def test_help_and_missing_year():
    r = run("--help")
    assert r.returncode == 0 and "examples:" in r.stdout
    for option in ("--data-only", "--lang", "--chapters", "--jobs", "--force", "--data-dir", "--output-dir"):
        assert option in r.stdout
    r = run("--data-only")
    assert r.returncode == 2 and "--year" in r.stderr


# --- focus exports (in process) -------------------------------------------------------------

def test_focus_exports_called_when_data_present(data, tmp_path, monkeypatch, capsys):
    d = tmp_path / "data"
    shutil.copytree(data, d)
    calls = []

    def write_focus_exports(data_dir, year, out_dir):
        calls.append((data_dir, year))
        p = Path(out_dir) / "focus_disciplines.csv"
        p.write_text("x\n", encoding="utf-8")
        return [p]

    fake = types.ModuleType(cli.FOCUS_MODULE)
    fake.__spec__ = importlib.machinery.ModuleSpec(cli.FOCUS_MODULE, None)
    fake.write_focus_exports = write_focus_exports
    monkeypatch.setitem(sys.modules, cli.FOCUS_MODULE, fake)

    out = tmp_path / "out"
    assert cli.main(["--year", "2023", "--data-only", "--data-dir", str(d), "--output-dir", str(out)]) == 0
    assert calls == []  # no data/2023/disciplines: not called
    (d / "2023" / "disciplines").mkdir()
    capsys.readouterr()
    assert cli.main(["--year", "2023", "--data-only", "--data-dir", str(d), "--output-dir", str(out)]) == 0
    assert calls == [(d, 2023)]
    assert (out / "2023" / "data" / "focus_disciplines.csv").exists()
    assert "wrote 7 files" in capsys.readouterr().out


def test_focus_module_missing_is_reported(data, tmp_path, monkeypatch, capsys):
    d = tmp_path / "data"
    shutil.copytree(data, d)
    (d / "2023" / "disciplines").mkdir()
    monkeypatch.setattr(cli, "FOCUS_MODULE", "gihi._no_such_focus_module")
    assert cli.main(["--year", "2023", "--data-only", "--data-dir", str(d), "--output-dir", str(tmp_path / "o")]) == 0
    assert "focus exports skipped" in capsys.readouterr().err
