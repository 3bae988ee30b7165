"""Shared chapter logic: ranking helpers, rank history, regional counts, provenance summaries and
the :class:`ChapterBuilder` that assembles a bundle.

Everything here is pure pandas on an :class:`~gihi.model.edition.Edition` (no display code).
"""
from __future__ import annotations

import shutil
import tempfile
import weakref
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import pandas as pd

from gihi.core.paths import OUTPUT_DIR
from gihi.model.edition import Edition
from gihi.analysis import changes
from gihi.model.method.index import COMPOSITE
from gihi.report import i18n
from gihi.report.facts import fact
from gihi.report.bundle import Bundle, Column, Figure, Section, Table, bundle_dir, write_bundle
from gihi.report.narrative import section_narrative

MAIN, MINI = "main", "mini"
PROVENANCE_KINDS = ("published", "derived", "imputed", "missing")
TOP_TABLE = 100     # rank tables list the top 100, as the report does
TOP_N = 20          # "top 20" comparisons
TOP_WIDE = 50       # "top 50" regional counts
TOP_TEN = 10        # "in the top 10" mentions (China's cities, first entries)
SHARED = "_shared"  # template folder of the sections every chapter has (data_note)
#: chapter language → the PDF editions its figures get a print version for (gihi.report.bundle.Figure.print)
PRINT_VERSIONS = {"bi": ("bi", "zh", "en"), "zh": ("zh",), "en": ("en",)}


# --------------------------------------------------------------------------- ranking helpers

def bi_name(row: Mapping) -> dict:
    return {"zh": row["name_zh"], "en": row["name_en"]}


def ranked(scores: pd.DataFrame, level: str, group: str | None = MAIN) -> pd.DataFrame:
    """Rows of ``group`` ordered by ``level`` rank (ties in cities.csv order)."""
    s = scores if group is None else scores[scores["group"] == group]
    return s.sort_values([f"{level}_rank", "seq"], kind="mergesort")


def city_record(scores: pd.DataFrame, cid: str, level: str = COMPOSITE) -> dict:
    """``{"id", "name": {zh, en}, "score", "rank"}`` of one city at ``level``; the score and the
    rank are :func:`~gihi.report.facts.fact` s about the city and the level."""
    r = scores.loc[cid]
    return {"id": cid, "name": bi_name(r), "score": fact(float(r[level]), cid, level),
            "rank": fact(int(r[f"{level}_rank"]), cid, f"{level}_rank")}


def reference_cities(ed: Edition, n: int = 8, level: str = COMPOSITE, group: str = MAIN) -> list[str]:
    """The cities a reader looks for on a chart: the top ``n`` at ``level``, then each
    continent's highest-ranked city (ids, in that order)."""
    order = ranked(ed.scores, level, group)
    out = list(order.index[:n])
    out += [i for i in order.drop_duplicates("continent").index if i not in out]   # each continent's best
    return out


def top_records(scores: pd.DataFrame, level: str, n: int, group: str | None = MAIN) -> list[dict]:
    return [city_record(scores, cid, level) for cid in ranked(scores, level, group).index[:n]]


def region_counts(scores: pd.DataFrame, level: str, n: int, group: str | None = MAIN,
                  by: str = "continent") -> pd.Series:
    """Number of cities of each continent (or country, ``by="country_iso3"``) in the top ``n``
    at ``level``; sorted by count (desc), then name."""
    top = ranked(scores, level, group).head(n)
    counts = top[by].value_counts()
    return counts.sort_index(kind="mergesort").sort_values(ascending=False, kind="mergesort").astype(int)


def region_records(counts: pd.Series, names: Mapping[str, dict], measure: str | None = None) -> list[dict]:
    """``[{"code", "name", "n"}]`` of the regions with a city; with ``measure``, each ``n`` is a
    Fact (``<measure>.<code>``, e.g. ``top20.A.asia``)."""
    return [{"code": k, "name": names.get(k, {"zh": k, "en": k}),
             "n": fact(int(v), None, f"{measure}.{k}") if measure else int(v)} for k, v in counts.items() if v > 0]


