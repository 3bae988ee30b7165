"""One year's edition of the index: its validated input tables and its results.

An :class:`Edition` is the one way to a year's data. :func:`open_edition` validates every input
file once (:func:`gihi.model.validate.check_inputs`) and builds the typed tables from what the
validation parsed; nothing reads those files again. Results — the index, and the analyses of
:mod:`gihi.analysis` — are computed when first asked for and kept (:meth:`Edition.result`).

The build's data stage computes every result once and saves the edition
(:meth:`Edition.save`, an open format: CSV and JSON, :mod:`gihi.model.store`); chapter kernels,
renders and the profiles process then read that copy (:func:`load_edition`) instead of
recomputing.

Paths: ``data_dir`` None means the repository's ``data/``; a relative path is taken from the
current working directory (:func:`resolve_data_dir`).
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, TypeVar

import pandas as pd

from gihi.core import trace
from gihi.core.errors import DataError, Problem
from gihi.core.paths import DATA_DIR, META, resolve
from gihi.model import configs
from gihi.model import focus_data as fd
from gihi.model import store
from gihi.model import strings as ui_strings
from gihi.model.dataset import to_wide, values_from_frame
from gihi.model.history import HISTORY_FILE, history_from_frame
from gihi.model.metadata import Tree, cities_from_frames, tree_from_frames
from gihi.model.method.index import COMPOSITE, IndexResult, compute_index, index_scores_table, score_columns
from gihi.model.method.patterns import development_patterns, flows
from gihi.model.validate import check_inputs

T = TypeVar("T")
MAIN, MINI = "main", "mini"
STORE_DIR = "edition"   # <output>/<year>/edition/: the saved edition
SETTINGS = f"{META}/edition.yaml"   # per-edition settings (data/<year>/meta/edition.yaml)

store.register(Tree)
store.register(IndexResult)


def resolve_data_dir(data_dir: str | os.PathLike | None) -> Path:
    """The data directory as an absolute path: None → the repository's ``data/``; a relative
    path is taken from the current working directory."""
    return resolve(data_dir, DATA_DIR)


@dataclass(frozen=True)
class Disciplines:
    """The discipline-sources chapter's data: ``meta`` (meta/disciplines.csv, text) and
    ``papers`` (``<year>/disciplines/papers.csv``: id, discipline, year, papers, hcp, provenance)."""

    meta: pd.DataFrame
    papers: pd.DataFrame


@dataclass(frozen=True)
class AIPatents:
    """The AI-patent chapter's data (``<year>/ai_patents/*.csv`` and meta/ipc_groups.csv)."""

    ipc_groups: pd.DataFrame
    patents: pd.DataFrame
    ipc: pd.DataFrame
    ipc_universe: pd.DataFrame
    ipc_by_year: pd.DataFrame
    universe_table: pd.DataFrame
    applicants: pd.DataFrame

    @property
    def universe(self) -> pd.Series:
        """``measure -> value`` of ``universe.csv``."""
        return fd.universe_series(self.universe_table)


for _cls in (Disciplines, AIPatents):
    store.register(_cls)


@dataclass(frozen=True)
class Tables:
    """The validated inputs of one edition (text tables as read, typed where the method needs it)."""

    tree: Tree
    indicators: pd.DataFrame        # meta/indicators.csv (text): names, units, kinds, periods, sources
    tree_table: pd.DataFrame        # meta/tree.csv (text)
    cities: pd.DataFrame            # meta/cities.csv typed, with each city's continent
    countries: pd.DataFrame         # meta/countries.csv (text)
    continents: pd.DataFrame        # meta/continents.csv (text)
    city_aliases: pd.DataFrame      # meta/city_aliases.csv (text; may be empty)
    values: pd.DataFrame            # <year>/indicators.csv: id, code (categoricals), value (float), provenance, note
    history: pd.DataFrame | None    # history/ranks.csv typed (None when absent)
    disciplines: Disciplines | None
    ai_patents: AIPatents | None
    configs: dict                   # parsed YAML/JSON by logical name (meta/audit.yaml, gii/benchmark.yaml, ...)
    frames: dict                    # other CSV files by logical name (meta/gii_mapping.csv, gii/<edition>/clusters.csv, ...)
    strings: dict                   # UI strings {key: {zh, en}}
    locations: dict                 # logical name -> the file read (relative to the data directory)


