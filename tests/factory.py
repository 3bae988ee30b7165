"""Synthetic editions for tests, in the manner of COINr's example coin.

:func:`make_data` writes a small but complete, valid data directory (``meta/``, ``<year>/meta/``,
``<year>/indicators.csv``, optionally ``history/``, the focus-chapter data and the GII inputs);
:func:`make_edition` writes one and opens it (:func:`gihi.open_edition`). Everything is seeded:
the same arguments give byte-identical files. Writing and opening a default edition takes well
under half a second.

The synthetic index (all knobs below are module constants or arguments, so a test can work its
expected values out by hand from them — never from the code under test)::

    GIHI ─ A (0.3) ─ A1 (0.5): I01 per_million (1), I02 count (1)
         │         └ A2 (0.5): I03 count (1)
         ├ B (0.3) ─ B1 (0.4): I04 count (2), I05 share (1)
         │         └ B2 (0.6): I06 amount (1)
         └ C (0.4) ─ C1 (0.5): I07 rate (1), I08 per_million (1)
                   └ C2 (0.5): I09 score (1)

(weights in parentheses, within the parent; indicator weights are renormalised within their
sub-pillar, so I04 counts 2/3 of B1.) Flows (Appendix 7): I01, I02, I04, I09 agglomeration; I05,
I06, I08 radiation; I03, I07 neither.

Cities: ``n_main`` main cities ``city-01``… and ``n_mini`` mini-hubs ``hub-01``… (``cities``
replaces them), spread over four countries (:data:`COUNTRIES`) in cities.csv order.

Knobs of :func:`make_data` (all keyword-only):

* ``year`` (2030) — the edition; the data go to ``<root>/<year>/``. Calling :func:`make_data`
  again on the same root with another year adds that edition (the shared ``meta/`` files are
  rewritten identically), e.g. a synthetic *next* edition.
* ``n_main`` (10), ``n_mini`` (3) — numbers of generated cities; or ``cities``: explicit rows
  (dicts with ``id``, ``group`` and optionally ``name_zh``, ``name_en``, ``country_iso3``,
  ``lat``, ``lon``; ``seq`` is the list position).
* ``weights`` — ``{code: weight}`` overriding :data:`TREE` / :data:`INDICATORS` weights (the
  tree's weights must still sum to 1 within each parent, or the data are invalid — which a
  test may want).
* ``values`` — raw values overriding the generated ones cell by cell: a wide DataFrame (index
  city id, columns indicator codes) or ``{city: {code: value}}``; NaN / None = missing.
* ``seed`` (0) — generated values, provenances, coordinates, history ranks, focus data.
* ``missing`` (0.0) — fraction of the generated cells left empty (seeded; not checked against
  the coverage screen: keep it small).
* ``provenance`` — one provenance for every value present (default: a seeded mix of
  published / derived / imputed).
* ``history`` (True) — write ``history/ranks.csv``: composite and pillar ranks of the main cities
  in the two previous years (seeded permutations). The file is shared by every edition of the
  root: pass False when adding an edition whose main cities differ, to keep the existing one.
* ``focus`` (False) — write the focus-chapter inputs (:data:`DISCIPLINES`, :data:`IPC_GROUPS`,
  papers and AI patents for :data:`FOCUS_YEARS` before ``year``) and the ``ai_patents`` periods of
  ``edition.yaml``.
* ``gii`` (False) — write a GII benchmark: ``gii/benchmark.yaml`` (:data:`BENCHMARK`),
  ``gii/<year - 1>/clusters.csv``, ``<year>/meta/gii_mapping.csv`` (see :func:`_write_gii`) and
  ``gii_edition: <year - 1>`` in edition.yaml (needs at least 5 main cities).
* ``meta/profiles.yaml`` (:data:`PROFILES`) is always written, and ``meta/method.yaml`` copied
  from the real data.
* ``audit`` (True) — write ``meta/audit.yaml`` (:data:`AUDIT`: few runs, so it is fast); a dict
  is merged into it section by section.
* ``strings`` (True) — copy the repository's UI strings (``meta/strings.csv``, ``strings.d/``):
  opening an edition makes its strings the process's catalogue, so a test edition keeps the
  real one complete. False writes a one-key ``strings.csv``.
* ``year_meta`` (True) — put the edition's own metadata (tree, indicators, cities, GII mapping,
  edition.yaml) under ``<year>/meta/`` as the real editions do; False puts them in ``meta/``.
"""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
REAL_META = ROOT / "data" / "meta"
YEAR = 2030

