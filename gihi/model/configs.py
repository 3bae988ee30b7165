"""The configuration files of an edition, checked entry by entry: ``meta/method.yaml``, ``meta/audit.yaml``,
``meta/profiles.yaml``, ``gii/benchmark.yaml``, ``meta/edition.yaml``, the GII cluster tables and
the GII mapping.

Each checker takes what validation parsed and returns ``(value, problems)``: the typed value
(None when it cannot be built) and one :class:`~gihi.core.errors.Problem` per wrong entry, naming
the file, the entry (``uncertainty.runs``; for tables the row and column) and what was expected.
Validation runs them all before anything is computed (``docs/validation.md``); the analyses use
the values.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

import pandas as pd

from gihi.core.errors import Problem

# --------------------------------------------------------------------------- reading entries


class _Entries:
    """Typed access to a parsed YAML mapping that records a problem for each missing or wrong entry."""

    def __init__(self, raw: Any, file: str):
        self.file, self.problems = file, []
        self.raw = raw if isinstance(raw, Mapping) else None
        if self.raw is None:
            self.problems.append(Problem(file, None, None, f"a {type(raw).__name__} at the top level",
                                         "a mapping of settings (key: value)"))

    def add(self, key: str, found: Any, expected: str) -> None:
        self.problems.append(Problem(self.file, None, key, found if isinstance(found, str) else repr(found), expected,
                                     part="entry"))

    def get(self, key: str, convert: Callable[[Any], Any], expected: str, *, check: Callable[[Any], bool] | None = None,
            default: Any = ..., raw: Any = None) -> Any:
        """The entry ``a.b.c``, converted; a problem (and None) when it is missing or wrong."""
        node = self.raw if raw is None else raw
        for part in key.split("."):
            if not isinstance(node, Mapping) or part not in node:
                if default is not ...:
                    return default
                if self.raw is not None:
                    self.add(key, "no such entry", expected)
                return None
            node = node[part]
        try:
            value = convert(node)
        except (TypeError, ValueError, OverflowError):
            self.add(key, node, expected)
            return None
        if check is not None and not check(value):
            self.add(key, node, expected)
            return None
        return value


def _number(v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise TypeError(v)
    f = float(v)
    if not math.isfinite(f):
        raise ValueError(v)
    return f


def _integer(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise TypeError(v)
    return int(v)


def _text(v: Any) -> str:
    if not isinstance(v, str) or not v.strip():
        raise TypeError(v)
    return v


def _texts(v: Any) -> tuple[str, ...]:
    if not isinstance(v, (list, tuple)) or not v:
        raise TypeError(v)
    return tuple(_text(x) for x in v)


def _pair(kind: Callable[[Any], Any]) -> Callable[[Any], tuple]:
    def convert(v: Any) -> tuple:
        if not isinstance(v, (list, tuple)) or len(v) != 2:
            raise TypeError(v)
        return kind(v[0]), kind(v[1])
    return convert


def _year(v: Any) -> int:
    y = _integer(v)
    if not 1900 <= y <= 2999:
        raise ValueError(v)
    return y


# --------------------------------------------------------------------------- method.yaml

def method(raw: Any, file: str = "meta/method.yaml") -> tuple[dict | None, list[Problem]]:
    """``method.yaml`` checked entry by entry; its value is the keyword arguments of
    :func:`gihi.model.method.index.compute_index` (``min_coverage``, ``min_per_subpillar``, ``lo``,
    ``hi``, ``ddof``)."""
    e = _Entries(raw, file)
    cov = e.get("screen.min_coverage", _number, "a share of the indicators in (0, 1]", check=lambda v: 0 < v <= 1)
    per = e.get("screen.min_per_subpillar", _integer, "a whole number of indicators, at least 1", check=lambda v: v >= 1)
    scale = e.get("scale", _pair(_number), "two numbers, low < high (the range of the scores)", check=lambda p: p[0] < p[1])
    ddof = e.get("ddof", _integer, "1 (the sample standard deviation) or 0 (the population's)", check=lambda v: v in (0, 1))
    if e.problems or None in (cov, per, scale, ddof):
        return None, e.problems
    return {"min_coverage": cov, "min_per_subpillar": per, "lo": scale[0], "hi": scale[1], "ddof": ddof}, []


# --------------------------------------------------------------------------- audit.yaml

AUDIT_FACTORS = ("normalisation", "aggregation", "missing")   # the discrete assumptions, in this order
AUDIT_OPTIONS = {"normalisation": ("zscore", "minmax", "rank"), "aggregation": ("arithmetic", "geometric"),
                 "missing": ("available", "group_mean")}


@dataclass(frozen=True)
class AuditConfig:
    """The parsed ``audit.yaml`` (see the file for the meaning of each entry)."""

    runs: int
    seed: int
    percentiles: tuple[float, float]
    quantile_method: str
    perturbation: float
    nominal: dict
    options: dict
    minmax_range: tuple[float, float]
    rank_ties: str
    geometric_range: tuple[float, float]
    sobol_n: int
    sobol_seed: int
    sobol_resamples: int
    sobol_conf: float
    corr_method: str
    corr_group: str
    weak_threshold: float
    alpha_threshold: float
    strong_threshold: float
    report: dict


QUANTILE_METHODS = ("inverted_cdf", "averaged_inverted_cdf", "closest_observation", "interpolated_inverted_cdf",
                    "hazen", "weibull", "linear", "median_unbiased", "normal_unbiased", "lower", "higher",
                    "midpoint", "nearest")


def audit(raw: Any, file: str = "meta/audit.yaml") -> tuple[AuditConfig | None, list[Problem]]:
    """``audit.yaml`` checked entry by entry."""
    e = _Entries(raw, file)
    pos_int = lambda v: v >= 1  # noqa: E731
    frac = lambda v: 0 <= v < 1  # noqa: E731
    runs = e.get("uncertainty.runs", _integer, "a positive integer (Monte Carlo runs)", check=pos_int)
    seed = e.get("uncertainty.seed", _integer, "an integer (the random seed)", check=lambda v: v >= 0)
    pct = e.get("uncertainty.percentiles", _pair(_number), "two percentiles 0 ≤ low < high ≤ 100",
                check=lambda p: 0 <= p[0] < p[1] <= 100)
    qm = e.get("uncertainty.quantile_method", _text, f"a numpy.quantile method ({', '.join(QUANTILE_METHODS[:3])}, …)",
               check=lambda v: v in QUANTILE_METHODS)
    pert = e.get("weights.perturbation", _number, "a fraction in [0, 1)", check=frac)
    options, nominal = {}, {}
    for f in AUDIT_FACTORS:
        known = AUDIT_OPTIONS[f]
        options[f] = e.get(f"{f}.options", _texts, f"a list of options among {', '.join(known)}",
                           check=lambda v, k=known: all(o in k for o in v))
        nominal[f] = e.get(f"{f}.nominal", _text, f"one of {f}.options")
        if options[f] is not None and nominal[f] is not None and nominal[f] not in options[f]:
            e.add(f"{f}.nominal", nominal[f], f"one of {f}.options ({', '.join(options[f])})")
    mm = e.get("normalisation.minmax_range", _pair(_number), "two numbers, low < high", check=lambda p: p[0] < p[1])
    ties = e.get("normalisation.rank_ties", _text, "min, max, average, first or dense",
                 check=lambda v: v in ("min", "max", "average", "first", "dense"))
    geo = e.get("aggregation.geometric_range", _pair(_number), "two positive numbers, low < high",
                check=lambda p: 0 < p[0] < p[1])
    sn = e.get("sensitivity.base_samples", _integer, "a power of 2 (Sobol' base samples)",
               check=lambda v: v >= 2 and v & (v - 1) == 0)
    ss = e.get("sensitivity.seed", _integer, "an integer (the random seed)", check=lambda v: v >= 0)
    sr = e.get("sensitivity.num_resamples", _integer, "a positive integer", check=pos_int)
    sc = e.get("sensitivity.conf_level", _number, "a confidence level in (0, 1)", check=lambda v: 0 < v < 1)
    cm = e.get("consistency.method", _text, "pearson or spearman", check=lambda v: v in ("pearson", "spearman"))
    cg = e.get("consistency.group", _text, "main or mini", check=lambda v: v in ("main", "mini"))
    wt = e.get("consistency.weak_threshold", _number, "a correlation in [0, 1)", check=frac)
    at = e.get("consistency.alpha_threshold", _number, "a value in (0, 1)", check=lambda v: 0 < v < 1)
    st = e.get("consistency.strong_threshold", _number, "a correlation in (0, 1)", check=lambda v: 0 < v < 1)
    report = e.get("report", dict, "a mapping (top_main, top_k, wide_interval, least_robust)", default={}) or {}
    for k in ("top_main", "top_k", "wide_interval", "least_robust"):
        e.get(f"report.{k}", _integer, "a positive integer", check=pos_int)
    values = (runs, seed, pct, qm, pert, mm, ties, geo, sn, ss, sr, sc, cm, cg, wt, at, st)
    if e.problems or any(v is None for v in values) or any(v is None for v in (*options.values(), *nominal.values())):
        return None, e.problems
    return AuditConfig(runs=runs, seed=seed, percentiles=pct, quantile_method=qm, perturbation=pert, nominal=nominal,
                       options=options, minmax_range=mm, rank_ties=ties, geometric_range=geo, sobol_n=sn,
                       sobol_seed=ss, sobol_resamples=sr, sobol_conf=sc, corr_method=cm, corr_group=cg,
                       weak_threshold=wt, alpha_threshold=at, strong_threshold=st, report=dict(report)), []


# --------------------------------------------------------------------------- profiles.yaml

def profiles(raw: Any, groups: Iterable[str] | None, levels: Iterable[str] | None, file: str = "meta/profiles.yaml"
             ) -> tuple[dict | None, list[Problem]]:
    """``profiles.yaml`` checked entry by entry; ``groups`` and ``levels`` are those the edition has
    (None: unknown, because their own files have problems; the entries are then checked for their
    form only)."""
    e = _Entries(raw, file)
    known_groups, known_levels = groups is not None, levels is not None
    groups, levels = list(groups or ()), list(levels or ())
    g = e.get("groups", _texts, f"a list of the city groups ({', '.join(groups)})" if known_groups else "a list of the city groups",
              check=lambda v: not known_groups or set(groups) <= set(v) and set(v) <= set(groups))
    e.get("strengths.top_fraction", _number, "a fraction in (0, 1)", check=lambda v: 0 < v < 1)
    e.get("strengths.max_listed", _integer, "a positive integer", check=lambda v: v >= 1)
    e.get("weaknesses.count", _integer, "a positive integer", check=lambda v: v >= 1)
    e.get("weaknesses.min_fraction", _number, "a fraction in [0, 1)", check=lambda v: 0 <= v < 1)
    lo = e.get("chart.axis_min", _number, "a number below chart.axis_max")
    hi = e.get("chart.axis_max", _number, "a number above chart.axis_min")
    if lo is not None and hi is not None and lo >= hi:
        e.add("chart.axis_min", lo, f"a number below chart.axis_max ({hi:g})")
    e.get("chart.ticks", lambda v: [_number(x) for x in v], "a list of numbers")
    e.get("history.editions", _integer, "a non-negative integer (earlier editions shown)", check=lambda v: v >= 0)
    e.get("history.levels", _texts, f"a list of levels among {', '.join(levels)}" if known_levels else "a list of levels",
          check=lambda v: not known_levels or all(x in levels for x in v))
    return (dict(raw) if not e.problems and g is not None else None), e.problems


# --------------------------------------------------------------------------- gii/benchmark.yaml

GII_RELATIONS = ("exact", "gihi_part_of_cluster", "cluster_part_of_gihi", "several_gihi_cities")
GII_FIELDS = ("rank", "sp_score", "pct_score", "vc_score")


def gii_benchmark(raw: Any, levels: Iterable[str] | None, file: str = "gii/benchmark.yaml") -> tuple[dict | None, list[Problem]]:
    """``benchmark.yaml`` checked entry by entry (``levels``: the GIHI levels of the edition; None:
    unknown, the pairs' levels are not checked)."""
    e = _Entries(raw, file)
    known_levels = levels is not None
    levels = ["composite", *(levels or ())]
    srcs = e.get("sources", dict, "a mapping GII edition → its source", check=lambda v: len(v) > 0)
    for ed_, src in (srcs or {}).items():
        if not isinstance(src, Mapping):
            e.add(f"sources.{ed_}", src, "a mapping (publisher, title, n_top)")
            continue
        for k in ("publisher_zh", "publisher_en", "title_zh", "title_en"):
            if not (isinstance(src.get(k), str) and src[k].strip()):
                e.add(f"sources.{ed_}.{k}", src.get(k, "no such entry"), "a text")
        n = src.get("n_top")
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            e.add(f"sources.{ed_}.n_top", n if n is not None else "no such entry", "a positive integer (clusters ranked)")
    e.get("group", _text, "main or mini", check=lambda v: v in ("main", "mini"))
    e.get("relations", _texts, f"a list among {', '.join(GII_RELATIONS)}", check=lambda v: all(x in GII_RELATIONS for x in v))
    e.get("combine", _text, "best or mean", check=lambda v: v in ("best", "mean"))
    pairs = e.get("pairs", list, "a list of {id, gihi, gii} pairs", check=lambda v: len(v) > 0) or []
    for i, p in enumerate(pairs):
        if not isinstance(p, Mapping) or not isinstance(p.get("id"), str):
            e.add(f"pairs[{i}]", p, "{id, gihi, gii}")
            continue
        if known_levels and p.get("gihi") not in levels:
            e.add(f"pairs[{i}].gihi", p.get("gihi", "nothing"), f"a GIHI level ({', '.join(levels)})")
        if p.get("gii") not in GII_FIELDS:
            e.add(f"pairs[{i}].gii", p.get("gii", "nothing"), f"a GII field ({', '.join(GII_FIELDS)})")
    e.get("disagreements.top", _integer, "a positive integer", check=lambda v: v >= 1)
    e.get("disagreements.scale_gap", _number, "a non-negative number", check=lambda v: v >= 0)
    e.get("disagreements.volume_kinds", _texts, "a list of indicator kinds")
    e.get("disagreements.per_capita_kinds", _texts, "a list of indicator kinds")
    weak = e.get("strength.weak", _number, "a correlation in (0, 1)", check=lambda v: 0 < v < 1)
    strong = e.get("strength.strong", _number, "a correlation in (0, 1)", check=lambda v: 0 < v < 1)
    if weak is not None and strong is not None and weak >= strong:
        e.add("strength.weak", weak, f"below strength.strong ({strong:g})")
    e.get("alpha", _number, "a significance level in (0, 1)", check=lambda v: 0 < v < 1)
    e.get("p_floor", _number, "a p-value floor in (0, 1)", check=lambda v: 0 < v < 1, default=0.001)
    return (dict(raw) if not e.problems else None), e.problems


# --------------------------------------------------------------------------- edition.yaml

#: the entries of a section of edition.yaml
SECTIONS = {"ai_patents": ("years", "stages", "city_growth", "stock_chart_from"), "disciplines": ("years",)}


def edition_settings(raw: Any, year: int, gii_editions: Sequence[int], file: str, *, needs: Iterable[str] = ()
                     ) -> tuple[dict | None, list[Problem]]:
    """``data/<year>/meta/edition.yaml``: the GII edition (one of ``gii_editions``, when given),
    the focus chapters' periods (years not after the report year). ``needs``: sections that must
    be there (``ai_patents`` when the edition has AI-patent data: the analysis reads its periods)."""
    e = _Entries(raw, file)
    not_after = lambda y: y <= year  # noqa: E731
    for section in needs:
        if e.raw is not None and section not in e.raw:
            e.add(section, "no such entry", f"the {section} settings ({', '.join(SECTIONS.get(section, ()))}): "
                                            f"the edition has {section} data")
    if e.raw is not None and "gii_edition" in e.raw:
        e.get("gii_edition", _year, f"a GII edition with data under gii/ ({', '.join(map(str, gii_editions)) or 'none'})",
              check=lambda v: v in gii_editions)
    if e.raw is not None and "disciplines" in e.raw:
        e.get("disciplines.years", _pair(_year), f"[first, last] publication years, first ≤ last ≤ {year}",
              check=lambda p: p[0] <= p[1] and not_after(p[1]))
    if e.raw is not None and "ai_patents" in e.raw:
        span = e.get("ai_patents.years", _pair(_year), f"[first, last] publication years, first ≤ last ≤ {year}",
                     check=lambda p: p[0] <= p[1] and not_after(p[1]))
        inside = (lambda p: span[0] <= p[0] < p[1] <= span[1]) if span else (lambda p: p[0] < p[1])
        what = f"[start, end] with {span[0]} ≤ start < end ≤ {span[1]} (ai_patents.years)" if span else "[start, end], start < end"
        stages = e.get("ai_patents.stages", list, "a list of [start, end] periods", check=lambda v: len(v) > 0) or []
        for i, s in enumerate(stages):
            try:
                p = _pair(_year)(s)
                if not inside(p):
                    raise ValueError(s)
            except (TypeError, ValueError):
                e.add(f"ai_patents.stages[{i}]", s, what)
        windows = e.get("ai_patents.city_growth", dict, "a mapping name → [start, end]", check=lambda v: len(v) > 0) or {}
        for k, w in windows.items():
            try:
                p = _pair(_year)(w)
                if not inside(p):
                    raise ValueError(w)
            except (TypeError, ValueError):
                e.add(f"ai_patents.city_growth.{k}", w, what)
        e.get("ai_patents.stock_chart_from", _year, "a year within ai_patents.years",
              check=lambda v: span is None or span[0] <= v <= span[1])
    return (dict(raw) if not e.problems and e.raw is not None else None), e.problems


# --------------------------------------------------------------------------- GII tables

CLUSTER_COLUMNS = ("rank", "name_zh", "name_en", "name_en_source", "economy_zh", "economy_en", "economy_source",
                   "sp_score", "sp_printed", "pct_score", "pct_printed", "vc_score", "vc_printed", "unit_zh", "unit_en",
                   "provenance")
MAPPING_COLUMNS = ("gihi_id", "gii_cluster", "relation", "note_zh", "note_en")
SCORE_FIELDS = ("sp_score", "pct_score", "vc_score")


def gii_clusters(c: pd.DataFrame, file: str, n_top: int = 100) -> tuple[pd.DataFrame | None, list[Problem]]:
    """A GII cluster table (text, 1-based rows) typed: ``rank`` nullable Int64 (1 … ``n_top``,
    unique), the scores floats (empty = not stated); names unique."""
    problems = [Problem(file, None, k, "no such column", f"columns {','.join(CLUSTER_COLUMNS)}")
                for k in CLUSTER_COLUMNS if k not in c.columns]
    if problems:
        return None, problems
    rows = list(c.index)
    out = c.reset_index(drop=True).copy()
    ranks = []
    for i, v in zip(rows, c["rank"]):
        t = str(v).strip()
        if t == "":
            ranks.append(None)
        elif t.isdigit() and 1 <= int(t) <= n_top:
            ranks.append(int(t))
        else:
            problems.append(Problem(file, int(i), "rank", repr(v), f"a rank from 1 to {n_top}, or empty"))
            ranks.append(None)
    seen: dict[int, int] = {}
    for i, r in zip(rows, ranks):
        if r is not None:
            if r in seen:
                problems.append(Problem(file, int(i), "rank", str(r), f"a rank not given twice (first at row {seen[r]})"))
            seen.setdefault(r, int(i))
    for f in SCORE_FIELDS:
        vals = []
        for i, v in zip(rows, c[f]):
            t = str(v).strip()
            try:
                x = float(t) if t else math.nan
                if t and (not math.isfinite(x) or x < 0):
                    raise ValueError(t)
            except ValueError:
                problems.append(Problem(file, int(i), f, repr(v), "a non-negative score, or empty"))
                x = math.nan
            vals.append(x)
        out[f] = pd.Series(vals, dtype=float)
    for col in ("name_en", "name_zh"):
        first: dict[str, int] = {}
        for i, v in zip(rows, c[col]):
            if v in first:
                problems.append(Problem(file, int(i), col, repr(v), f"a name not given twice (first at row {first[v]})"))
            first.setdefault(v, int(i))
    if problems:
        return None, problems
    out["rank"] = pd.array(ranks, dtype="Int64")
    return out, []


def gii_mapping(m: pd.DataFrame, file: str, city_ids: Iterable[str], clusters: Iterable[str],
                relations: Sequence[str]) -> list[Problem]:
    """Everything wrong with ``gii_mapping.csv`` (text, 1-based rows): missing columns, unknown
    city or cluster, unknown relation, empty note, a pair given twice."""
    problems = [Problem(file, None, k, "no such column", f"columns {','.join(MAPPING_COLUMNS)}")
                for k in MAPPING_COLUMNS if k not in m.columns]
    if problems:
        return problems
    ids, names = set(city_ids), set(clusters)
    seen: dict[tuple, int] = {}
    for i, r in zip(m.index, m.itertuples(index=False)):
        i = int(i)
        if r.gihi_id not in ids:
            problems.append(Problem(file, i, "gihi_id", repr(r.gihi_id), "a city id of the edition (meta/cities.csv)"))
        if r.gii_cluster not in names:
            problems.append(Problem(file, i, "gii_cluster", repr(r.gii_cluster), "a cluster of the compared GII edition (name_en)"))
        if r.relation not in relations:
            problems.append(Problem(file, i, "relation", repr(r.relation), f"one of {', '.join(relations)}"))
        for k in ("note_zh", "note_en"):
            if not str(getattr(r, k)).strip():
                problems.append(Problem(file, i, k, "an empty note", "a note for every pairing"))
        key = (r.gihi_id, r.gii_cluster)
        if key in seen:
            problems.append(Problem(file, i, "gihi_id,gii_cluster", f"{key[0]} ↔ {key[1]} again (first at row {seen[key]})",
                                    "each pairing once"))
        seen.setdefault(key, i)
    return problems


__all__ = ["AuditConfig", "audit", "profiles", "gii_benchmark", "edition_settings", "gii_clusters", "gii_mapping",
           "AUDIT_FACTORS", "AUDIT_OPTIONS", "GII_RELATIONS", "CLUSTER_COLUMNS", "MAPPING_COLUMNS", "SCORE_FIELDS"]
