"""City profiles: one A4 page per city (the 108 main cities and the 11 mini-hubs of
``data/meta/cities.csv``), as an appendix of the report and as one PDF per city.

* :func:`profile_views` — the data of every page (plain dicts, tested): scores and ranks of the
  composite index, the 3 pillars and the 12 sub-pillars (ranked within the city's group, as
  :func:`gihi.model.method.index.compute_index` does), the group medians and bar widths of the sub-pillar
  chart, strengths and weaknesses from the city's indicator ranks within its group (rules in
  ``data/meta/profiles.yaml``), the published ranks of earlier editions, the discipline-source
  and AI-patent highlights and the provenance of the city's values.
* :func:`profiles_html` — a standalone HTML document, one page per profile (``bi``, ``zh``, ``en``).
* :func:`report_appendix` — the appendix view that :func:`gihi.publish.assemble.edition_html` appends
  with ``profiles=True`` (rendered by ``templates/report/_profiles.html.j2``).
* :func:`write_profile_pdfs` — ``output/<year>/profiles/<id>.pdf``: the profiles are laid out
  and written once (30 pages per WeasyPrint document, joined with pypdf, and kept whole as
  ``GIHI-<year>-profiles.pdf``), then split into one PDF per page, each with a fixed ``/ID``, its
  own title and the data date.
  The bilingual edition's appendix is that same document, appended to the report's pages by
  :mod:`gihi.publish.appendix_pdf`: 119 pages are laid out once, not twice, and in parallel with the rest.

Page layout is CSS (``templates/profiles/profiles.css``); the sub-pillar chart is HTML (a bar is
an element whose width is the score), not SVG. See ``docs/profiles.md``.
"""
from __future__ import annotations

import copy
import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

import jinja2
import pandas as pd
from markupsafe import Markup

from gihi.analysis import ai_patents as ai
from gihi.analysis import changes
from gihi.analysis import disciplines as dm
from gihi.core.files import write_atomic
from gihi.core.paths import META, OUTPUT_DIR, resolve
from gihi.model import configs
from gihi.model import focus_data as fd
from gihi.model.edition import Edition
from gihi.model.method.index import COMPOSITE
from gihi.model.method.ranking import rank_desc
from gihi.publish.editions import CJK, EDITION_LANGS, PROFILE_TEMPLATES, REPORT_TEMPLATES, edition_context
from gihi.report.layout import load_layout
from gihi.report import i18n
from gihi.report.chapters import CHAPTERS
from gihi.report.chapters.common import history_years

RULES_FILE = "profiles.yaml"
PROFILES_DIR = "profiles"
ANCHOR = "profile-{id}"          # the id of a profile's <section>; "-end" marks its last element
#: how the appendix index links to a profile page: the pages are another PDF, appended after
#: rendering, so the link is written as this URI and rewritten to the page by gihi.publish.appendix_pdf
LINK = "gihi-profile:{id}"
#: editions whose report has the profiles appendix (the pages are bilingual); a profile page of
#: these is labelled "<appendix letter>-<n>" (D-1, D-2, ...) and carries the appendix's running head
APPENDIX_EDITIONS = ("bi",)
PROVENANCE_KINDS = fd.PROVENANCE   # the kinds of value a data row records
#: profiles laid out per WeasyPrint document: its memory grows with its pages (the process peaks
#: at 1.1 GB with all 119 in one, 0.5 GB with 30), and the build lays them out beside other renders
CHUNK = 30


class ProfileError(RuntimeError):
    """The profiles cannot be laid out as one page each (or WeasyPrint reported a problem)."""


# --------------------------------------------------------------------------- rules

def load_rules(ed: Edition) -> dict:
    """The edition's ``meta/profiles.yaml`` (see the comments there), checked
    (:func:`gihi.model.configs.profiles`; validation reports any problem before a build)."""
    name = f"{META}/{RULES_FILE}"
    rules, problems = configs.profiles(ed.config(name), sorted(set(ed.cities["group"])), ed.levels, ed.location(name))
    if problems:
        raise ProfileError("\n".join(str(p) for p in problems))
    return rules