#: (code, level, parent, name_zh, name_en, weight) — the index tree (weights within the parent)
TREE = [
    ("GIHI", "index", "", "合成指数", "Synthetic index", 1.0),
    ("A", "pillar", "GIHI", "科学中心", "Science", 0.3),
    ("B", "pillar", "GIHI", "创新高地", "Highland", 0.3),
    ("C", "pillar", "GIHI", "创新生态", "Ecosystem", 0.4),
    ("A1", "subpillar", "A", "科学甲一", "Science one", 0.5),
    ("A2", "subpillar", "A", "科学甲二", "Science two", 0.5),
    ("B1", "subpillar", "B", "高地乙一", "Highland one", 0.4),
    ("B2", "subpillar", "B", "高地乙二", "Highland two", 0.6),
    ("C1", "subpillar", "C", "生态丙一", "Ecosystem one", 0.5),
    ("C2", "subpillar", "C", "生态丙二", "Ecosystem two", 0.5),
]

#: (code, subpillar, weight, kind, flow, unit_zh, unit_en) — the indicators in Table-1 order
INDICATORS = [
    ("I01", "A1", 1.0, "per_million", "agglomeration", "人/百万人", "researchers per million inhabitants"),
    ("I02", "A1", 1.0, "count", "agglomeration", "人", "laureates"),
    ("I03", "A2", 1.0, "count", "", "所", "universities"),
    ("I04", "B1", 2.0, "count", "agglomeration", "件", "patents"),
    ("I05", "B1", 1.0, "share", "radiation", "%", "percent"),
    ("I06", "B2", 1.0, "amount", "radiation", "亿美元", "USD 100 million"),
    ("I07", "C1", 1.0, "rate", "", "%", "percent change"),
    ("I08", "C1", 1.0, "per_million", "radiation", "家/百万人", "firms per million inhabitants"),
    ("I09", "C2", 1.0, "score", "agglomeration", "分", "points"),
]
CODES = [i[0] for i in INDICATORS]
#: kind → (plausible_min, plausible_max) written to indicators.csv (the generated values lie inside)
PLAUSIBLE = {"count": (0, 1000), "per_million": (0, 1e6), "amount": (0, 1e5), "share": (0, 100), "rate": (-50, 100),
             "score": (-1000, 1000)}

#: (iso3, name_zh, name_en, continent) and the continents they use (codes as in data/meta)
COUNTRIES = [("CAN", "加拿大", "Canada", "north_america"), ("DEU", "德国", "Germany", "europe"),
             ("JPN", "日本", "Japan", "asia"), ("AUS", "澳大利亚", "Australia", "oceania")]
CONTINENTS = [("asia", "亚洲", "Asia"), ("europe", "欧洲", "Europe"), ("north_america", "北美洲", "North America"),
              ("oceania", "大洋洲", "Oceania")]

#: meta/audit.yaml of a synthetic edition: the real file's assumptions, few runs
AUDIT = {
    "uncertainty": {"runs": 200, "seed": 7, "percentiles": [5, 95], "quantile_method": "inverted_cdf"},
    "weights": {"perturbation": 0.25},
    "normalisation": {"nominal": "zscore", "options": ["zscore", "minmax", "rank"], "minmax_range": [0, 100],
                      "rank_ties": "min"},
    "aggregation": {"nominal": "arithmetic", "options": ["arithmetic", "geometric"], "geometric_range": [1, 100]},
    "missing": {"nominal": "available", "options": ["available", "group_mean"]},
    "sensitivity": {"base_samples": 64, "seed": 8, "num_resamples": 20, "conf_level": 0.95},
    "consistency": {"method": "pearson", "group": "main", "weak_threshold": 0.1, "alpha_threshold": 0.7,
                    "strong_threshold": 0.5},
    "report": {"top_main": 10, "top_k": 5, "wide_interval": 3, "least_robust": 5},
}

#: meta/profiles.yaml of a synthetic edition (the real file's rules; ``groups`` are the edition's)
PROFILES = {"groups": ["main", "mini"], "strengths": {"top_fraction": 0.2, "max_listed": 3},
            "weaknesses": {"count": 2, "min_fraction": 0.5}, "chart": {"axis_min": 50, "axis_max": 100,
            "ticks": [50, 60, 70, 80, 90, 100]}, "history": {"editions": 2, "levels": ["composite", "A", "B", "C"]}}