def history_years(ed: Edition, n: int = 2) -> list[int]:
    """The ``n`` latest earlier editions on record (newest first): computed from the data
    directory, or published (:func:`gihi.analysis.changes.history`)."""
    years = sorted({int(y) for y in changes.history(ed)["year"] if y < ed.year}, reverse=True)
    return years[:n]


def history_table(ed: Edition, level: str, n: int = TOP_N, group: str = MAIN) -> pd.DataFrame:
    """The top ``n`` at ``level`` with their ranks in the (up to) two latest earlier editions on
    record (:func:`history_years`).

    Columns ``id, name_zh, name_en, rank``, then ``rank_prev`` and ``rank_prev2`` for the earlier
    editions there are, and ``change`` (previous rank − rank, positive = moved up; missing where
    the city has no rank on record then) when there is one.
    """
    top = ranked(ed.scores, level, group).head(n)
    h = changes.history(ed)
    h = h[h["level"] == level]
    out = pd.DataFrame({
        "id": top.index,
        "name_zh": top["name_zh"].to_numpy(),
        "name_en": top["name_en"].to_numpy(),
        "rank": pd.array(top[f"{level}_rank"], dtype="Int64"),
    })
    for key, y in zip(HISTORY_KEYS, history_years(ed)):
        out[key] = pd.array(h[h["year"] == y].set_index("id")["rank"].reindex(top.index), dtype="Int64")
    if "rank_prev" in out:
        out["change"] = (out["rank_prev"] - out["rank"]).astype("Int64")
    return out


HISTORY_KEYS = ("rank_prev", "rank_prev2")


def history_columns(ed: Edition) -> list[Column]:
    """The columns of :func:`history_table` (its rank columns headed by their editions' years)."""
    years = history_years(ed)
    cols = [col("rank", "rank", label="rank_year", year=ed.year), *name_cols()]
    cols += [col(key, "rank", label="rank_year", year=y) for key, y in zip(HISTORY_KEYS, years)]
    return cols + ([col("change", "change")] if years else [])


def history_caption_fields(ed: Edition) -> dict:
    """``first`` and ``last`` years of :func:`history_table` for its caption."""
    years = history_years(ed)
    return {"first": min(years) if years else ed.year, "last": ed.year}


MIN_MOVE = 2   # a "largest" rise or fall is one of at least this many places


def _largest(frame: pd.DataFrame, k: int, rising: bool) -> pd.DataFrame:
    """The ``k`` largest moves in one direction, with every city tied with the k-th."""
    f = frame[frame["change"] >= MIN_MOVE] if rising else frame[frame["change"] <= -MIN_MOVE]
    if f.empty:
        return f
    f = f.sort_values(["change", "seq"], ascending=[not rising, True], kind="mergesort")
    cut = f["change"].iloc[min(k, len(f)) - 1]
    return f[f["change"] >= cut] if rising else f[f["change"] <= cut]