# --------------------------------------------------------------------------- pure helpers

def indicator_ranks(wide: pd.DataFrame, groups: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each city's rank on every indicator within its group (1 = highest raw value, ties share
    the smallest rank, missing value → no rank) and, per city, the number of group cities with a
    value for that indicator. Both indexed like ``wide``."""
    ranks, counts = [], []
    for g in pd.unique(groups.reindex(wide.index)):
        ids = [i for i in wide.index if groups[i] == g]
        sub = wide.loc[ids].astype(float)
        ranks.append(rank_desc(sub))
        counts.append(pd.DataFrame([sub.notna().sum()] * len(ids), index=ids))
    return pd.concat(ranks).reindex(wide.index), pd.concat(counts).reindex(wide.index).astype(int)


def strengths_weaknesses(ranks: pd.Series, counts: pd.Series, rules: Mapping) -> tuple[list[str], list[str]]:
    """Indicator codes that are the city's strengths and weaknesses (``rules`` = profiles.yaml).

    Strength: rank <= ``top_fraction`` × n (top decile of the group), best rank first. Weakness:
    among the indicators with rank > ``min_fraction`` × n that are not strengths, the ``count``
    worst ranks, worst first. Ties of rank keep the indicators' order.
    """
    s, w = rules["strengths"], rules["weaknesses"]
    order = {c: i for i, c in enumerate(ranks.index)}
    ranked = [(c, int(r), int(counts[c])) for c, r in ranks.items() if pd.notna(r)]
    eps = 1e-9
    strong = sorted((c for c, r, n in ranked if r <= float(s["top_fraction"]) * n + eps),
                    key=lambda c: (int(ranks[c]), order[c]))
    weak = sorted((c for c, r, n in ranked if r > float(w["min_fraction"]) * n + eps and c not in strong),
                  key=lambda c: (-int(ranks[c]), order[c]))
    return strong, weak[: int(w["count"])]


def bar_pct(value: float, rules: Mapping) -> float:
    """Position of ``value`` on the chart axis, in percent of its width (clipped to 0–100)."""
    lo, hi = float(rules["chart"]["axis_min"]), float(rules["chart"]["axis_max"])
    return round(min(100.0, max(0.0, 100.0 * (float(value) - lo) / (hi - lo))), 2)


# --------------------------------------------------------------------------- views

def _bi(row: Mapping, stem: str = "name") -> dict:
    return {"zh": row[f"{stem}_zh"], "en": row[f"{stem}_en"]}


def _prov_counts(values: Iterable[str]) -> dict:
    s = pd.Series(list(values), dtype=str).value_counts()
    return {k: int(s.get(k, 0)) for k in PROVENANCE_KINDS}


def _focus(ed: Edition) -> dict:
    cities = ed.cities
    ids = list(cities["id"])
    d, a = ed.disciplines, ed.ai_patents
    dr = dm.results(ed)
    scores = dr["scores"]
    listing = dr["raw_listing"].set_index("id")
    papers, patents = d.papers, a.patents
    apps = a.applicants
    apps = apps.sort_values("applicant_zh", kind="mergesort").sort_values("valid_patents", ascending=False, kind="mergesort")
    return {
        "n_cities": len(ids), "n_disciplines": int(len(d.meta)),
        "n_top": dm.top_n_counts(scores).reindex(ids, fill_value=0),
        "n_champion": dm.champion_counts(scores).reindex(ids, fill_value=0),
        "listing": listing, "n_list": int(len(listing)),
        "paper_years": (int(papers["year"].min()), int(papers["year"].max())),
        "has_papers": set(papers["id"]), "has_patents": set(patents["id"]),
        "patents": ai.results(ed)["totals"].set_index("id"),
        "patent_years": (int(patents["year"].min()), int(patents["year"].max())),
        "top_applicant": apps.drop_duplicates("id").set_index("id"), "n_applicant_cities": int(apps["id"].nunique()),
        "provenance": {cid: _prov_counts(v) for cid, v in
                       pd.concat([papers[["id", "provenance"]], patents[["id", "provenance"]], apps[["id", "provenance"]]])
                       .groupby("id", sort=True)["provenance"]},
    }


def _focus_view(f: dict, cid: str) -> dict:
    lst = f["listing"]
    disc = None
    if cid in f["has_papers"]:
        disc = {"n_top": int(f["n_top"][cid]), "n_disciplines": f["n_disciplines"], "top_n": dm.TOP_N,
                "n_champion": int(f["n_champion"][cid]), "n_list": f["n_list"],
                "list_rank": int(lst.loc[cid, "rank"]) if cid in lst.index else None,
                "first": f["paper_years"][0], "last": f["paper_years"][1]}
    pat = None
    if cid in f["has_patents"]:
        r = f["patents"].loc[cid]
        pat = {"valid": int(r["valid"]), "valid_rank": int(r["valid_rank"]), "hq": int(r["hq"]),
               "hq_rank": int(r["hq_rank"]), "n_cities": f["n_cities"],
               "first": f["patent_years"][0], "last": f["patent_years"][1]}
    app = None
    if cid in f["top_applicant"].index:
        a = f["top_applicant"].loc[cid]
        app = {"name": _bi(a, "applicant"), "valid": int(a["valid_patents"])}
    return {"disciplines": disc, "patents": pat, "applicant": app, "n_applicant_cities": f["n_applicant_cities"],
            "provenance": f["provenance"].get(cid, _prov_counts([]))}


def _views(ed: Edition) -> tuple[dict, ...]:
    year = ed.year
    rules = load_rules(ed)
    tree, scores = ed.tree, ed.scores
    pillars, subs = list(tree.pillars["code"]), list(tree.subpillars["code"])
    sub_pillar = dict(zip(tree.subpillars["code"], tree.subpillars["pillar"]))
    groups = scores["group"]
    wide = ed.wide.reindex(index=scores.index, columns=tree.codes)
    ind_ranks, ind_counts = indicator_ranks(wide, groups)
    ind_meta = ed.indicators.set_index("code")
    countries = ed.country_names()
    iso3 = ed.cities.set_index("id")["country_iso3"]
    medians = {g: scores.loc[groups == g, [COMPOSITE, *pillars, *subs]].median() for g in pd.unique(groups)}
    sizes = groups.value_counts()
    chart = rules["chart"]
    axis = [{"value": v, "pct": bar_pct(v, rules)} for v in chart["ticks"]]
    hist_years = sorted(history_years(ed, int(rules["history"]["editions"])))
    h = changes.history(ed).set_index(["year", "level", "id"])["rank"]
    focus = _focus(ed)
    long = ed.long.assign(id=ed.long["id"].astype(str), code=ed.long["code"].astype(str))
    long = long[long["value"].notna() & long["code"].isin(tree.codes)]
    prov = {cid: _prov_counts(v) for cid, v in long.groupby("id", sort=True)["provenance"]}
    order = {g: i for i, g in enumerate(rules["groups"])}
    unknown = sorted(set(groups) - set(order))
    if unknown:
        raise ValueError(f"{RULES_FILE}: groups {unknown} are not listed under `groups`")
    ordered = scores.assign(_g=groups.map(order)).sort_values(["_g", f"{COMPOSITE}_rank", "seq"], kind="mergesort")

    def level(code: str, r: pd.Series, g: str) -> dict:
        label = {"zh": i18n.t("profiles.composite", "zh"), "en": i18n.t("profiles.composite", "en")} \
            if code == COMPOSITE else ed.label(code)
        return {"code": code, "label": label, "score": float(r[code]), "rank": int(r[f"{code}_rank"]),
                "median": float(medians[g][code])}

    def indicator(cid: str, code: str) -> dict:
        m = ind_meta.loc[code]
        return {"code": code, "label": _bi(m), "rank": int(ind_ranks.at[cid, code]), "n": int(ind_counts.at[cid, code])}

    views = []
    for cid, r in ordered.iterrows():
        g = r["group"]
        strong, weak = strengths_weaknesses(ind_ranks.loc[cid], ind_counts.loc[cid], rules)
        sub_views = []
        for i, code in enumerate(subs):
            v = level(code, r, g)
            v.update(pillar=sub_pillar[code], first=(i == 0 or sub_pillar[subs[i - 1]] != sub_pillar[code]),
                     bar_pct=bar_pct(v["score"], rules), median_pct=bar_pct(v["median"], rules))
            sub_views.append(v)
        history = []
        for lev in rules["history"]["levels"]:
            earlier = [h.get((y, lev, cid)) for y in hist_years]
            history.append({"code": lev, "label": level(lev, r, g)["label"],
                            "ranks": [None if x is None else int(x) for x in earlier] + [int(r[f"{lev}_rank"])]})
        max_listed = int(rules["strengths"]["max_listed"])
        p = prov.get(cid, _prov_counts([]))
        fv = _focus_view(focus, cid)
        fp = fv.pop("provenance")
        views.append({
            "id": cid, "anchor": ANCHOR.format(id=cid), "name": _bi(r), "group": g, "n_group": int(sizes[g]),
            "country": countries[iso3[cid]],
            "composite": level(COMPOSITE, r, g),
            "pillars": [level(c, r, g) for c in pillars],
            "subpillars": sub_views,
            "axis": axis,
            "strengths": [indicator(cid, c) for c in strong[:max_listed]],
            "n_strengths": len(strong), "n_more_strengths": max(0, len(strong) - max_listed),
            "weaknesses": [indicator(cid, c) for c in weak], "n_weak": int(rules["weaknesses"]["count"]),
            "top_pct": round(100 * float(rules["strengths"]["top_fraction"])),
            "low_pct": round(100 * (1 - float(rules["weaknesses"]["min_fraction"]))),
            "history": {"years": [*hist_years, year], "rows": history,
                        "published": any(x is not None for row in history for x in row["ranks"][:-1])},
            "focus": fv,
            "provenance": {**p, "n": len(tree.codes), "missing": len(tree.codes) - sum(p.values()),
                           **{f"f_{k}": fp[k] for k in PROVENANCE_KINDS}, "n_focus": sum(fp.values()),
                           "reconstruction": bool(p["derived"] or p["imputed"] or fp["derived"] or fp["imputed"]
                                                  or len(tree.codes) > sum(p.values()))},
        })
    return tuple(views)


def profile_views(ed: Edition) -> list[dict]:
    """The data of every profile page, main cities then mini-hubs, each by composite rank."""
    return copy.deepcopy(list(ed.view("profiles/views", lambda: _views(ed))))


# --------------------------------------------------------------------------- HTML

def _int(v) -> str:
    return f"{int(v):,}"


@lru_cache(maxsize=2)
def _env(templates_dir: str) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates_dir),
                             autoescape=lambda name: bool(name) and name.endswith(".html.j2"),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["score"] = lambda v: f"{float(v):.2f}"
    env.filters["int"] = _int
    env.filters["css_string"] = lambda s: '"' + str(s).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ") + '"'
    return env


def appendix_letter() -> str:
    """The profiles appendix's letter: the one after the chapters' own appendices (``layout.yaml``)."""
    layout = load_layout()
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[sum(1 for ch in CHAPTERS if ch in layout and layout[ch].appendix)]


def _labelled(views: list[dict], edition: str) -> list[dict]:
    """``views`` with each page's ``label``: ``D-1``, ``D-2``, … in the appendix editions, else None."""
    letter = appendix_letter() if edition in APPENDIX_EDITIONS else None
    return [{**v, "label": f"{letter}-{k}" if letter else None, "link": LINK.format(id=v["id"])}
            for k, v in enumerate(views, 1)]