#: focus data: (code, name_zh, name_en, domain) and (code, label_zh, label_en, field_group, field_group_zh)
DISCIPLINES = [("31", "生物科学", "Biological Sciences", "STEM"), ("40", "工程", "Engineering", "STEM"),
               ("44", "人文地理", "Human Society", "HASS"), ("47", "语言与文化", "Language and Culture", "HASS")]
IPC_GROUPS = [("G06N-0003", "神经网络", "Neural networks", "algorithms_compute", "人工智能算法算力"),
              ("G06K-0009", "图形识别", "Pattern recognition", "computer_vision", "计算机视觉技术"),
              ("G05B-0013", "自适应控制", "Adaptive control", "intelligent_control", "智能控制技术")]
FOCUS_YEARS = 5          # papers and patents of the FOCUS_YEARS years before the edition's year
APPLICANTS = 2           # named applicants of each of the first three main cities

#: gii/benchmark.yaml of a synthetic edition (the real file's rules, pairs on the synthetic tree)
BENCHMARK = {
    "sources": {}, "group": "main",
    "relations": ["exact", "gihi_part_of_cluster", "cluster_part_of_gihi", "several_gihi_cities"],
    "combine": "best",
    "pairs": [{"id": "composite", "gihi": "composite", "gii": "rank"}, {"id": "publications", "gihi": "A1", "gii": "sp_score"},
              {"id": "pct", "gihi": "B1", "gii": "pct_score"}, {"id": "vc", "gihi": "C2", "gii": "vc_score"}],
    "disagreements": {"top": 3, "scale_gap": 2, "volume_kinds": ["count", "amount"], "per_capita_kinds": ["per_million"]},
    "strength": {"weak": 0.3, "strong": 0.6}, "alpha": 0.05, "p_floor": 0.001,
}

PROVENANCES = ("published", "derived", "imputed")


# --------------------------------------------------------------------------- writing helpers

def _csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows([["" if v is None else v for v in r] for r in rows])
    path.write_text(buf.getvalue(), encoding="utf-8")


def _yaml(path: Path, content: Mapping) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(dict(content), allow_unicode=True, sort_keys=False), encoding="utf-8")


def number_text(v: float) -> str:
    """A value as written to indicators.csv: shortest round-trip text, no trailing ``.0``."""
    s = repr(float(v))
    return s[:-2] if s.endswith(".0") else s


def city_rows(n_main: int = 10, n_mini: int = 3, cities: list[Mapping] | None = None, seed: int = 0) -> list[dict]:
    """The cities.csv rows (dicts) of a synthetic edition, in cities.csv order."""
    if cities is None:
        cities = [{"id": f"city-{k:02d}", "group": "main"} for k in range(1, n_main + 1)]
        cities += [{"id": f"hub-{k:02d}", "group": "mini"} for k in range(1, n_mini + 1)]
    rng = np.random.default_rng([seed, 1])
    out = []
    for seq, c in enumerate(cities, start=1):
        cid = c["id"]
        label = cid.replace("-", " ").title()
        zh = cid.replace("city-", "城市").replace("hub-", "枢纽")
        out.append({"id": cid, "seq": seq, "name_zh": c.get("name_zh", zh if zh != cid else f"合成{cid}"),
                    "name_en": c.get("name_en", label),
                    "country_iso3": c.get("country_iso3", COUNTRIES[(seq - 1) % len(COUNTRIES)][0]),
                    "group": c["group"], "lat": c.get("lat", round(float(rng.uniform(-60, 70)), 2)),
                    "lon": c.get("lon", round(float(rng.uniform(-170, 170)), 2))})
    return out


def generated_values(ids: list[str], seed: int = 0) -> pd.DataFrame:
    """Seeded raw values (wide: city id × indicator code) within each indicator's kind's range."""
    rng = np.random.default_rng([seed, 2])
    n = len(ids)
    kinds = {code: kind for code, _, _, kind, *_ in INDICATORS}
    draw = {
        "count": lambda: rng.integers(0, 60, n).astype(float),
        "per_million": lambda: np.round(rng.lognormal(6, 1, n), 2),
        "amount": lambda: np.round(rng.lognormal(3, 1.2, n), 3),
        "share": lambda: np.round(rng.uniform(0, 100, n), 2),
        "rate": lambda: np.round(rng.uniform(-20, 80, n), 2),
        "score": lambda: np.round(rng.normal(50, 15, n), 1),
    }
    return pd.DataFrame({code: draw[kinds[code]]() for code in CODES}, index=pd.Index(ids, name="id"))


