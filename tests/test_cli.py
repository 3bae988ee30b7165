"""report_build.py end to end, on a synthetic data directory (real meta/, seeded random values)."""
import shutil
import subprocess
import sys
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
FILES = ["change_drivers.csv", "data_review.csv", "development_patterns.csv", "excluded.csv", "flows.csv",
         "index_scores.csv", "indicator_tree.csv", "indicators_raw.csv", "rank_changes.csv"]
FOCUS_FILES = ["ai_patents.csv", "discipline_cities.csv", "discipline_scores.csv", "ipc_hotfields.csv"]


def make_data(root: Path, seed: int = 2023) -> Path:
    """The real metadata (shared data/meta, the edition's data/2023/meta, the GII benchmark it
    names), no history and no focus data, and seeded random values within each indicator's
    plausible range (3% missing)."""
    shutil.copytree(ROOT / "data" / "meta", root / "meta")
    shutil.copytree(ROOT / "data" / "2023" / "meta", root / "2023" / "meta")
    shutil.copytree(ROOT / "data" / "gii", root / "gii")
    cities = pd.read_csv(root / "2023" / "meta" / "cities.csv", dtype=str)["id"]
    ind = pd.read_csv(root / "2023" / "meta" / "indicators.csv", dtype=str)
    ranges = list(zip(ind["code"], ind["plausible_min"].astype(float), ind["plausible_max"].astype(float)))
    rng = np.random.default_rng(seed)
    rows = []
    for cid in cities:
        for code, lo, hi in ranges:
            missing = rng.random() < 0.03
            v = None if missing else rng.lognormal(2.5, 1.1)
            value = "" if missing else f"{lo + (hi - lo) * v / (v + 100):.4f}"   # inside the plausible range
            rows.append((cid, code, value, "missing" if missing else "published", ""))
    pd.DataFrame(rows, columns=["id", "code", "value", "provenance", "note"]).to_csv(
        root / "2023" / "indicators.csv", index=False, lineterminator="\n")
    return root


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return make_data(tmp_path_factory.mktemp("cli") / "data")


def _files(base: Path) -> dict[str, bytes]:
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


@pytest.mark.e2e   # two data-stage builds, each a process of its own
def test_data_only_outputs_and_determinism(data, tmp_path):
    out = tmp_path / "out"
    r = run("--year", "2023", "--data-only", "--data-dir", str(data), "--output-dir", str(out))
    assert r.returncode == 0, r.stderr
    d = out / "2023" / "data"
    assert sorted(p.name for p in d.iterdir()) == FILES
    assert sorted(p.name for p in (out / "2023").iterdir()) == ["data", "edition"]   # and the saved edition
    written = _files(out / "2023")
    assert f"wrote {len(written)} files" in r.stdout and "not implemented" not in r.stdout
    assert sorted(line.strip() for line in r.stdout.splitlines()[1:]) == sorted(str(out / "2023" / k) for k in written)
    assert "edition/edition.json" in written
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

    r2 = run("--year", "2023", "--data-only", "--data-dir", str(data), "--output-dir", str(out))
    assert r2.returncode == 0, r2.stderr
    assert _files(out / "2023") == written   # the data and the saved edition, byte for byte
    assert r2.stdout == r.stdout


def test_unknown_year_one_line(data, tmp_path):
    r = run("--year", "2019", "--data-dir", str(data), "--output-dir", str(tmp_path / "out"))
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"error: no data for year 2019 in {data}/; available years: 2023"]
    assert not (tmp_path / "out").exists()


@pytest.mark.e2e   # two data-stage builds, each a process of its own
def test_data_error_leaves_output_untouched(data, tmp_path):
    out = tmp_path / "out"
    assert run("--year", "2023", "--data-only", "--data-dir", str(data), "--output-dir", str(out)).returncode == 0
    before = _files(out / "2023")   # the data and the saved edition
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
    assert _files(out / "2023") == before
    assert sorted(p.name for p in (out / "2023").iterdir()) == ["data", "edition"]


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

def test_focus_exports_written_when_focus_data_present(data, tmp_path, capsys):
    d = tmp_path / "data"
    shutil.copytree(data, d)
    out = tmp_path / "out"
    assert cli.main(["--year", "2023", "--data-only", "--data-dir", str(d), "--output-dir", str(out)]) == 0
    assert not set(FOCUS_FILES) & {p.name for p in (out / "2023" / "data").iterdir()}   # no focus data: none
    n = len(list((out / "2023").rglob("*.*")))
    for focus in ("disciplines", "ai_patents"):
        shutil.copytree(ROOT / "data" / "2023" / focus, d / "2023" / focus)
    capsys.readouterr()
    assert cli.main(["--year", "2023", "--data-only", "--data-dir", str(d), "--output-dir", str(out)]) == 0
    names = {p.name for p in (out / "2023" / "data").iterdir()}
    assert set(FOCUS_FILES) <= names and sorted(names - set(FOCUS_FILES)) == FILES
    written = [p for p in (out / "2023").rglob("*") if p.is_file()]
    assert len(written) > n and f"wrote {len(written)} files" in capsys.readouterr().out


def test_missing_focus_data_is_reported(data, tmp_path, capsys):
    d = tmp_path / "data"
    shutil.copytree(data, d)
    shutil.copytree(ROOT / "data" / "2023" / "disciplines", d / "2023" / "disciplines")   # one of the two
    assert cli.main(["--year", "2023", "--data-only", "--data-dir", str(d), "--output-dir", str(tmp_path / "o")]) == 0
    err = capsys.readouterr().err
    assert "note: no data in 2023/ai_patents/: the focus chapters' tables are not written" in err
    assert "2023/disciplines/" not in err
    assert not set(FOCUS_FILES) & {p.name for p in (tmp_path / "o" / "2023" / "data").iterdir()}


_SWALLOWED = """
import sys, time
sys.argv = ["report_build.py", "--year", "2023"]
from gihi.pipeline import cli

class Swallowed:
    def __del__(self):   # an exception here cannot propagate: Python reports it as unraisable
        raise {exc}()

def _main(args):
    Swallowed()
    for _ in range(200):   # two seconds of Python work in which the re-delivered signal lands
        time.sleep(0.01)
    print("not interrupted")
    return 0

cli._main = _main
sys.exit(cli.main())
"""


@pytest.mark.parametrize("exc, status", [("KeyboardInterrupt", 130), ("cli.Terminated", 143)])
def test_interrupt_swallowed_by_extension_code_still_stops(exc, status):
    """An interrupt raised where it cannot propagate (scipy's Cython Sobol initialiser in the
    Monte Carlo audit; here a ``__del__``) is delivered again: the build stops with its one line,
    no "Exception ignored" traceback, instead of going on."""
    import signal as _signal
    proc = subprocess.run([sys.executable, "-c", _SWALLOWED.format(exc=exc)], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, preexec_fn=lambda: _signal.signal(_signal.SIGINT, _signal.default_int_handler))
    assert proc.returncode == status, proc.stderr
    assert "not interrupted" not in proc.stdout
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith("interrupted: nothing was changed"), proc.stderr