def movers(ed: Edition, level: str, within: int, k: int = 3, group: str = MAIN, whole_list: bool = False) -> dict:
    """Moves since the previous edition among the current top ``within`` at ``level``
    (:func:`gihi.analysis.changes.rank_changes`).

    ``risers`` / ``fallers``: the ``k`` largest moves of at least :data:`MIN_MOVE` places each
    way, every city tied with the k-th included, largest first, each with
    ``rank, prev_rank, change`` and its ``drivers`` (the indicators that moved it most, when the
    previous edition's data are at hand); ``new``: cities of the top ``within`` that the previous
    list did not have (known only when the previous list was computed whole, not published in part); ``left``: cities of the previous top ``within`` that are not in this list.
    ``has_previous`` is False when there is no earlier edition at all; ``n_compared`` counts the
    cities with a previous rank. With ``whole_list``, ``new`` and ``left`` cover the whole list,
    not only its top ``within``.
    """
    rc = changes.rank_changes(ed)
    lvl = changes.MINI if group == MINI else level
    rc = rc[rc["level"] == lvl].set_index("id")
    top = ranked(ed.scores, level, group).head(within)
    ch = rc.reindex(top.index).assign(seq=ed.scores["seq"].reindex(top.index))
    prev_year = changes.previous_year(ed)
    compared = ch[ch["prev_rank"].notna()]

    def recs(frame):
        out = []
        frame = frame.assign(_size=frame["change"].abs().astype(int))
        for cid, r in frame.sort_values(["_size", "rank", "seq"], ascending=[False, True, True], kind="mergesort").iterrows():
            drv = [{"code": d["code"], "label": ed.label(d["code"])} for d in changes.top_drivers(ed, cid, lvl if lvl != changes.MINI else COMPOSITE)]
            out.append(dict(city_record(ed.scores, cid, level),
                            prev_rank=fact(int(r["prev_rank"]), cid, f"{lvl}_rank", prev_year),
                            change=fact(int(r["change"]), cid, f"{lvl}_rank_change", prev_year),
                            drivers=drv))
        return out

    sources = set(compared["prev_source"])
    computed = bool(sources) and sources == {"computed"}
    # "new" needs the whole previous list: a published list of the top 20 says nothing of the others
    scope = ranked(ed.scores, level, group) if whole_list else top
    everyone = rc.reindex(scope.index)
    new = [city_record(ed.scores, cid, level) for cid in everyone.index[everyone["prev_rank"].isna()]] if computed else []
    gone = changes.left_list(ed, lvl, 10 ** 6 if whole_list else within)
    names = changes.city_names(ed)
    left = [{"id": r.id, "name": {"zh": names.at[r.id, "name_zh"], "en": names.at[r.id, "name_en"]},
             "prev_rank": fact(int(r.prev_rank), r.id, f"{lvl}_rank", prev_year)} for r in gone.itertuples(index=False) if r.id in names.index]
    return {"risers": recs(_largest(compared, k, True)), "fallers": recs(_largest(compared, k, False)),
            "new": new, "left": left, "has_previous": prev_year is not None,
            "n_compared": fact(len(compared), None, f"moves.{lvl}.top{within}.compared", prev_year),
            "prev_year": previous_year_fact(prev_year), "computed": computed, "min_move": MIN_MOVE,
            "n_unchanged": fact(int((compared["change"] == 0).sum()), None, f"moves.{lvl}.top{within}.unchanged", prev_year)}


def previous_year_fact(prev_year: int | None):
    """The previous edition on record as a Fact (``history.prev_year``); None when there is none."""
    return None if prev_year is None else fact(int(prev_year), None, "history.prev_year")


def first_year_fact(ed: Edition, level: str):
    """The first edition on record at ``level`` as a Fact (``history.<level>.first_year``); None
    when the level has no record."""
    h = changes.history(ed)
    years = h.loc[h["level"] == level, "year"]
    return fact(int(years.min()), None, f"history.{level}.first_year") if len(years) else None


def first_time_in_top(ed: Edition, level: str, n: int, group: str = MAIN) -> list[dict]:
    """Cities in the current top ``n`` whose every earlier rank on record (at least one) is
    worse than ``n``: new to the top ``n`` over the editions on record."""
    h = changes.history(ed)
    h = h[h["level"] == level]
    out = []
    for cid in ranked(ed.scores, level, group).index[:n]:
        earlier = h.loc[h["id"] == cid, "rank"]
        if len(earlier) and (earlier > n).all():
            out.append(city_record(ed.scores, cid, level))
    return out