def _apply_values(wide: pd.DataFrame, values) -> pd.DataFrame:
    wide = wide.copy()
    if values is None:
        return wide
    if isinstance(values, pd.DataFrame):
        items = ((cid, code, values.at[cid, code]) for cid in values.index for code in values.columns)
    else:
        items = ((cid, code, v) for cid, row in values.items() for code, v in row.items())
    for cid, code, v in items:
        if cid not in wide.index or code not in wide.columns:
            raise KeyError(f"factory values: unknown city {cid!r} or indicator {code!r}")
        wide.at[cid, code] = np.nan if v is None else float(v)
    return wide


# --------------------------------------------------------------------------- the data directory

def make_data(root: Path, year: int = YEAR, *, n_main: int = 10, n_mini: int = 3, cities: list[Mapping] | None = None,
              weights: Mapping[str, float] | None = None, values=None, seed: int = 0, missing: float = 0.0,
              provenance: str | None = None, history: bool = True, focus: bool = False, gii: bool = False,
              audit: bool | Mapping = True, strings: bool = True, year_meta: bool = True) -> Path:
    """Write a synthetic data directory under ``root`` (see the module docstring); returns ``root``."""
    root = Path(root)
    meta = root / "meta"
    own = root / str(year) / "meta" if year_meta else meta
    weights = dict(weights or {})
    meta.mkdir(parents=True, exist_ok=True)

    # shared metadata
    _csv(meta / "continents.csv", ["code", "name_zh", "name_en"], [list(c) for c in CONTINENTS])
    _csv(meta / "countries.csv", ["iso3", "name_zh", "name_en", "continent"], [list(c) for c in COUNTRIES])
    if strings:
        shutil.copy2(REAL_META / "strings.csv", meta / "strings.csv")
        if (REAL_META / "strings.d").is_dir():
            shutil.copytree(REAL_META / "strings.d", meta / "strings.d", dirs_exist_ok=True)
    else:
        _csv(meta / "strings.csv", ["key", "zh", "en"], [["test.hello", "你好", "Hello"]])
    rows = city_rows(n_main, n_mini, cities, seed)
    groups = [g for g in ("main", "mini") if any(r["group"] == g for r in rows)]
    _yaml(meta / "profiles.yaml", {**PROFILES, "groups": groups})
    shutil.copy2(REAL_META / "method.yaml", meta / "method.yaml")
    if audit:
        cfg = {k: dict(v) for k, v in AUDIT.items()}
        for k, v in (audit.items() if isinstance(audit, Mapping) else ()):
            cfg[k] = {**cfg.get(k, {}), **v}
        _yaml(meta / "audit.yaml", cfg)

    # the edition's own metadata
    _csv(own / "tree.csv", ["code", "level", "parent", "name_zh", "name_en", "weight"],
         [[c, lv, p, zh, en, number_text(weights.get(c, w))] for c, lv, p, zh, en, w in TREE])
    ind_rows = []
    for k, (code, sp, w, kind, flow, unit_zh, unit_en) in enumerate(INDICATORS, start=1):
        lo, hi = PLAUSIBLE[kind]
        ind_rows.append([code, k, sp, number_text(weights.get(code, w)), f"指标{k}", f"Indicator {k}", unit_zh, unit_en,
                         kind, number_text(lo), number_text(hi), flow, f"{year - 1}年", str(year - 1), f"合成指标{k}的定义。",
                         f"Definition of indicator {k}.", "合成数据", "Synthetic data"])
    _csv(own / "indicators.csv", ["code", "number", "subpillar", "weight", "name_zh", "name_en", "unit_zh", "unit_en",
                                  "kind", "plausible_min", "plausible_max", "flow", "period_zh", "period_en",
                                  "definition_zh", "definition_en", "source_zh", "source_en"], ind_rows)
    _csv(own / "cities.csv", ["id", "seq", "name_zh", "name_en", "country_iso3", "group", "lat", "lon"],
         [[r[k] for k in ("id", "seq", "name_zh", "name_en", "country_iso3", "group", "lat", "lon")] for r in rows])
    ids = [r["id"] for r in rows]
    mains = [r["id"] for r in rows if r["group"] == "main"]

    # the values
    wide = generated_values(ids, seed)
    rng = np.random.default_rng([seed, 3])
    if missing:
        wide = wide.mask(rng.random(wide.shape) < missing)
    wide = _apply_values(wide, values)
    prov = rng.choice(PROVENANCES, size=wide.shape)
    lines = []
    for i, cid in enumerate(ids):
        for j, code in enumerate(CODES):
            v = wide.at[cid, code]
            if pd.isna(v):
                lines.append([cid, code, "", "missing", ""])
            else:
                lines.append([cid, code, number_text(v), provenance or prov[i, j], ""])
    _csv(root / str(year) / "indicators.csv", ["id", "code", "value", "provenance", "note"], lines)

    settings: dict[str, Any] = {}
    if history:
        h = np.random.default_rng([seed, 4])
        hist = [[y, level, cid, r, "synthetic"] for y in (year - 2, year - 1) for level in ("composite", "A", "B", "C")
                for cid, r in zip(mains, h.permutation(len(mains)) + 1)]
        _csv(root / "history" / "ranks.csv", ["year", "level", "id", "rank", "source"], hist)
    if focus:
        settings["ai_patents"] = _write_focus(root, year, ids, mains, seed)
        settings["disciplines"] = {"years": settings["ai_patents"]["years"]}
    if gii:
        settings["gii_edition"] = _write_gii(root, year, own, mains)
    (own / "edition.yaml").write_text(f"# synthetic edition {year} (tests/factory.py)\n"
                                      + (yaml.safe_dump(settings, sort_keys=False) if settings else "{}\n"),
                                      encoding="utf-8")
    return root