def _select(views: list[dict], ids: Iterable[str] | None) -> list[dict]:
    if ids is None:
        return views
    ids = list(ids)
    known = {v["id"] for v in views}
    bad = [i for i in ids if i not in known]
    if bad:
        raise KeyError(f"no profile for city id(s) {bad}")
    return [v for v in views if v["id"] in set(ids)]


def profile_pages(ed: Edition, edition: str, ids: Iterable[str] | None = None) -> list[tuple[str, Markup]]:
    """``[(city id, HTML of its page)]`` for ``edition`` (``templates/profiles/_profile.html.j2``)."""
    ctx = edition_context(ed.year, edition)
    tpl = _env(str(PROFILE_TEMPLATES)).get_template("_profile.html.j2")
    out = []
    for v in _select(_labelled(profile_views(ed), edition), ids):
        html = tpl.render(p=v, **ctx)
        if edition == "en":
            _no_cjk(html, v["id"])
        out.append((v["id"], Markup(html)))
    return out


def _no_cjk(html: str, where: str) -> None:
    bad = CJK.search(html)
    if bad:
        at = bad.start()
        raise ProfileError(f"profile {where}: the en edition contains Chinese text: …{html[max(0, at - 80):at + 40]}…")


def profiles_css() -> Markup:
    """The profile pages' stylesheet (shared by the standalone document and the report)."""
    return Markup((PROFILE_TEMPLATES / "profiles.css").read_text(encoding="utf-8"))


