"""gihi.model.edition: opening validates every input once and builds typed tables; per-edition
metadata replaces the shared files; results are computed once (``Edition.result``); a saved
edition is read back bit for bit (the synthetic edition of tests/factory.py and the real 2023
one). Expected values come from the factory's knobs and from the files read with pandas."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import factory as F
from _same import assert_same, differences
from gihi import load_edition, open_edition
from gihi.core import trace
from gihi.core.errors import DataError
from gihi.model import strings as ui_strings
from gihi.model.edition import Edition
from gihi.model.metadata import load_cities, load_tree

TEXT = (".csv", ".yaml", ".yml", ".json")


def data_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.suffix in TEXT}


# --------------------------------------------------------------------------- opening

def test_open_reads_every_input_file_once(tmp_path, monkeypatch):
    root = F.make_data(tmp_path / "data", focus=True, gii=True)
    log = tmp_path / "trace.tsv"
    monkeypatch.setenv(trace.ENV, str(log))
    ed = open_edition(F.YEAR, root)
    ed.index, ed.patterns, ed.flows, ed.wide, ed.scores
    parsed = Counter(name for kind, name, _ in trace.read(log) if kind == trace.PARSE)
    assert set(parsed) == data_files(root)          # every input file, by its path in the data directory
    assert set(parsed.values()) == {1}              # each once: tables are built from what validation parsed


def test_typed_tables(synthetic, synthetic_root):
    ed = synthetic
    cities = pd.read_csv(synthetic_root / str(F.YEAR) / "meta" / "cities.csv", dtype=str)
    ids = list(cities["id"])
    assert ed.year == F.YEAR and ed.root == synthetic_root
    # long values: categoricals in cities.csv / Table-1 order, floats, text provenance
    long = ed.long
    assert list(long.columns) == ["id", "code", "value", "provenance", "note"]
    assert list(long["id"].cat.categories) == ids and list(long["code"].cat.categories) == F.CODES
    assert long["value"].dtype == np.float64 and len(long) == len(ids) * len(F.CODES)
    # wide: exactly the file's values
    wide = F.raw_wide(synthetic_root)
    assert_same(wide, ed.wide)
    # cities typed, with the continent of their country
    c = ed.cities
    assert list(c["id"]) == ids and c["seq"].dtype == np.int64 and c["lat"].dtype == np.float64
    assert list(c["continent"]) == [dict((i, k) for i, *_, k in F.COUNTRIES)[x] for x in cities["country_iso3"]]
    assert ed.groups.to_dict() == dict(zip(cities["id"], cities["group"]))
    # the tree, weights normalised within each parent
    w = ed.tree.composite_weights()
    assert w.to_dict() == pytest.approx(F.composite_weights(), abs=1e-15)
    assert list(ed.tree.indicators["flow"]) == [i[4] for i in F.INDICATORS]
    assert ed.levels == ["composite", "A", "B", "C", "A1", "A2", "B1", "B2", "C1", "C2"]
    assert ed.label("I04") == {"zh": "指标4", "en": "Indicator 4"}
    # text tables as in the files
    ind = pd.read_csv(synthetic_root / str(F.YEAR) / "meta" / "indicators.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(ed.indicators, ind, check_dtype=False)
    assert (ed.indicators.dtypes == "str").all()
    # history, focus data, settings and configuration files
    h = ed.history
    assert ed.has_history and h["year"].dtype == np.int64 and set(h["year"]) == {F.YEAR - 2, F.YEAR - 1}
    assert len(h) == 2 * 4 * 10
    papers = ed.disciplines.papers
    assert list(papers.columns) == ["id", "discipline", "year", "papers", "hcp", "provenance"]
    assert [str(papers[k].dtype) for k in ("year", "papers", "hcp")] == ["int64"] * 3
    assert len(papers) == len(ids) * len(F.DISCIPLINES) * F.FOCUS_YEARS
    assert list(ed.ai_patents.ipc_groups["code"]) == [g[0] for g in F.IPC_GROUPS]
    assert ed.ai_patents.universe.to_dict() == pd.read_csv(
        synthetic_root / str(F.YEAR) / "ai_patents" / "universe.csv").set_index("measure")["value"].to_dict()
    assert ed.settings["gii_edition"] == F.YEAR - 1
    assert ed.config("meta/audit.yaml")["uncertainty"] == F.AUDIT["uncertainty"]
    assert ed.location("meta/tree.csv") == f"{F.YEAR}/meta/tree.csv" and ed.location("meta/audit.yaml") == "meta/audit.yaml"
    assert ed.frame("meta/gii_mapping.csv").columns.tolist() == ["gihi_id", "gii_cluster", "relation", "note_zh", "note_en"]
    with pytest.raises(DataError, match="meta/nothing.yaml"):
        ed.config("meta/nothing.yaml")


def test_invalid_inputs_are_refused_with_every_problem(tmp_path):
    root = F.make_data(tmp_path / "data", values={"city-02": {"I02": -1}, "hub-01": {"I05": 140}})
    with pytest.raises(DataError) as e:
        open_edition(F.YEAR, root)
    got = [(p.file, p.column, p.found) for p in e.value.problems]
    assert got == [(f"{F.YEAR}/indicators.csv", "value", "'-1'"), (f"{F.YEAR}/indicators.csv", "value", "'140'")]


def test_an_edition_without_history_or_focus_data(tmp_path):
    ed = F.make_edition(tmp_path, history=False)
    assert not ed.has_history and ed.disciplines is None and ed.ai_patents is None
    with pytest.raises(DataError, match="history/ranks.csv"):
        ed.history
    assert len(ed.scores) == 13


# --------------------------------------------------------------------------- per-edition metadata

@pytest.fixture
def two_years(tmp_path) -> Path:
    """2031 uses the shared meta/ (6 cities); 2030 has its own <year>/meta/ (13 cities); the
    history (of the 4 main cities of 2031, which 2030 has too) is shared."""
    root = F.make_data(tmp_path / "data", 2031, n_main=4, n_mini=2, year_meta=False)
    F.make_data(root, 2030, history=False)
    return root


def test_a_file_under_year_meta_replaces_the_shared_one(two_years):
    root = two_years
    assert (root / "meta" / "cities.csv").is_file() and (root / "2030" / "meta" / "cities.csv").is_file()
    e30, e31 = open_edition(2030, root), open_edition(2031, root)
    assert len(e30.cities) == 13 and len(e31.cities) == 6
    assert e30.location("meta/cities.csv") == "2030/meta/cities.csv" and e31.location("meta/cities.csv") == "meta/cities.csv"
    assert e30.location("meta/countries.csv") == "meta/countries.csv"     # not replaced: shared
    # the path loaders follow the same rule
    assert len(load_cities(root, 2030)) == 13 and len(load_cities(root, 2031)) == 6 and len(load_cities(root)) == 6
    assert load_tree(root, 2030).codes == F.CODES


def test_problems_name_the_per_year_file(two_years):
    root = two_years
    p = root / "2030" / "meta" / "cities.csv"
    t = pd.read_csv(p, dtype=str, keep_default_na=False)
    t.loc[2, "lat"] = "north"
    t.to_csv(p, index=False, lineterminator="\n")
    with pytest.raises(DataError) as e:
        open_edition(2030, root)
    assert [str(x) for x in e.value.problems] == ["2030/meta/cities.csv, row 3, column lat: found 'north'; expected a latitude"]
    assert len(open_edition(2031, root).cities) == 6        # the shared file is still valid
    shared = root / "meta" / "cities.csv"
    t = pd.read_csv(shared, dtype=str, keep_default_na=False)
    t.loc[1, "lon"] = "200"
    t.to_csv(shared, index=False, lineterminator="\n")
    with pytest.raises(DataError) as e:
        open_edition(2031, root)
    assert [str(x) for x in e.value.problems] == ["meta/cities.csv, row 2, column lon: found '200'; "
                                                  "expected a number from -180 to 180"]
    with pytest.raises(DataError) as e:                       # 2030 does not read the shared file
        open_edition(2030, root)
    assert [x.file for x in e.value.problems] == ["2030/meta/cities.csv"]


# --------------------------------------------------------------------------- results

def test_results_are_computed_once(tmp_path, monkeypatch):
    ed = F.make_edition(tmp_path)
    assert ed.computed == []
    calls = []

    def compute():
        calls.append(1)
        return {"n": len(calls)}

    first = ed.result("test/thing", compute)
    assert ed.result("test/thing", compute) is first and calls == [1]
    assert "test/thing" in ed.computed
    log = tmp_path / "trace.tsv"
    monkeypatch.setenv(trace.ENV, str(log))
    assert ed.index is ed.index and ed.patterns.equals(ed.patterns) and ed.scores is ed.scores
    computed = Counter(name for kind, name, _ in trace.read(log) if kind == trace.COMPUTE)
    assert computed == Counter({f"{F.YEAR}:index": 1, f"{F.YEAR}:patterns": 1})     # <year>:<result>
    assert ed.computed == ["index", "patterns", "test/thing"]
    assert ed.view("test/view", lambda: [1]) is ed.view("test/view", lambda: [2])
    assert "test/view" not in ed.computed                  # a view is not a result


def test_a_result_asked_for_while_it_is_computed_is_an_error(tmp_path):
    ed = F.make_edition(tmp_path)
    with pytest.raises(RuntimeError, match="'test/loop' asked for while it is being computed"):
        ed.result("test/loop", lambda: ed.result("test/loop", dict))
    assert ed.result("test/loop", lambda: 1) == 1      # the failed computation left nothing behind


def test_opening_activates_the_editions_strings(tmp_path):
    ed = F.make_edition(tmp_path, strings=False)
    assert ui_strings.active() is ed.strings and ed.strings == {"test.hello": {"zh": "你好", "en": "Hello"}}


# --------------------------------------------------------------------------- saving and loading

def check_round_trip(ed: Edition, directory: Path) -> Edition:
    index = ed.save(directory)
    assert index == directory / "edition.json"
    back = load_edition(directory)
    assert (back.year, back.root, back.computed) == (ed.year, ed.root, ed.computed)
    assert_same(ed.tables, back.tables, "tables")
    for key in ed.computed:
        assert_same(ed.result(key, None), back.result(key, None), key)
    assert_same(ed.scores, back.scores, "scores")       # views are rebuilt from the loaded tables and results
    return back


def test_save_and_load_a_synthetic_edition(synthetic_computed, tmp_path):
    ed = synthetic_computed
    assert set(ed.computed) >= {"index", "patterns", "flows", "disciplines", "ai_patents", "gii/benchmark",
                                "audit/uncertainty", "audit/sensitivity", "audit/consistency"}
    back = check_round_trip(ed, tmp_path / "store")
    assert open_edition(F.YEAR, store_dir=tmp_path / "store").computed == back.computed
    with pytest.raises(DataError, match="the edition 2029"):
        open_edition(2029, store_dir=tmp_path / "store")
    assert ui_strings.active() is back.strings


def test_save_and_load_the_real_2023_edition(real_computed, tmp_path):
    ed = real_computed
    assert ed.year == 2023 and len(ed.cities) == 119
    check_round_trip(ed, tmp_path / "store")


def test_loaded_results_are_read_when_first_asked_for(synthetic_computed, tmp_path):
    synthetic_computed.save(tmp_path / "store")
    back = load_edition(tmp_path / "store")
    assert not differences(synthetic_computed.index, back.index)
    assert_same(synthetic_computed.flows, back.flows)


# --------------------------------------------------------------------------- the factory itself

def test_the_factory_is_seeded_valid_and_takes_explicit_values(tmp_path):
    a = F.make_data(tmp_path / "a", focus=True, gii=True)
    b = F.make_data(tmp_path / "b", focus=True, gii=True)
    assert {p: (a / p).read_bytes() for p in data_files(a)} == {p: (b / p).read_bytes() for p in data_files(b)}
    c = F.make_data(tmp_path / "c", seed=1)
    assert not F.raw_wide(c).equals(F.raw_wide(a))
    override = pd.DataFrame({"I03": [5.0, np.nan]}, index=["city-01", "hub-02"])
    ed = F.make_edition(tmp_path / "d", values=override, cities=[{"id": "x-1", "group": "main"}, {"id": "x-2", "group": "main"},
                                                                 {"id": "hub-01", "group": "mini"},
                                                                 {"id": "hub-02", "group": "mini"}, {"id": "city-01", "group": "mini"}])
    assert list(ed.cities["id"]) == ["x-1", "x-2", "hub-01", "hub-02", "city-01"]
    assert ed.wide.at["city-01", "I03"] == 5.0 and np.isnan(ed.wide.at["hub-02", "I03"])
    assert ed.long.set_index(["id", "code"]).loc[("hub-02", "I03"), "provenance"] == "missing"
    with pytest.raises(KeyError, match="atlantis"):
        F.make_data(tmp_path / "e", values={"atlantis": {"I01": 1}})


def test_a_synthetic_next_edition_on_the_same_root(tmp_path):
    """Another year written next to the first one: both editions open; the shared files are the same."""
    root = F.make_data(tmp_path / "data", 2030, focus=True, gii=True)
    shared = {p: (root / p).read_bytes() for p in data_files(root) if p.startswith("meta/")}
    F.make_data(root, 2031, weights={"A1": 0.6, "A2": 0.4}, values={"city-01": {"I01": 1e5}}, seed=5, history=False)
    assert {p: (root / p).read_bytes() for p in shared} == shared
    e30, e31 = open_edition(2030, root), open_edition(2031, root)
    assert e30.tree.subpillars.set_index("code").at["A1", "weight"] == 0.5
    assert e31.tree.subpillars.set_index("code").at["A1", "weight"] == pytest.approx(0.6)
    assert e31.wide.at["city-01", "I01"] == 1e5 and e31.has_history and e31.disciplines is None


def test_the_method_rules_are_data_of_the_edition(tmp_path):
    """meta/method.yaml is the policy of every computation of the index; an edition's own copy
    replaces it. A 0-100 scale moves every score (the oracle's scores rescaled by hand) and no
    rank; the changed rules are named when the next edition is compared with the previous one."""
    from gihi.analysis import changes
    root = F.make_data(tmp_path / "data", 2030)
    F.make_data(root, 2031, seed=5)
    own = root / "2031" / "meta" / "method.yaml"
    own.write_text((root / "meta" / "method.yaml").read_text(encoding="utf-8").replace("scale: [60, 100]", "scale: [0, 100]"),
                   encoding="utf-8")
    e30, e31 = open_edition(2030, root), open_edition(2031, root)
    assert e30.policy == {"min_coverage": pytest.approx(2 / 3), "min_per_subpillar": 1, "lo": 60.0, "hi": 100.0, "ddof": 1}
    assert (e31.policy["lo"], e31.policy["hi"]) == (0.0, 100.0) and e31.location("meta/method.yaml") == "2031/meta/method.yaml"
    expected = oracle_scores(root, 2031)
    main = e31.scores["group"] == "main"
    for level in ("composite", "A", "B1"):
        want = (expected[level][main[main].index] - 60) / 40 * 100    # the oracle's 60-100 scores, on 0-100
        pd.testing.assert_series_equal(e31.scores.loc[main, level].astype(float).sort_index(), want.sort_index(),
                                       check_names=False, rtol=1e-9, atol=1e-9)
    assert e31.scores.loc[main, "composite"].min() == 0.0
    assert "rules" in changes.method_changed(e31, e30) and "rules" not in changes.method_changed(e30, e30)


# --------------------------------------------------------------------------- variants

def oracle_scores(root: Path, year: int) -> pd.DataFrame:
    import oracle
    return pd.DataFrame(oracle.scores(root, year))


def test_with_weights_recomputes_as_if_the_files_said_so(synthetic, tmp_path):
    """A1 0.8 (A2 0.5) renormalised within A is 0.8/1.3 and 0.5/1.3: the same scores as data
    files with those weights, by the independent implementation of tests/oracle.py."""
    variant = synthetic.with_weights({"A1": 0.8, "I04": 1.0})
    root = F.make_data(tmp_path / "data", weights={"A1": 0.8 / 1.3, "A2": 0.5 / 1.3, "I04": 1.0})
    expected = oracle_scores(root, F.YEAR)
    got = variant.scores
    for level in ("composite", "A", "A1", "B", "B1"):
        pd.testing.assert_series_equal(got[level].astype(float).sort_index(), expected[level].sort_index(),
                                       check_names=False, rtol=1e-9)
    assert not np.allclose(synthetic.scores["A"].astype(float), got["A"].astype(float))
    weight = variant.tree.subpillars.set_index("code")["weight"]
    assert weight["A1"] == pytest.approx(0.8 / 1.3) and weight["A2"] == pytest.approx(0.5 / 1.3)
    assert synthetic.tree.subpillars.set_index("code")["weight"]["A1"] == pytest.approx(0.5)   # unchanged


def test_with_weights_refuses_unknown_nodes_and_negative_weights(synthetic):
    with pytest.raises(KeyError, match="Z9"):
        synthetic.with_weights({"Z9": 0.5})
    with pytest.raises(ValueError, match="weight of A1"):
        synthetic.with_weights({"A1": -1})
    with pytest.raises(ValueError, match="weight of A1"):
        synthetic.with_weights({"A1": float("nan")})


def test_with_method_passes_its_choices_to_the_index(synthetic):
    population = synthetic.with_method(ddof=0)
    assert population.policy == {**synthetic.policy, "ddof": 0} and synthetic.policy["ddof"] == 1   # method.yaml's
    main = synthetic.groups[synthetic.groups == "main"].index
    z1, z0 = synthetic.index.z.loc[main, "I01"], population.index.z.loc[main, "I01"]
    n = int(z1.notna().sum())   # the population standard deviation: a spread sqrt((n-1)/n) times smaller
    assert np.allclose(z0.dropna(), z1.dropna() * np.sqrt(n / (n - 1)))
    # a common factor on every z: the 60–100 scores and the ranks do not change
    pd.testing.assert_series_equal(population.scores["composite"].astype(float),
                                   synthetic.scores["composite"].astype(float), rtol=1e-9)