store.register(Tables)


class Edition:
    """A year's edition: ``year``, the data ``root``, the validated tables and lazily computed results.

    Table attributes (``tree``, ``cities``, ``indicators``, ``long``, ``wide``, ``history``, ...)
    are the inputs; :attr:`index`, :attr:`scores`, :attr:`patterns` and :attr:`flows` are
    results, computed once. Analyses keep their results here too, with
    :meth:`result`.
    """

    def __init__(self, year: int, root: Path, tables: Tables, results: dict[str, Any] | None = None,
                 warnings: list[Problem] | None = None, policy: dict | None = None):
        self.year = int(year)
        self.root = Path(root)
        self.tables = tables
        # keyword arguments of compute_index (the screen, the scale, ddof): meta/method.yaml, then ``policy``
        self.policy = {**_method(tables), **(policy or {})}
        self.warnings = list(warnings or [])   # what validation reported without refusing the data
        self._results: dict[str, Any] = dict(results or {})
        self._views: dict[str, Any] = {}
        self._computing: set[str] = set()   # keys being computed (a nested request is a bug)

    def __repr__(self) -> str:
        return f"<Edition {self.year} from {self.root}: {len(self.cities)} cities, {len(self.tree.codes)} indicators>"

    # ---- results ---------------------------------------------------------------------------

    def result(self, key: str, compute: Callable[[], T]) -> T:
        """The result ``key``, computed by ``compute()`` the first time it is asked for (or read
        from the saved edition). Every result is saved by :meth:`save`."""
        if key not in self._results:
            if key in self._computing:
                raise RuntimeError(f"result {key!r} asked for while it is being computed (a compute function "
                                   "must not ask for its own result)")
            trace.event(trace.COMPUTE, f"{self.year}:{key}")
            self._computing.add(key)
            try:
                self._results[key] = compute()
            finally:
                self._computing.discard(key)
        value = self._results[key]
        if isinstance(value, _Saved):   # read from the saved edition when first asked for
            value = self._results[key] = store.load(value.desc, value.directory)
        return value

    @property
    def computed(self) -> list[str]:
        """The keys of the results computed (or loaded) so far."""
        return sorted(self._results)

    def view(self, key: str, make: Callable[[], T]) -> T:
        """A cheap view derived from tables and results (not saved; rebuilt after loading)."""
        if key not in self._views:
            self._views[key] = make()
        return self._views[key]

    # ---- tables ----------------------------------------------------------------------------

    @property
    def tree(self) -> Tree:
        return self.tables.tree

    @property
    def indicators(self) -> pd.DataFrame:
        """meta/indicators.csv (text): code, number, sub-pillar, weight, names, units, kind, flow,
        periods, definitions and sources."""
        return self.tables.indicators

    @property
    def cities(self) -> pd.DataFrame:
        return self.tables.cities

    @property
    def long(self) -> pd.DataFrame:
        """The indicator values, long: id, code, value, provenance, note."""
        return self.tables.values

    @property
    def wide(self) -> pd.DataFrame:
        """The indicator values, wide: index city id (cities.csv order), one column per indicator."""
        return self.view("wide", lambda: to_wide(self.tables.values))

    @property
    def history(self) -> pd.DataFrame:
        if self.tables.history is None:
            raise DataError([Problem(HISTORY_FILE, None, None, "no such file", "the table of earlier ranks")])
        return self.tables.history

    @property
    def has_history(self) -> bool:
        return self.tables.history is not None

    @property
    def disciplines(self) -> Disciplines | None:
        return self.tables.disciplines

    @property
    def ai_patents(self) -> AIPatents | None:
        return self.tables.ai_patents

    @property
    def strings(self) -> dict:
        return self.tables.strings

    @property
    def settings(self) -> dict:
        """The edition's own settings (``data/<year>/meta/edition.yaml``; empty when absent)."""
        return dict(self.tables.configs.get(SETTINGS) or {})

    def config(self, name: str) -> Any:
        """A parsed configuration file by logical name (``meta/audit.yaml``)."""
        if name not in self.tables.configs:
            raise DataError([Problem(name, None, None, "no such file", "a configuration file of the edition")])
        return self.tables.configs[name]

    def frame(self, name: str) -> pd.DataFrame:
        """Another input table by logical name (``meta/gii_mapping.csv``), text."""
        if name not in self.tables.frames:
            raise DataError([Problem(name, None, None, "no such file", "an input table of the edition")])
        return self.tables.frames[name]

    def has_frame(self, name: str) -> bool:
        return name in self.tables.frames

    def location(self, name: str) -> str:
        """The file (relative to the data directory) that held the input ``name``."""
        return self.tables.locations.get(name, name)

    @property
    def groups(self) -> pd.Series:
        """City id → group (main, mini), every city of cities.csv."""
        return self.cities.set_index("id")["group"]

    def continent_names(self) -> dict[str, dict]:
        c = self.tables.continents
        return {r["code"]: {"zh": r["name_zh"], "en": r["name_en"]} for _, r in c.iterrows()}

    def country_names(self) -> dict[str, dict]:
        c = self.tables.countries
        return {r["iso3"]: {"zh": r["name_zh"], "en": r["name_en"]} for _, r in c.iterrows()}

    def name_index(self) -> dict[str, str]:
        """Every Chinese spelling of a city (name and aliases) → its id."""
        out = dict(zip(self.cities["name_zh"], self.cities["id"]))
        a = self.tables.city_aliases
        if len(a):
            out.update(zip(a["alias"], a["city_id"]))
        return out

    def label(self, code: str) -> dict:
        row = self.tree.labels.loc[code]
        return {"zh": row["name_zh"], "en": row["name_en"]}

    @property
    def levels(self) -> list[str]:
        return score_columns(self.tree)

    # ---- the index -------------------------------------------------------------------------

    @property
    def index(self) -> IndexResult:
        """The index (Appendix 3): z-scores, scores and ranks at every level, the screen's exclusions."""
        return self.result("index", lambda: compute_index(self.wide, self.groups, self.tree, **self.policy))

    @property
    def scores(self) -> pd.DataFrame:
        """Scored cities (index id): names, group, country, continent, seq, every level's score
        and rank (``<level>_rank``)."""
        return self.view("scores", self._scores)

    def _scores(self) -> pd.DataFrame:
        result, tree, cities = self.index, self.tree, self.cities
        table = index_scores_table(result, cities, tree).set_index("id")
        c = cities.set_index("id")
        scores = table[["name_zh", "name_en", "group"]].copy()
        scores["country_iso3"] = c["country_iso3"].reindex(scores.index)
        scores["continent"] = c["continent"].reindex(scores.index)
        scores["seq"] = c["seq"].reindex(scores.index).astype(int)
        for level in score_columns(tree):
            scores[level] = result.scores[level].reindex(scores.index).astype(float)
            scores[f"{level}_rank"] = result.ranks[level].reindex(scores.index).astype("Int64")
        return scores

    def group(self, group: str | None = MAIN) -> pd.DataFrame:
        return self.scores if group is None else self.scores[self.scores["group"] == group]

    @property
    def patterns(self) -> pd.DataFrame:
        """Development patterns (Appendix 6), index id."""
        def make():
            if not len(self.index.scores):
                return pd.DataFrame(columns=["id", "group", "A", "B", "C"])
            return development_patterns(self.index, self.groups)
        return self.result("patterns", make).set_index("id")

    @property
    def flows(self) -> pd.DataFrame:
        """Agglomeration and radiation (Appendix 7), index id."""
        def make():
            if not len(self.index.scores):
                return pd.DataFrame(columns=["id", "group", "agglomeration", "radiation"])
            return flows(self.index, self.tree, self.groups)
        return self.result("flows", make).set_index("id")

    # ---- variants: try another choice ------------------------------------------------------

    def with_weights(self, weights: dict[str, float]) -> "Edition":
        """The same edition with other weights (``{node code: weight}`` for pillars, sub-pillars
        or indicators; each parent's weights are renormalised to sum to 1). Its results are
        computed afresh; this edition is unchanged."""
        unknown = [c for c in weights if c not in set(self.tables.tree_table["code"]) | set(self.tree.codes)]
        if unknown:
            raise KeyError(f"no node {unknown} in the tree (pillars, sub-pillars, indicators)")
        tree_table = self.tables.tree_table.copy()
        indicators = self.tables.indicators.copy()
        for code, w in weights.items():
            if not float(w) >= 0:
                raise ValueError(f"weight of {code} must be a non-negative number, got {w!r}")
            target = tree_table if code in set(tree_table["code"]) else indicators
            target.loc[target["code"] == code, "weight"] = repr(float(w))
        tree = tree_from_frames(tree_table, indicators)
        tables = dataclasses.replace(self.tables, tree=tree, tree_table=tree_table, indicators=indicators)
        return Edition(self.year, self.root, tables, policy=self.policy)

    def with_method(self, **policy) -> "Edition":
        """The same edition computed with other choices of the method: the keyword arguments of
        :func:`gihi.model.method.index.compute_index` (``ddof``, ``min_coverage``,
        ``min_per_subpillar``, ``lo``, ``hi``). Its results are computed afresh."""
        return Edition(self.year, self.root, self.tables, policy={**self.policy, **policy})

    def summary(self) -> pd.DataFrame:
        """What the edition is built from, one row per ``(subject, kind)`` with its ``count``: cities
        per group (``"cities"``, the group), ``"indicators"``, the indicator values by provenance
        (``"values"``: published, derived, imputed, missing) and the focus-data rows by provenance
        (``"disciplines"``, ``"ai_patents"``)."""
        rows = [("cities", g, int((self.cities["group"] == g).sum())) for g in pd.unique(self.cities["group"])]
        rows.append(("indicators", "", len(self.tree.codes)))
        values = self.long[self.long["value"].notna()]
        rows += [("values", kind, int((values["provenance"] == kind).sum())) for kind in fd.PROVENANCE]
        rows.append(("values", "missing", len(self.cities) * len(self.tree.codes) - len(values)))
        focus = [("disciplines", self.disciplines and {"papers": self.disciplines.papers}),
                 ("ai_patents", self.ai_patents and {"patents": self.ai_patents.patents, "ipc": self.ai_patents.ipc,
                                                     "applicants": self.ai_patents.applicants})]
        for name, frames in focus:
            if frames:
                prov = pd.concat([f["provenance"] for f in frames.values()])
                rows += [(name, kind, int((prov == kind).sum())) for kind in fd.PROVENANCE]
        return pd.DataFrame(rows, columns=["subject", "kind", "count"])

    # ---- saving ----------------------------------------------------------------------------

    def save(self, directory: Path) -> Path:
        """Write the tables and every result computed so far to ``directory`` (created or
        replaced file by file); returns the index file."""
        directory = Path(directory)
        tables = store.dump(self.tables, directory / "tables", "tables")
        results = {k: store.dump(self.result(k, _never), directory / "results", k) for k in sorted(self._results)}
        return store.write_index(directory, {"year": self.year, "root": str(self.root), "tables": tables,
                                             "results": results})