def profiles_html(ed: Edition, lang: str, *, ids: Iterable[str] | None = None) -> str:
    """A standalone HTML document of the profiles (all, or ``ids``), one A4 page each.

    It carries the report's stylesheet (``templates/report/report.css``: same page box and base
    typography) plus ``profiles.css``. In the appendix editions each page has the appendix's
    running head and its label (``D-12``): these pages are the report's appendix
    (:mod:`gihi.publish.appendix_pdf`); otherwise no head and no page number."""
    pages = profile_pages(ed, lang, ids)
    running = None
    if lang in APPENDIX_EDITIONS:
        title = " · ".join(i18n.t("profiles.appendix.title", la) for la in EDITION_LANGS[lang])
        running = f"{appendix_letter()}\u2003{title}"
    html = _env(str(PROFILE_TEMPLATES)).get_template("profiles.html.j2").render(
        pages=[p for _, p in pages], reconstruction=any(v["provenance"]["reconstruction"] for v in _select(profile_views(ed), ids)),
        report_css=Markup((REPORT_TEMPLATES / "report.css").read_text(encoding="utf-8")), running=running,
        profiles_css=profiles_css(), **edition_context(ed.year, lang))
    if lang == "en":
        _no_cjk(html, "document")
    return html


def report_appendix(ed: Edition, edition: str) -> dict:
    """The appendix opener for :func:`gihi.publish.assemble.edition_html` (``profiles=True``): a chapter-like
    dict (``id``, ``anchor``, ``appendix``, ``title``, no ``sections``) with the ``profiles``
    marker, the stylesheet ``css``, the intro ``fields`` and the city ``index`` (each entry's
    page ``label`` and ``link``). The pages themselves are the profiles document
    (:func:`write_profile_pdfs`), appended to the rendered report by :mod:`gihi.publish.appendix_pdf`."""
    langs = EDITION_LANGS[edition]
    views = _labelled(profile_views(ed), "bi")
    rules = load_rules(ed)
    sizes = {v["group"]: v["n_group"] for v in views}
    index = [{"group": g, "title": {lang: i18n.t(f"profiles.index.{g}", lang) for lang in langs},
              "entries": [{"link": v["link"], "label": v["label"], "rank": v["composite"]["rank"], "name": v["name"]}
                          for v in views if v["group"] == g]}
             for g in rules["groups"] if g in sizes]
    v0 = views[0]
    fields = {"n_main": sizes.get("main", 0), "n_mini": sizes.get("mini", 0), "n_pillars": len(v0["pillars"]),
              "n_sub": len(v0["subpillars"]), "first": v0["history"]["years"][0], "prev": v0["history"]["years"][-2 if len(v0["history"]["years"]) > 1 else -1],
              "top_pct": v0["top_pct"], "low_pct": v0["low_pct"], "n_weak": int(rules["weaknesses"]["count"])}
    return {"id": PROFILES_DIR, "profiles": True, "anchor": "ch-profiles", "appendix": True,
            "title": {lang: i18n.t("profiles.appendix.title", lang) for lang in langs}, "sections": [],
            "css": profiles_css(), "fields": fields, "index": index}