def leader_streak(ed: Edition, level: str, group: str = MAIN) -> dict:
    """The current leader, the number of consecutive editions on record (this one included) it
    led (``streak``) and the first of them (``since``), both Facts about the leader; editions
    missing from the record end the streak."""
    leader = ranked(ed.scores, level, group).index[0]
    h = changes.history(ed)
    h = h[(h["level"] == level) & (h["rank"] == 1)].set_index("year")["id"]
    years = sorted({int(y) for y in changes.history(ed)["year"] if y < ed.year}, reverse=True)
    streak, since = 1, ed.year
    for y in years:
        if y in h.index and h[y] == leader:
            streak, since = streak + 1, y
        else:
            break
    return dict(city_record(ed.scores, leader, level), streak=fact(streak, leader, f"{level}_streak"),
                since=fact(since, leader, f"{level}_since"))


def subpillar_leaders(ed: Edition, pillar: str, n: int = 3, group: str = MAIN) -> list[dict]:
    """For each sub-pillar of ``pillar``: its label and the top ``n`` cities."""
    return [{"code": s, "label": ed.label(s), "top": top_records(ed.scores, s, n, group)}
            for s in ed.tree.subpillars_of(pillar)]


def indicator_leaders(ed: Edition, codes: Iterable[str], group: str = MAIN) -> list[dict]:
    """For each indicator: the city with the highest raw value among ``group``'s scored cities,
    the value, whether it is an integer count, and its provenance."""
    ids = list(ed.group(group).index)
    prov = ed.long.assign(id=ed.long["id"].astype(str), code=ed.long["code"].astype(str)).set_index(["id", "code"])["provenance"]
    meta = ed.indicators.set_index("code")
    out = []
    for code in codes:
        v = ed.wide.loc[ids, code].dropna()
        if v.empty:
            continue
        v = v.sort_index(kind="mergesort").sort_values(ascending=False, kind="mergesort")
        cid, val = v.index[0], float(v.iloc[0])
        kind = meta.loc[code, "kind"]
        out.append({
            "code": code, "label": {"zh": meta.loc[code, "name_zh"], "en": meta.loc[code, "name_en"]},
            "unit": {"zh": meta.loc[code, "unit_zh"], "en": meta.loc[code, "unit_en"]},
            "city": city_record(ed.scores, cid, COMPOSITE)["name"], "id": cid,
            "value": fact(val, cid, code), "is_count": kind == "count" and float(val).is_integer(),
            "provenance": str(prov.get((cid, code), "missing")),
        })
    return out


SOUND = ("published", "derived")   # provenances a finding may be drawn from


def sound_leaders(leaders: list[dict]) -> dict:
    """:func:`indicator_leaders` split for the narrative: ``sound`` (the highest value is
    published or derived, so its city can be named), ``estimated`` (the others), and
    ``sound_groups``: the sound leaders by city, ``[{"id", "city", "indicators"}]`` in the order of
    their first indicator."""
    sound = [r for r in leaders if r["provenance"] in SOUND]
    groups: dict[str, dict] = {}
    for r in sound:
        groups.setdefault(r["id"], {"id": r["id"], "city": r["city"], "indicators": []})["indicators"].append(r)
    return {"sound": sound, "estimated": [r for r in leaders if r["provenance"] not in SOUND],
            "sound_groups": list(groups.values())}


# --------------------------------------------------------------------------- provenance

