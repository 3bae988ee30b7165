"""Next year's report from next year's data (issue 14): a synthetic 2024 made from the 2023 data
(tests/nextyear.py) built end to end, its comparisons with 2023 checked against ranks and Z
values computed independently (tests/oracle.py); starting an empty year with --init."""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import nextyear
import oracle
from gihi.core.paths import DATA_DIR, ROOT

YEAR, PREV = nextyear.YEAR, nextyear.PREV


def run(*args, cwd=ROOT, timeout=1500):
    return subprocess.run([sys.executable, str(ROOT / "report_build.py"), *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# --------------------------------------------------------------------------- starting a year (fast)

def test_init_then_data_only_lists_what_is_missing(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("published"))
    r = run("--year", 2030, "--init", "--data-dir", data)
    assert r.returncode == 0, r.stderr
    new = data / "2030"
    assert (new / "README.md").is_file() and (new / "meta" / "tree.csv").is_file()
    values = rows(new / "indicators.csv")
    assert len(values) == 119 * 30 and {v["value"] for v in values} == {""} and {v["provenance"] for v in values} == {"missing"}
    assert (new / "disciplines" / "papers.csv").read_text(encoding="utf-8").count("\n") == 1   # the header only
    assert "I01" in (new / "README.md").read_text(encoding="utf-8")
    before = sorted(p.relative_to(data) for p in data.rglob("*"))
    again = run("--year", 2030, "--init", "--data-dir", data)
    assert again.returncode == 2 and "never overwrites" in again.stderr and "Traceback" not in again.stderr
    assert sorted(p.relative_to(data) for p in data.rglob("*")) == before
    out = tmp_path / "out"
    r = run("--year", 2030, "--data-only", "--data-dir", data, "--output-dir", out)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) < 60, "a short summary"
    assert any(re.search(r"indicator I01: found 119 of 119 values missing \(montreal, ", ln) for ln in lines)
    assert any("2030/disciplines/papers.csv: found a header and no data rows" in ln for ln in lines)
    full = out / "problems-2030.txt"
    assert full.is_file() and f"in {full}" in lines[-1]
    assert not (out / "2030").exists()


def test_init_needs_an_earlier_edition(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "meta", data / "meta")
    r = run("--year", 2030, "--init", "--data-dir", data)
    assert r.returncode == 2 and "no earlier edition" in r.stderr


# --------------------------------------------------------------------------- a synthetic 2024, its narrative

@pytest.fixture(scope="module")
def next_sections(tmp_path_factory):
    """Every section of the synthetic 2024 edition rendered with its Facts and Labels marked
    (tests/claimcheck.py), and the city names of 2024 and 2023 (a city gone since is named with
    its 2023 rank); nothing built."""
    from claimcheck import marked_sections, names_of
    from gihi import open_edition
    data = nextyear.make_next_edition(tmp_path_factory.mktemp("nextyear-text"))
    ed = open_edition(YEAR, data)
    before = rows(data / str(PREV) / "meta" / "cities.csv")
    names = {**{r[f"name_{lang}"]: r["id"] for r in before for lang in ("zh", "en")}, **names_of(ed)}
    return marked_sections(ed), names


@pytest.mark.e2e   # a whole edition computed and its narrative rendered
def test_next_years_narrative_binds_every_number(next_sections):
    """tests/test_claims.py's census and city check on next year's edition, whose narrative takes
    branches 2023 does not (ranks compared with ones computed from the 2023 data, with their
    drivers; a city new to the list, one gone): every printed number is a Fact or a Label, and
    every Fact about a city follows that city's name."""
    from claimcheck import misplaced
    from gihi.report import facts
    from gihi.report import narrative as nv
    sections, names = next_sections
    bare = [f"{ch}/{sid}.{lang}: {', '.join(left)}" for ch, sid, lang, html, claims, _ in sections
            if (left := nv.narrative_numbers(facts.unclaimed(html)))]
    assert not bare, "\n".join(bare)
    wrong = [f"{ch}/{sid}.{lang}: {m}" for ch, sid, lang, html, claims, _ in sections for m in misplaced(html, claims, names)]
    assert not wrong, "\n".join(wrong[:20])
    movers = next(html for ch, sid, lang, html, claims, _ in sections if (ch, sid, lang) == ("01_overview", "movers", "en"))
    assert "above all" in facts.unmark(movers)   # the drivers' branch was taken


# --------------------------------------------------------------------------- a synthetic 2024, built

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("nextyear")
    data = nextyear.make_next_edition(root)
    out = root / "output"
    r = run("--year", YEAR, "--data-dir", data, "--output-dir", out, "--jobs", "2")
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    return data, out / str(YEAR), r




@pytest.mark.e2e
def test_rank_changes_against_independent_ranks(built):
    data, out, _ = built
    now, before = oracle.ranks(data, YEAR), oracle.ranks(data, PREV)
    groups = {r["id"]: r["group"] for r in rows(data / str(YEAR) / "meta" / "cities.csv")}
    got = {(r["id"], r["level"]): r for r in rows(out / "data" / "rank_changes.csv")}
    expected_keys = {(i, lv) for lv in ("composite", "A", "B", "C") for i in now[lv] if groups[i] == "main"}
    expected_keys |= {(i, "mini") for i in now["composite"] if groups[i] == "mini"}
    assert set(got) == expected_keys
    for (i, lv), r in got.items():
        level = "composite" if lv == "mini" else lv
        assert int(r["rank"]) == now[level][i], (i, lv)
        prev = before[level].get(i)
        if prev is None:
            assert r["prev_rank"] == "" and r["change"] == "" and r["prev_source"] == ""
        else:
            assert (int(r["prev_rank"]), int(r["change"]), r["prev_source"], int(r["prev_year"])) == \
                (prev, prev - now[level][i], "computed", PREV), (i, lv)


@pytest.mark.e2e
def test_drivers_sum_to_the_change_of_z(built):
    data, out, _ = built
    zn, zp = oracle.level_z(data, YEAR), oracle.level_z(data, PREV)
    sums = {}
    for r in rows(out / "data" / "change_drivers.csv"):
        sums[(r["id"], r["level"])] = sums.get((r["id"], r["level"]), 0.0) + float(r["contribution"])
    assert sums
    for (i, lv), s in sums.items():
        assert s == pytest.approx(zn[lv][i] - zp[lv][i], abs=1e-5), (i, lv)


@pytest.mark.e2e
def test_review_flags_the_planted_value(built):
    _, out, result = built
    review = rows(out / "data" / "data_review.csv")
    cid, code, factor = nextyear.PLANTED
    hit = [r for r in review if r["id"] == cid and r["code"] == code]
    assert len(hit) == 1 and hit[0]["flag"] == "ratio" and float(hit[0]["ratio"]) == pytest.approx(factor)
    assert re.search(r"data review: \d+ values? to check against the 2023 data", result.stderr)


def _narrative(out: Path, chapter: str, section: str) -> dict:
    import json
    b = json.loads((out / "chapters" / chapter / "bundle.json").read_text(encoding="utf-8"))
    return next(s for s in b["sections"] if s["id"] == section)["narrative"]


@pytest.mark.e2e
def test_biggest_movers_named_in_both_languages(built):
    data, out, _ = built
    now, before = oracle.ranks(data, YEAR)["composite"], oracle.ranks(data, PREV)["composite"]
    names = {r["id"]: r for r in rows(data / str(YEAR) / "meta" / "cities.csv")}
    top30 = [i for i in now if names[i]["group"] == "main" and now[i] <= 30 and i in before]
    change = {i: before[i] - now[i] for i in top30}
    riser = max(top30, key=lambda i: (change[i], -now[i]))
    faller = min(top30, key=lambda i: (change[i], now[i]))
    text = _narrative(out, "01_overview", "movers")
    for lang in ("zh", "en"):
        if change[riser] >= 2:
            assert names[riser][f"name_{lang}"] in text[lang], (lang, riser)
        if change[faller] <= -2:
            assert names[faller][f"name_{lang}"] in text[lang], (lang, faller)
    assert "up " in text["en"] and "上升" in text["zh"]


@pytest.mark.e2e
def test_added_city_new_and_removed_city_listed(built):
    _, out, _ = built
    text = _narrative(out, "01_overview", "movers")
    added, removed = nextyear.ADDED, {"zh": "约翰内斯堡", "en": "Johannesburg"}
    assert re.search(r"New to the list: .*" + re.escape(added["name_en"]), text["en"])
    assert re.search(r"新进入榜单的城市：.*" + re.escape(added["name_zh"]), text["zh"])
    assert re.search(r"No longer in the list: .*" + removed["en"], text["en"])
    assert re.search(r"不再在榜单中的城市：.*" + removed["zh"], text["zh"])
    assert "no change" not in text["en"].lower()


@pytest.mark.e2e
def test_all_three_editions_built(built):
    _, out, _ = built
    for name in ("bilingual", "zh", "en"):
        assert (out / f"GIHI-{YEAR}-{name}.pdf").stat().st_size > 100_000