# --------------------------------------------------------------------------- PDF

def render_document(html: str, ids: list[str]):
    """Lay out ``html`` (a :func:`profiles_html` document of the profiles ``ids``) with WeasyPrint
    and check that page *i* is exactly profile *i* (its start and its end). Returns the
    WeasyPrint ``Document``. Any WeasyPrint warning is a :class:`ProfileError`."""
    from weasyprint import HTML  # heavy import: only when rendering

    from gihi.publish.weasy import ProjectFetcher, weasyprint_problems
    with weasyprint_problems() as problems:
        doc = HTML(string=html, base_url=str(PROFILE_TEMPLATES),
                   url_fetcher=ProjectFetcher([PROFILE_TEMPLATES])).render()
    if problems.messages:
        raise ProfileError("WeasyPrint reported problem(s):\n" + "\n".join(f"  {m}" for m in problems.messages))
    spill = [cid for i, cid in enumerate(ids)
             if i >= len(doc.pages) or not {ANCHOR.format(id=cid), ANCHOR.format(id=cid) + "-end"} <= set(doc.pages[i].anchors)]
    if spill or len(doc.pages) != len(ids):
        raise ProfileError(f"{len(ids)} profiles laid out on {len(doc.pages)} pages; not on one page each: {spill}")
    return doc