def indicator_provenance(ed: Edition, codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Per indicator: how many of the city × indicator cells are published / derived / imputed /
    missing. Expected cells = all cities of ``meta/cities.csv``; a cell with no row or an empty
    value is missing. Columns ``code, expected`` and the four kinds."""
    codes = list(codes) if codes is not None else ed.tree.codes
    n_cities = len(ed.cities)
    long = ed.long.assign(code=ed.long["code"].astype(str))
    present = long[long["value"].notna()]
    rows = []
    for code in codes:
        p = present[present["code"] == code]["provenance"].value_counts()
        rec = {"code": code, "expected": n_cities}
        for k in ("published", "derived", "imputed"):
            rec[k] = int(p.get(k, 0))
        rec["missing"] = n_cities - rec["published"] - rec["derived"] - rec["imputed"]
        rows.append(rec)
    return pd.DataFrame(rows, columns=["code", "expected", *PROVENANCE_KINDS])


def focus_provenance(ed: Edition, which: str) -> pd.DataFrame:
    """Per file of a focus dataset (``disciplines`` or ``ai_patents``): rows by provenance
    (``expected`` = rows, ``missing`` = 0)."""
    from gihi.model.focus_data import FOCUS_FILES
    names = {"disciplines": ["papers"],
             "ai_patents": ["patents", "ipc", "ipc_universe", "ipc_by_year", "universe", "applicants"]}[which]
    data = ed.disciplines if which == "disciplines" else ed.ai_patents
    tables = {} if data is None else (
        {"papers": data.papers} if which == "disciplines" else
        {"patents": data.patents, "ipc": data.ipc, "ipc_universe": data.ipc_universe, "ipc_by_year": data.ipc_by_year,
         "universe": data.universe_table, "applicants": data.applicants})
    rows = []
    for name in names:
        if name not in tables:
            continue
        prov = tables[name]["provenance"].value_counts()
        rec = {"file": f"{ed.year}/{FOCUS_FILES[name][0]}", "expected": int(prov.sum())}
        for k in ("published", "derived", "imputed"):
            rec[k] = int(prov.get(k, 0))
        rec["missing"] = rec["expected"] - rec["published"] - rec["derived"] - rec["imputed"]
        rows.append(rec)
    return pd.DataFrame(rows, columns=["file", "expected", *PROVENANCE_KINDS])


def _scope(id: str, label: dict, source: str, frame: pd.DataFrame) -> dict:
    rec = {"id": id, "label": label, "source": source, "expected": int(frame["expected"].sum())}
    for k in PROVENANCE_KINDS:
        rec[k] = int(frame[k].sum())
    return rec


def provenance_summary(ed: Edition, *, pillars: Iterable[str] | None = None,
                       focus: Iterable[str] = ()) -> dict:
    """The bundle's provenance summary.

    One scope per pillar in ``pillars`` (all indicators when None) from
    ``<year>/indicators.csv`` and one per focus dataset in ``focus`` (``disciplines``,
    ``ai_patents``). ``reconstruction`` is true when any value is derived or imputed.
    """
    scopes = []
    src = f"{ed.year}/indicators.csv"
    if pillars is None:
        scopes.append(_scope("indicators", i18n.both("prov.scope.indicators"), src, indicator_provenance(ed)))
    else:
        for p in pillars:
            codes = list(ed.tree.indicators.loc[ed.tree.indicators["pillar"] == p, "code"])
            label = {k: i18n.t("prov.scope.pillar", k, pillar=ed.label(p)[k]) for k in i18n.LANGS}
            scopes.append(_scope(f"indicators_{p.lower()}", label,
                                 src, indicator_provenance(ed, codes)))
    for f in focus:
        frame = focus_provenance(ed, f)
        if len(frame):
            scopes.append(_scope(f, i18n.both(f"prov.scope.{f}"), f"{ed.year}/{f}/", frame))
    reconstruction = any(s["derived"] or s["imputed"] for s in scopes)
    note = i18n.both("prov.note.reconstruction" if reconstruction else "prov.note.published")
    return {"reconstruction": reconstruction, "note": note, "scopes": scopes}


def provenance_context(prov: Mapping) -> dict:
    """Narrative context of the data note: per scope counts and shares (in percent)."""
    scopes = []
    for s in prov["scopes"]:
        exp = s["expected"] or 1
        m = f"prov.{s['id']}"   # the counts as Facts: prov.indicators_a.imputed, prov.disciplines.published_pct, ...
        scopes.append({**s, "expected": fact(s["expected"], None, f"{m}.expected"),
                       **{k: fact(s[k], None, f"{m}.{k}") for k in PROVENANCE_KINDS},
                       **{f"{k}_pct": fact(100.0 * s[k] / exp, None, f"{m}.{k}_pct") for k in PROVENANCE_KINDS}})
    tot = {k: sum(s[k] for s in prov["scopes"]) for k in ("expected", *PROVENANCE_KINDS)}
    return {"scopes": scopes, "total": tot, "reconstruction": bool(prov["reconstruction"])}


# --------------------------------------------------------------------------- bundle assembly

#: in the UI string ``wrap.col.<label>``, the places where a zh header may break (docs/terms.md)
WRAP_MARK, WBR = "|", "\u200b"


def col(key: str, fmt: str | None = None, *, lang: str | None = None, label: str | None = None, **fields) -> Column:
    """A column whose headers come from the UI string ``col.<label or key>`` (fields filled). A
    long Chinese header says where it may break in ``wrap.col.<label>`` (``科学中心|排名``): the
    bundle's header then carries U+200B there, and the PDF breaks it there only."""
    k = f"col.{label or key}"
    zh = i18n.t(k, "zh", **fields)
    if i18n.has(f"wrap.{k}"):
        zh = i18n.t(f"wrap.{k}", "zh", **fields).replace(WRAP_MARK, WBR)
    return Column(key=key, zh=zh, en=i18n.t(k, "en", **fields), format=fmt, lang=lang)


def name_cols() -> list[Column]:
    return [col("name_zh", "text", lang="zh", label="city"), col("name_en", "text", lang="en", label="city")]


class ChapterBuilder:
    """Collects a chapter's sections, tables and figures, then writes the bundle.

    Captions and titles come from :mod:`gihi.report.i18n` (``chapter.<id>``, ``section.<chapter>.<id>``,
    ``table.<id>``, ``figure.<id>``), narratives from :mod:`gihi.report.narrative`. Figures are drawn by
    ``gihi.report.charts.FIGURES[name]`` in ``lang`` and saved with :func:`gihi.report.figures.save_figure` into
    a temporary directory until :meth:`write` copies them into the bundle.
    """

    def __init__(self, chapter: str, year: int, *, lang: str = "bi", content_dir: Path | None = None,
                 templates_dir: Path | None = None, figure_cache: Path | None = None,
                 numbers: Mapping[str, Mapping[str, int]] | None = None):
        self.chapter, self.year, self.lang = chapter, int(year), lang
        # figure and table numbers from the edition's order (gihi.report.numbering); None: unnumbered
        self.numbers = numbers
        self.figure_cache = figure_cache  # see gihi.report.figure_cache; None: always draw
        self.content_dir, self.templates_dir = content_dir, templates_dir
        self.sections: list[Section] = []
        self.tables: list[Table] = []
        self.figures: list[Figure] = []
        self.contexts: dict[str, dict] = {}
        self._tmp = Path(tempfile.mkdtemp(prefix=f"gihi-{chapter}-"))
        # removed after write(), or when the builder is garbage-collected after a failed build
        self._cleanup = weakref.finalize(self, shutil.rmtree, self._tmp, True)

    @classmethod
    def for_output(cls, chapter: str, ed: Edition, output_dir: Path, *, lang: str = "bi",
                   content_dir: Path | None = None, figures: bool = True) -> "ChapterBuilder":
        """The builder of a chapter of the edition ``ed`` written under ``output_dir``: its figures
        and tables numbered in the edition's order (:func:`gihi.report.numbering.numbers`), figures
        cached next to it (:func:`gihi.report.figure_cache.cache_dir_for`) unless ``figures`` is False."""
        from gihi.report.figure_cache import cache_dir_for
        from gihi.report.numbering import numbers
        return cls(chapter, ed.year, lang=lang, content_dir=content_dir,
                   figure_cache=cache_dir_for(output_dir) if figures else None, numbers=numbers(ed))

    def _caption(self, kind: str, id: str, key: str, fields: Mapping) -> dict[str, str]:
        """The caption in both languages, led by the item's number when it has one (``图3　…``)."""
        from gihi.report.numbering import caption_label
        n = (self.numbers or {}).get(kind, {}).get(id)
        return {k: (caption_label(kind, n, k) if n else "") + i18n.t(key, k, **fields) for k in i18n.LANGS}

    def section(self, id: str, context: Mapping[str, Any], *, template_dir: str | None = None) -> Section:
        narrative, editorial = section_narrative(self.chapter, id, context, self.year, templates_dir=self.templates_dir,
                                                 content_dir=self.content_dir, template_folder=template_dir,
                                                 numbers=self.numbers)
        folder = template_dir or self.chapter
        key = f"section.{id}" if folder == SHARED else f"section.{self.chapter}.{id}"
        s = Section(id=id, title=i18n.both(key), narrative=narrative,
                    editorial=editorial if any(editorial.values()) else None)
        self.sections.append(s)
        self.contexts[id] = dict(context)
        return s

    def table(self, id: str, frame: pd.DataFrame, columns: list[Column], *, caption_fields: Mapping | None = None,
              note: str | None = None) -> Table:
        fields = {"n": len(frame), "first": self.year - 2, "last": self.year, **(caption_fields or {})}
        cap = self._caption("table", id, f"table.{id}", fields)
        t = Table.from_frame(id, cap, frame, columns, note=i18n.both(note) if note else None)
        self.tables.append(t)
        return t

    def figure(self, id: str, chart: str, *args, caption_fields: Mapping | None = None, note: str | None = None,
               **kwargs) -> Figure:
        from gihi.report.charts import FIGURES  # imported lazily: matplotlib only when figures are drawn
        from gihi.report import figure_cache
        from gihi.report.figures import save_figure, save_print_svg
        if chart not in FIGURES:
            raise KeyError(f"chapter {self.chapter}, figure {id}: no chart {chart!r} in gihi.report.charts.FIGURES")
        editions = PRINT_VERSIONS[self.lang]
        names = ("svg", "png", *(f"print-{e}.svg" for e in editions))
        stem = self._tmp / id
        key = figure_cache.figure_key(chart, args, kwargs, self.lang) if self.figure_cache else None
        paths = figure_cache.lookup(self.figure_cache, key, stem, names)
        if paths is None:
            fig = FIGURES[chart](*args, lang=self.lang, **kwargs)
            paths = save_figure(fig, stem, close=False)
            for e in editions:   # the PDF versions: this figure, then each language on its own
                one = fig if e == self.lang else FIGURES[chart](*args, lang=e, **kwargs)
                paths[f"print-{e}.svg"] = save_print_svg(one, stem.with_name(f"{id}.print-{e}.svg"))
            figure_cache.store(self.figure_cache, key, paths)
        fields = {"n": TOP_N, **(caption_fields or {})}
        cap = self._caption("fig", id, f"figure.{id}", fields)
        f = Figure(id=id, caption=cap, svg=paths["svg"], png=paths["png"], lang=self.lang,
                   note=i18n.both(note) if note else None,
                   print={e: paths[f"print-{e}.svg"] for e in editions})
        self.figures.append(f)
        return f

    def bundle(self, provenance: dict) -> Bundle:
        return Bundle(chapter=self.chapter, year=self.year, title=i18n.both(f"chapter.{self.chapter}"),
                      sections=self.sections, tables=self.tables, figures=self.figures, provenance=provenance)

    def write(self, provenance: dict, output_dir: Path) -> Bundle:
        b = self.bundle(provenance)
        try:
            write_bundle(b, bundle_dir(output_dir, self.year, self.chapter))
        finally:
            self._cleanup()
        return b


def data_note(builder: ChapterBuilder, prov: dict) -> None:
    builder.section("data_note", provenance_context(prov), template_dir=SHARED)


Builder = Callable[..., Bundle]