def _write_focus(root: Path, year: int, ids: list[str], mains: list[str], seed: int) -> dict:
    rng = np.random.default_rng([seed, 5])
    meta = root / "meta"
    _csv(meta / "disciplines.csv", ["code", "name_zh", "name_en", "domain"], [list(d) for d in DISCIPLINES])
    _csv(meta / "ipc_groups.csv", ["code", "label_zh", "label_en", "field_group", "field_group_zh"],
         [list(g) for g in IPC_GROUPS])
    years = list(range(year - FOCUS_YEARS, year))
    papers = []
    for cid in ids:
        for d in DISCIPLINES:
            for y in years:
                p = int(rng.integers(50, 2000))
                papers.append([cid, d[0], y, p, int(rng.binomial(p, 0.012)), "imputed"])
    _csv(root / str(year) / "disciplines" / "papers.csv", ["id", "discipline", "year", "papers", "hcp", "provenance"], papers)
    ai = root / str(year) / "ai_patents"
    pat = []
    for cid in ids:
        for y in years:
            valid = int(rng.integers(1, 500))
            pat.append([cid, y, valid, int(rng.integers(0, valid // 5 + 1)), int(rng.integers(0, valid // 10 + 1)),
                        int(rng.integers(0, valid // 3 + 1)), "imputed"])
    _csv(ai / "patents_by_year.csv", ["id", "year", "valid", "pct", "triadic", "hq", "provenance"], pat)
    ipc = [[cid, g[0], int(rng.integers(0, 80)), "imputed"] for cid in ids for g in IPC_GROUPS]
    _csv(ai / "ipc.csv", ["id", "ipc", "hq_patents", "provenance"], ipc)
    by_year = {(g[0], y): int(rng.integers(100, 900)) for g in IPC_GROUPS for y in years}
    _csv(ai / "ipc_by_year.csv", ["ipc", "year", "hq_patents", "provenance"],
         [[g, y, v, "published"] for (g, y), v in by_year.items()])
    totals = {g[0]: sum(v for (c, _), v in by_year.items() if c == g[0]) for g in IPC_GROUPS}
    _csv(ai / "ipc_universe.csv", ["ipc", "hq_patents", "provenance"], [[g, v, "published"] for g, v in totals.items()])
    hq_total = sum(totals.values()) * 2
    _csv(ai / "universe.csv", ["measure", "value", "provenance", "note"],
         [["ai_patents", hq_total * 5, "published", "all AI patents searched"],
          ["hq_patents", hq_total, "published", "high-quality AI patents searched"]])
    apps = [[cid, f"申请人{cid}{k}", f"Applicant {cid} {k}", int(rng.integers(1, 40)), "published"]
            for cid in mains[:3] for k in range(1, APPLICANTS + 1)]
    _csv(ai / "applicants.csv", ["id", "applicant_zh", "applicant_en", "valid_patents", "provenance"], apps)
    return {"years": [years[0], years[-1]], "stages": [[years[0], years[2]], [years[2], years[-1]]],
            "city_growth": {"long": [years[0], years[-1]], "recent": [years[-2], years[-1]]},
            "stock_chart_from": years[1]}


def _write_gii(root: Path, year: int, own: Path, mains: list[str]) -> int:
    """GII clusters "Cluster 1"… for the main cities but the last two: the k-th has rank 3k (the
    last one no rank), an SP score when k is odd, a PCT score unless k is a multiple of 3, a VC
    score always; city-01 and city-02 share Cluster 1 (Cluster 2 is paired with no city); city-03
    also holds "Cluster extra" (rank 2, no scores), its principal cluster."""
    edition = year - 1
    if len(mains) < 5:
        raise ValueError(f"factory gii=True needs at least 5 main cities, got {len(mains)}")
    source = {"publisher_zh": "合成出版者", "publisher_en": "Synthetic publisher", "title_zh": "合成集群排名",
              "title_en": "Synthetic cluster ranking", "n_top": 100}
    _yaml(root / "gii" / "benchmark.yaml", {**BENCHMARK, "sources": {edition: source}})
    paired = mains[:-2]
    clusters, mapping = [], []
    names = [f"Cluster {k}" for k in range(1, len(paired) + 1)]
    for k, name in enumerate(names, start=1):
        rank = "" if k == len(names) else str(k * 3)
        sp = f"{1000.0 / k:.2f}" if k % 2 else ""
        pct = f"{500.0 / (k + 1):.2f}" if k % 3 else ""
        vc = f"{(k * 37) % 11 + 1:.2f}"
        clusters.append([rank, f"集群{k}", name, "translation", "", "", "", sp, sp, pct, pct, vc, vc, "分", "points", "synthetic"])
    clusters.append(["2", "集群额外", "Cluster extra", "translation", "", "", "", "", "", "", "", "", "", "", "", "synthetic"])
    for cid, name in zip(paired, names):
        relation = "exact"
        if cid == paired[1]:
            name, relation = names[0], "several_gihi_cities"
        mapping.append([cid, name, relation, "合成配对。", "Synthetic pairing."])
    mapping[0][2] = "several_gihi_cities"
    mapping.append([paired[2], "Cluster extra", "cluster_part_of_gihi", "合成配对。", "Synthetic pairing."])
    header = ["rank", "name_zh", "name_en", "name_en_source", "economy_zh", "economy_en", "economy_source", "sp_score",
              "sp_printed", "pct_score", "pct_printed", "vc_score", "vc_printed", "unit_zh", "unit_en", "provenance"]
    _csv(root / "gii" / str(edition) / "clusters.csv", header, clusters)
    _csv(own / "gii_mapping.csv", ["gihi_id", "gii_cluster", "relation", "note_zh", "note_en"], mapping)
    return edition


def make_edition(tmp_path: Path, year: int = YEAR, **kw):
    """:func:`make_data` under ``tmp_path / "data"`` and :func:`gihi.open_edition` of it."""
    from gihi import open_edition
    root = make_data(Path(tmp_path) / "data", year, **kw)
    return open_edition(year, root)


# --------------------------------------------------------------------------- reading back (independently of gihi)

def raw_wide(root: Path, year: int = YEAR) -> pd.DataFrame:
    """The values of ``<root>/<year>/indicators.csv`` as a wide table, read with pandas alone
    (cities.csv order, Table-1 order; NaN = missing)."""
    long = pd.read_csv(Path(root) / str(year) / "indicators.csv", dtype={"value": float})
    own = Path(root) / str(year) / "meta" / "cities.csv"
    ids = pd.read_csv(own if own.is_file() else Path(root) / "meta" / "cities.csv", dtype=str)["id"]
    wide = long.pivot(index="id", columns="code", values="value").reindex(index=list(ids), columns=CODES)
    wide.index.name, wide.columns.name = "id", None
    return wide


def composite_weights(weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """Each indicator's weight in the composite, worked out from :data:`TREE` and
    :data:`INDICATORS` (with ``weights`` overrides) by plain arithmetic."""
    w = {c: (weights or {}).get(c, x) for c, *_, x in TREE}
    parent = {c: p for c, _, p, *_ in TREE}
    iw = {code: (weights or {}).get(code, x) for code, _, x, *_ in INDICATORS}
    sub_total: dict[str, float] = {}
    for code, sp, *_ in INDICATORS:
        sub_total[sp] = sub_total.get(sp, 0.0) + iw[code]
    out = {}
    for code, sp, *_ in INDICATORS:
        pillar = parent[sp]
        out[code] = iw[code] / sub_total[sp] * w[sp] * w[pillar]
    return out