def pdf_identifier(page_html: str, css: str, lang: str, year: int, cid: str) -> bytes:
    """The fixed ``/ID`` of one profile's PDF: 32 hex digits of a SHA-256 of its HTML and style."""
    h = hashlib.sha256(f"profile\0{cid}\0{lang}\0{int(year)}\0".encode())
    h.update(css.encode("utf-8"))
    h.update(page_html.encode("utf-8"))
    return h.hexdigest()[:32].encode("ascii")


def whole_pdf_name(year: int, lang: str = "bi") -> str:
    """``GIHI-<year>-profiles.pdf`` (bilingual; the report's appendix pages), ``…-profiles-zh.pdf`` / ``-en``."""
    return f"GIHI-{int(year)}-profiles.pdf" if lang == "bi" else f"GIHI-{int(year)}-profiles-{lang}.pdf"


def profile_pdf_name(cid: str, lang: str = "bi") -> str:
    """``<id>.pdf`` for the bilingual edition, ``<id>-zh.pdf`` / ``<id>-en.pdf`` otherwise."""
    return f"{cid}.pdf" if lang == "bi" else f"{cid}-{lang}.pdf"


def split_pdf(pdf: bytes, pages: list[tuple[str, bytes, str]], lang: str) -> list[bytes]:
    """Split the one-page-per-profile ``pdf`` into one PDF per page with pypdf.

    ``pages`` is ``[(city id, /ID bytes, title)]`` in page order. Each file keeps the document's
    metadata (author, subject, keywords, creator, producer, creation date) with its own title,
    the document's ``/Lang``, and the given ``/ID`` (pypdf writes none by default)."""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

    reader = PdfReader(io.BytesIO(pdf))
    info = {k: str(v) for k, v in (reader.metadata or {}).items()}
    doc_lang = reader.trailer["/Root"].get("/Lang")
    out = []
    for page, (cid, ident, title) in zip(reader.pages, pages):
        writer = PdfWriter()
        writer.add_page(page)
        writer.add_metadata({**info, "/Title": title})
        if doc_lang is not None:
            writer._root_object[NameObject("/Lang")] = TextStringObject(str(doc_lang))
        writer._ID = ArrayObject([ByteStringObject(ident), ByteStringObject(ident)])
        buf = io.BytesIO()
        writer.write(buf)
        out.append(buf.getvalue())
    return out