@dataclass(frozen=True)
class _Saved:
    """A result of a saved edition, read when first asked for (its class may be an analysis's)."""

    desc: dict
    directory: Path


def _never():
    raise AssertionError("unreachable: the result exists")


# --------------------------------------------------------------------------- opening

def _text(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """A validated all-text table as the loaders read it (0-based index, pandas ``str`` columns)."""
    return None if frame is None else frame.reset_index(drop=True).astype(str)


def tables_from_inputs(inputs, year: int) -> Tables:
    """Typed tables from what :func:`gihi.model.validate.check_inputs` parsed."""
    t = {k: _text(v) for k, v in inputs.tables.items()}
    m = META
    tree = tree_from_frames(t[f"{m}/tree.csv"], t[f"{m}/indicators.csv"])
    cities = cities_from_frames(t[f"{m}/cities.csv"], t[f"{m}/countries.csv"])
    values = values_from_frame(t[f"{year}/indicators.csv"], list(cities["id"]), tree.codes, f"{year}/indicators.csv")
    history = history_from_frame(t[HISTORY_FILE], set(cities["id"])) if HISTORY_FILE in t else None

    def focus(name: str) -> pd.DataFrame | None:
        rel, cols, ints = fd.FOCUS_FILES[name]
        raw = t.get(f"{year}/{rel}")
        return None if raw is None else fd.typed(raw, cols, ints)

    papers = focus("papers")
    disciplines = Disciplines(t[f"{m}/disciplines.csv"], papers) if papers is not None else None
    ai = None
    if focus("patents") is not None:
        ai = AIPatents(t[f"{m}/ipc_groups.csv"], focus("patents"), focus("ipc"), focus("ipc_universe"),
                       focus("ipc_by_year"), focus("universe"), focus("applicants"))
    used = {f"{m}/{n}" for n in ("tree.csv", "indicators.csv", "cities.csv", "countries.csv", "continents.csv",
                                 "city_aliases.csv", "disciplines.csv", "ipc_groups.csv")}
    used |= {f"{year}/indicators.csv", HISTORY_FILE} | {f"{year}/{v[0]}" for v in fd.FOCUS_FILES.values()}
    strings = ui_strings.from_frames([t[k] for k in ui_strings.logical_names(t)])
    used |= set(ui_strings.logical_names(t))
    frames = {k: v for k, v in t.items() if k not in used}
    empty_aliases = pd.DataFrame({"alias": pd.Series(dtype=str), "city_id": pd.Series(dtype=str)})
    return Tables(tree=tree, indicators=t[f"{m}/indicators.csv"], tree_table=t[f"{m}/tree.csv"], cities=cities,
                  countries=t[f"{m}/countries.csv"], continents=t[f"{m}/continents.csv"],
                  city_aliases=t.get(f"{m}/city_aliases.csv", empty_aliases), values=values, history=history,
                  disciplines=disciplines, ai_patents=ai, configs=dict(inputs.objects), frames=frames,
                  strings=strings, locations=dict(inputs.locations))


def _method(tables: Tables) -> dict:
    """The index method's rules of ``meta/method.yaml`` (validated when the edition was opened)."""
    raw = tables.configs.get(f"{META}/method.yaml")
    return (configs.method(raw)[0] or {}) if raw is not None else {}


def open_edition(year: int, data_dir: str | os.PathLike | None = None, *, store_dir: str | os.PathLike | None = None
                 ) -> Edition:
    """The edition of ``year``: validated from ``data_dir`` (every file read once; raises
    :class:`~gihi.core.errors.DataError` listing every problem), or, with ``store_dir``, read
    from an edition the data stage saved (:func:`load_edition`)."""
    if store_dir is not None:
        ed = load_edition(store_dir)
        if ed.year != int(year):
            raise DataError([Problem(f"{store_dir}/{store.INDEX_FILE}", None, "year", str(ed.year), f"the edition {year}")])
        return ed
    root = resolve_data_dir(data_dir)
    inputs = check_inputs(root, year)
    if inputs.problems:
        raise DataError(inputs.problems)
    ed = Edition(int(year), root, tables_from_inputs(inputs, int(year)), warnings=inputs.warnings)
    ui_strings.activate(ed.strings)
    return ed


@lru_cache(maxsize=4)
def _load(directory: str, stamp: tuple) -> Edition:
    d = Path(directory)
    index = store.read_index(d)
    tables = store.load(index["tables"], d / "tables")
    results = {k: _Saved(v, d / "results") for k, v in index["results"].items()}
    return Edition(index["year"], Path(index["root"]), tables, results)


def load_edition(directory: str | os.PathLike) -> Edition:
    """An edition saved by :meth:`Edition.save` (cached per process while the files are
    unchanged: a warm kernel reads it once for all its chapters)."""
    d = Path(os.path.abspath(directory))
    try:
        st = (d / store.INDEX_FILE).stat()
    except OSError as e:
        raise store.StoreError(f"{d}: no saved edition ({e.strerror})") from e
    ed = _load(str(d), (st.st_mtime_ns, st.st_size))
    ui_strings.activate(ed.strings)
    return ed


__all__ = ["Edition", "Tables", "SETTINGS", "Disciplines", "AIPatents", "open_edition", "load_edition", "resolve_data_dir",
           "tables_from_inputs", "STORE_DIR", "MAIN", "MINI", "COMPOSITE"]