def _whole(ed: Edition, lang: str, ids: list[str] | None) -> tuple[bytes, list[tuple[str, Markup]]]:
    """Lay out and write the profiles document: ``(PDF, [(city id, page HTML)])``. The pages are
    laid out :data:`CHUNK` at a time, each chunk a WeasyPrint document of its own (checked by
    :func:`render_document`), and the chunks joined with pypdf."""
    from gihi.publish.appendix_pdf import concatenate
    year = ed.year
    pages = profile_pages(ed, lang, ids)
    css = str(profiles_css())
    pdfs, digest = [], hashlib.sha256()
    for i in range(0, len(pages), CHUNK):
        order = [cid for cid, _ in pages[i:i + CHUNK]]
        html = profiles_html(ed, lang, ids=order)
        ident = pdf_identifier(html, css, lang, year, "*")
        pdfs.append(render_document(html, order).write_pdf(pdf_identifier=ident, uncompressed_pdf=False))
        digest.update(ident)
    return concatenate(pdfs, digest.hexdigest()[:32].encode("ascii")), pages


def whole_pdf(ed: Edition, lang: str = "bi") -> bytes:
    """The PDF of every profile, one page each, in order (the bilingual one is the report's appendix)."""
    return _whole(ed, lang, None)[0]


def write_profile_pdfs(ed: Edition, output_dir: Path | str | None = None, lang: str = "bi", *,
                       ids: Iterable[str] | None = None) -> list[Path]:
    """Write ``<output_dir>/<year>/profiles/<id>.pdf`` for every city (or ``ids``); returns the paths.

    The profiles are laid out once, :data:`CHUNK` pages per WeasyPrint document
    (:func:`render_document` checks one page each), joined, and split page by page with pypdf
    (:func:`split_pdf`). With every city, the whole document is kept too, as
    :func:`whole_pdf_name` (the bilingual one is the report's appendix). Each file's ``/ID`` is
    :func:`pdf_identifier` of its page, its title the city's, its creation date the data date
    (:func:`gihi.publish.assemble.data_date`): reruns are byte-identical.
    """
    year = ed.year
    out_dir = resolve(output_dir, OUTPUT_DIR) / str(int(year)) / PROFILES_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    whole, pages = _whole(ed, lang, None if ids is None else list(ids))
    names = {v["id"]: v["name"] for v in profile_views(ed)}
    css = str(profiles_css())
    meta = [(cid, pdf_identifier(str(page_html), css, lang, year, cid),
             " / ".join(i18n.t("profiles.pdf.title", la, city=names[cid][la], year=int(year)) for la in EDITION_LANGS[lang]))
            for cid, page_html in pages]
    if ids is None:
        write_atomic(out_dir / whole_pdf_name(year, lang), whole)
    paths = []
    for (cid, _, _), data in zip(meta, split_pdf(whole, meta, lang)):
        path = out_dir / profile_pdf_name(cid, lang)
        write_atomic(path, data)
        paths.append(path)
    return paths


__all__ = ["ProfileError", "load_rules", "indicator_ranks", "strengths_weaknesses", "bar_pct", "profile_views",
           "profile_pages", "profiles_css", "profiles_html", "report_appendix", "render_document", "pdf_identifier",
           "LINK", "APPENDIX_EDITIONS", "appendix_letter", "whole_pdf", "whole_pdf_name", "profile_pdf_name", "split_pdf", "write_profile_pdfs"]
