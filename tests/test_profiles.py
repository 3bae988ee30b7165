"""City profiles (gihi.publish.profiles): the page data against an independent computation and the
published 2023 tables, the strengths/weaknesses rule, the HTML chart, the per-city PDFs (one
page, text, fonts, byte-identical reruns), the English edition and the report appendix."""
from __future__ import annotations

import csv
import html as htmllib
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pypdf
import pypdfium2 as pdfium
import pytest
import yaml

from _fonts import FAMILIES, cmap as _cmap
from gihi.publish import profiles as P
from gihi.publish.assemble import CJK, edition_html, rendered_text
from gihi.report.i18n import missing_translations, t

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
YEAR = 2023
LEVELS = ["composite", "A", "B", "C", "A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "C4"]


# ----------------------------------------------------------------- independent reference

def _csv(rel: str) -> pd.DataFrame:
    return pd.read_csv(DATA / rel, dtype={"id": str}, keep_default_na=False, na_values=[""])


@lru_cache(maxsize=None)
def reference(group: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Scores and ranks of every level within ``group``, recomputed from the raw data with plain
    pandas (z-scores, weighted means, min–max to [60, 100], "min" ranks), and the raw values."""
    cities = _csv(f"{YEAR}/meta/cities.csv")
    ids = sorted(cities.loc[cities["group"] == group, "id"])
    wide = _csv(f"{YEAR}/indicators.csv").pivot(index="id", columns="code", values="value").loc[ids].astype(float)
    assert not wide.isna().any().any()  # complete data: no screening or re-weighting needed
    ind = _csv(f"{YEAR}/meta/indicators.csv").set_index("code")   # the edition's own metadata
    tree = _csv(f"{YEAR}/meta/tree.csv").set_index("code")
    z = (wide - wide.mean()) / wide.std(ddof=1)
    level_z = {}
    for s in tree.index[tree["level"] == "subpillar"]:
        codes = ind.index[ind["subpillar"] == s]
        w = ind.loc[codes, "weight"].astype(float)
        level_z[s] = (z[codes] * w).sum(axis=1) / w.sum()
    for p in tree.index[tree["level"] == "pillar"]:
        subs = tree.index[tree["parent"] == p]
        w = tree.loc[subs, "weight"].astype(float)
        level_z[p] = sum(level_z[s] * w[s] for s in subs) / w.sum()
    pw = tree.loc[tree["level"] == "pillar", "weight"].astype(float)
    level_z["composite"] = sum(level_z[p] * pw[p] for p in pw.index) / pw.sum()
    lz = pd.DataFrame(level_z)[LEVELS]
    scores = 60 + 40 * (lz - lz.min()) / (lz.max() - lz.min())
    return scores, scores.rank(ascending=False, method="min").astype(int), wide


@pytest.fixture(scope="module")
def ed(real_edition):
    return real_edition


@pytest.fixture(scope="module")
def views(ed) -> dict[str, dict]:
    return {v["id"]: v for v in P.profile_views(ed)}


@pytest.fixture(scope="module")
def rules() -> dict:
    return yaml.safe_load((DATA / "meta" / "profiles.yaml").read_text(encoding="utf-8"))


def _levels(v: dict) -> dict[str, dict]:
    return {lv["code"]: lv for lv in [v["composite"], *v["pillars"], *v["subpillars"]]}


def _row(file: str, name_zh: str) -> dict[str, float]:
    with (DATA / str(YEAR) / "published" / file).open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["name_zh"] == name_zh]
    return {k: float(v) for k, v in rows[0].items() if k != "name_zh"} if rows else {}


def _published(name_zh: str, group: str) -> dict[str, float]:
    """Published scores and ranks (``<level>_rank``) of one city, from data/2023/published."""
    out = _row("mini.csv" if group == "mini" else "composite.csv", name_zh)
    if group == "main":
        for file, pillar in (("science.csv", "A"), ("highland.csv", "B"), ("ecosystem.csv", "C")):
            row = _row(file, name_zh)
            if row:
                out[f"{pillar}_rank"] = row.pop("rank")
                out.update(row)
    return out


# ----------------------------------------------------------------- the page data

def test_rules_are_the_gii_top_decile(rules, ed):
    assert rules["strengths"]["top_fraction"] == pytest.approx(0.10)
    assert P.load_rules(ed)["weaknesses"]["count"] == rules["weaknesses"]["count"]


def test_one_profile_per_city_main_then_mini_by_rank(views):
    cities = _csv(f"{YEAR}/meta/cities.csv")
    assert sorted(views) == sorted(cities["id"])
    order = list(views.values())
    groups = [v["group"] for v in order]
    assert groups == ["main"] * 108 + ["mini"] * 11
    for g in ("main", "mini"):
        ranks = [v["composite"]["rank"] for v in order if v["group"] == g]
        assert ranks == sorted(ranks) and ranks[0] == 1
        assert {v["n_group"] for v in order if v["group"] == g} == {groups.count(g)}


@pytest.mark.parametrize("cid, name_zh, group", [("beijing", "北京", "main"), ("new-york", "纽约", "main"),
                                                  ("cambridge", "剑桥", "mini")])
def test_scores_and_ranks_equal_the_independent_computation_and_the_published_tables(views, cid, name_zh, group):
    v = views[cid]
    assert v["name"]["zh"] == name_zh and v["group"] == group
    scores, ranks, _ = reference(group)
    got = _levels(v)
    assert list(got) == LEVELS
    for level in LEVELS:
        assert got[level]["score"] == pytest.approx(scores.at[cid, level], abs=1e-9), level
        assert got[level]["rank"] == ranks.at[cid, level], level
        assert got[level]["median"] == pytest.approx(scores[level].median(), abs=1e-9), level
    pub = _published(name_zh, group)
    checked = [k for k in pub if k in got]
    assert len(checked) >= (4 if group == "mini" else 16)
    for level in checked:
        assert abs(got[level]["score"] - pub[level]) <= 0.01, (level, got[level]["score"], pub[level])
    for level in [k for k in LEVELS if f"{k}_rank" in pub]:
        assert got[level]["rank"] == pub[f"{level}_rank"], level


def test_beijing_against_the_printed_numbers(views):
    # GIHI 2023, Table 3 / the pillar tables: Beijing 83.18 (3rd), science 94.66 (2nd), A3 100.00
    # (the data are a reconstruction: scores agree within 0.01)
    b = _levels(views["beijing"])
    assert b["composite"]["score"] == pytest.approx(83.18, abs=0.01) and b["composite"]["rank"] == 3
    assert b["A"]["score"] == pytest.approx(94.66, abs=0.01) and b["A"]["rank"] == 2
    assert b["A3"]["score"] == pytest.approx(100.00, abs=0.01) and b["A3"]["rank"] == 1


def test_strengths_and_weaknesses_by_hand():
    rules = {"strengths": {"top_fraction": 0.1, "max_listed": 6}, "weaknesses": {"count": 3, "min_fraction": 0.5}}
    ranks = pd.Series({"I01": 1, "I02": 12, "I03": 2, "I04": 20, "I05": None, "I06": 15, "I07": 19, "I08": 3},
                      dtype="Int64")
    counts = pd.Series(20, index=ranks.index)
    strong, weak = P.strengths_weaknesses(ranks, counts, rules)
    assert strong == ["I01", "I03"]          # rank <= 0.1 * 20
    assert weak == ["I04", "I07", "I06"]     # rank > 10, worst first, three of them
    # 11 cities: only rank 1 is in the top decile; ties keep indicator order
    strong, weak = P.strengths_weaknesses(pd.Series({"a": 1, "b": 2, "c": 1, "d": 6, "e": 5}, dtype="Int64"),
                                          pd.Series(11, index=list("abcde")), rules)
    assert strong == ["a", "c"] and weak == ["d"]


def test_strengths_are_in_the_top_decile_and_weaknesses_the_lowest_ranks(views, rules):
    top, listed_max = rules["strengths"]["top_fraction"], rules["strengths"]["max_listed"]
    low, n_weak = rules["weaknesses"]["min_fraction"], rules["weaknesses"]["count"]
    for group in ("main", "mini"):
        _, _, wide = reference(group)
        ranks = wide.rank(ascending=False, method="min")  # independent ranks within the group
        n = wide.notna().sum()
        for cid in wide.index:
            v = views[cid]
            r = ranks.loc[cid]
            strong = [c for c in wide.columns if r[c] <= top * n[c]]
            listed = [s["code"] for s in v["strengths"]]
            assert v["n_strengths"] == len(strong) and len(listed) == min(len(strong), listed_max)
            assert set(listed) <= set(strong), cid
            for s in v["strengths"]:
                assert s["rank"] == r[s["code"]] and s["n"] == n[s["code"]] and s["rank"] / s["n"] <= top
            if listed and len(strong) > len(listed):
                assert max(r[listed]) <= min(r[[c for c in strong if c not in listed]])
            cands = [c for c in wide.columns if r[c] > low * n[c] and c not in strong]
            weak = [w["code"] for w in v["weaknesses"]]
            assert len(weak) == min(n_weak, len(cands)) and set(weak) <= set(cands), cid
            if weak and len(cands) > len(weak):
                assert min(r[weak]) >= max(r[[c for c in cands if c not in weak]])
            assert [w["rank"] for w in v["weaknesses"]] == sorted((w["rank"] for w in v["weaknesses"]), reverse=True)


def test_chart_bars_come_from_the_data(views, rules, ed):
    assert P.bar_pct(75, rules) == 50.0 and P.bar_pct(60, rules) == 20.0
    assert P.bar_pct(40, rules) == 0.0 and P.bar_pct(120, rules) == 100.0
    scores, _, _ = reference("main")
    lo, hi = rules["chart"]["axis_min"], rules["chart"]["axis_max"]
    (_, page), = P.profile_pages(ed, "bi", ids=["beijing"])
    bars = [float(x) for x in re.findall(r'class="pf-bar[^"]*" style="width: ([\d.]+)%"', page)]
    marks = [float(x) for x in re.findall(r'class="pf-marker" style="left: ([\d.]+)%"', page)]
    subs = LEVELS[4:]
    assert bars == pytest.approx([100 * (scores.at["beijing", s] - lo) / (hi - lo) for s in subs], abs=0.006)
    assert marks == pytest.approx([100 * (scores[s].median() - lo) / (hi - lo) for s in subs], abs=0.006)
    assert "<svg" not in page and "<img" not in page


def test_rank_history_from_the_published_ranks(views):
    with (DATA / "history" / "ranks.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["id"] == "beijing"]
    h = views["beijing"]["history"]
    assert h["years"] == [2021, 2022, 2023] and h["published"]
    by = {(int(r["year"]), r["level"]): int(r["rank"]) for r in rows}
    _, ranks, _ = reference("main")
    for row in h["rows"]:
        assert row["ranks"] == [by.get((2021, row["code"])), by.get((2022, row["code"])), ranks.at["beijing", row["code"]]]
    assert not views["cambridge"]["history"]["published"]  # earlier reports published no mini-hub rank


def test_focus_highlights(views):
    papers = _csv(f"{YEAR}/disciplines/papers.csv")
    hcp = papers.groupby(["discipline", "id"])["hcp"].sum().unstack(0).reindex(sorted(views)).fillna(0)
    drank = hcp.rank(ascending=False, method="min")
    patents = _csv(f"{YEAR}/ai_patents/patents_by_year.csv").groupby("id")[["valid", "hq"]].sum()
    prank = patents.rank(ascending=False, method="min")
    apps = _csv(f"{YEAR}/ai_patents/applicants.csv")
    for cid in ("beijing", "cambridge", "new-york"):
        f = views[cid]["focus"]
        assert f["disciplines"]["n_top"] == int((drank.loc[cid] <= 10).sum())
        assert f["disciplines"]["n_champion"] == int((drank.loc[cid] == 1).sum())
        assert f["disciplines"]["n_disciplines"] == hcp.shape[1] == 22
        assert (f["patents"]["valid"], f["patents"]["valid_rank"]) == (patents.at[cid, "valid"], prank.at[cid, "valid"])
        assert (f["patents"]["hq"], f["patents"]["hq_rank"]) == (patents.at[cid, "hq"], prank.at[cid, "hq"])
        mine = apps[apps["id"] == cid].sort_values("valid_patents", ascending=False)
        if len(mine):
            assert f["applicant"] == {"name": {"zh": mine.iloc[0]["applicant_zh"], "en": mine.iloc[0]["applicant_en"]},
                                      "valid": int(mine.iloc[0]["valid_patents"])}
        else:
            assert f["applicant"] is None and f["n_applicant_cities"] == apps["id"].nunique()
    assert views["beijing"]["focus"]["applicant"]["name"]["en"] == "Baidu"


def test_provenance_counts(views):
    long = _csv(f"{YEAR}/indicators.csv")
    for cid in ("beijing", "cambridge"):
        p = views[cid]["provenance"]
        counts = long[(long["id"] == cid) & long["value"].notna()]["provenance"].value_counts()
        assert {k: p[k] for k in ("published", "derived", "imputed")} == {k: int(counts.get(k, 0)) for k in
                                                                           ("published", "derived", "imputed")}
        assert p["n"] == 30 and p["missing"] == 0 and p["reconstruction"]


# ----------------------------------------------------------------- HTML, strings, glyphs

def test_strings_are_bilingual_with_full_width_chinese_punctuation():
    assert missing_translations() == []
    with (DATA / "meta" / "strings.d" / "profiles.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(r["key"].startswith("profiles.") for r in rows)
    for r in rows:
        zh = re.sub(r"\{[a-z_]+\}", "", r["zh"])
        assert not re.search(r"[,;:()]|[\u4e00-\u9fff] [\u4e00-\u9fff]", zh), r["key"]
        assert not CJK.search(r["en"]), r["key"]


def test_en_edition_has_no_chinese_and_every_character_has_a_glyph(ed):
    en = P.profiles_html(ed, "en")
    assert not CJK.search(en)
    assert en.count('class="profile ') == 119
    bi = P.profiles_html(ed, "bi")
    chars = set(htmllib.unescape(rendered_text(bi))) - set(" \n\t\r\xa0")
    covered = frozenset().union(*(_cmap(f) for f in FAMILIES))
    assert sorted(c for c in chars if ord(c) not in covered) == []


# ----------------------------------------------------------------- PDFs

def _fullest(views: dict, group: str) -> str:
    """The profile with the most lines in its lists (then the longest name): the one most likely
    to run over a page."""
    def size(v):
        return (len(v["strengths"]) + bool(v["n_more_strengths"]) + len(v["weaknesses"]) + 4 * v["history"]["published"]
                + sum(len(s["label"]["en"]) > 48 for s in v["strengths"] + v["weaknesses"]), len(v["name"]["en"]))
    return max((v for v in views.values() if v["group"] == group), key=size)["id"]


@pytest.fixture(scope="module")
def pdfs(views, ed, tmp_path_factory):
    ids = list(dict.fromkeys(["beijing", _fullest(views, "main"), "cambridge", _fullest(views, "mini")]))
    root = tmp_path_factory.mktemp("profiles")
    first = P.write_profile_pdfs(ed, output_dir=root / "a", ids=ids)
    again = P.write_profile_pdfs(ed, output_dir=root / "b", ids=ids)
    en = P.write_profile_pdfs(ed, output_dir=root / "a", lang="en", ids=["new-york"])
    return ids, first, again, en


def _text(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def _raw(obj) -> bytes:
    return obj.original_bytes if hasattr(obj, "original_bytes") else bytes(obj)


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def test_profile_pdfs_one_page_names_and_rank(pdfs, views):
    ids, first, _, _ = pdfs
    assert [p.name for p in first] == [f"{i}.pdf" for i in ids]
    assert [p.parent.parts[-2:] for p in first] == [(str(YEAR), "profiles")] * len(ids)
    for cid, path in zip(ids, first):
        v = views[cid]
        reader = pypdf.PdfReader(path)
        assert len(reader.pages) == 1, cid
        text = _squash(_text(path))
        rank, n = v["composite"]["rank"], v["n_group"]
        for expected in (v["name"]["zh"], v["name"]["en"], t("profiles.rank_of", "zh", rank=rank, n=n),
                         t("profiles.rank_of", "en", rank=rank, n=n)):
            assert _squash(expected) in text, (cid, expected)
        assert f"{v['composite']['score']:.2f}" in text
        meta = reader.metadata
        assert v["name"]["zh"] in meta.title and v["name"]["en"] in meta.title
        assert meta["/CreationDate"].startswith(f"D:{YEAR}0101")
        ident = [_raw(x) for x in reader.trailer["/ID"]]
        assert ident[0] == ident[1] and re.fullmatch(rb"[0-9a-f]{32}", ident[0])
    assert len({_raw(pypdf.PdfReader(p).trailer["/ID"][0]) for p in first}) == len(first)
    assert views["cambridge"]["group"] == "mini" and "cambridge" in ids


def test_profile_pdfs_are_byte_identical_on_rerun(pdfs):
    _, first, again, _ = pdfs
    for a, b in zip(first, again):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_profiles_laid_out_in_chunks_keep_their_order_and_labels(views, ed, tmp_path, monkeypatch):
    """Laid out CHUNK pages at a time (memory), the pages come out as from one document: each
    city's file is its page, labelled with its place among all the profiles (D-n)."""
    monkeypatch.setattr(P, "CHUNK", 2)
    order = [v["id"] for v in views.values()]
    ids = [order[0], order[40], order[-1]]   # two chunks, the second one short
    paths = P.write_profile_pdfs(ed, output_dir=tmp_path, ids=ids)
    assert [p.stem for p in paths] == ids
    for cid, path in zip(ids, paths):
        assert len(pypdf.PdfReader(path).pages) == 1
        text = _squash(_text(path))
        assert _squash(views[cid]["name"]["zh"]) in text and f"D-{order.index(cid) + 1}" in text, cid


def test_profile_pdf_fonts_are_subsets_of_the_named_families(pdfs):
    _, first, _, _ = pdfs
    allowed = tuple(f.replace(" ", "-") for f in FAMILIES)
    for path in first:
        for font in pypdf.PdfReader(path).pages[0]["/Resources"]["/Font"].values():
            name = font.get_object()["/BaseFont"]
            assert re.match(r"^/[A-Z]{6}\+", name) and name[8:].startswith(allowed), name


def test_english_profile_pdf_has_no_chinese(pdfs, views):
    _, _, _, (path,) = pdfs
    assert path.name == "new-york-en.pdf"
    text = _text(path)
    assert not CJK.search(text)
    assert "New York" in text and _squash(t("profiles.rank_of", "en", rank=views["new-york"]["composite"]["rank"],
                                            n=108)) in _squash(text)


def test_a_profile_that_runs_over_a_page_is_an_error(ed):
    html = P.profiles_html(ed, "bi", ids=["beijing"])
    long = html.replace('<p class="pf-prov"', '<div style="height: 200mm"></div><p class="pf-prov"', 1)
    with pytest.raises(P.ProfileError, match="beijing"):
        P.render_document(long, ["beijing"])


# ----------------------------------------------------------------- the report appendix

@pytest.fixture(scope="module")
def methods_bundle(ed, tmp_path_factory) -> Path:
    from gihi.report.recipe import build
    out = tmp_path_factory.mktemp("report")
    build("07_methods", ed, out)
    return out


def test_report_appendix(methods_bundle, ed):
    plain = edition_html(ed, "en", methods_bundle, chapters=["07_methods"])
    assert "profile-" not in plain
    for lang in ("bi", "en"):
        html = edition_html(ed, lang, methods_bundle, chapters=["07_methods"], profiles=True)
        body = html.split("<body", 1)[1]
        assert body.count('<section class="profile ') == 0   # the pages are appended after rendering
        ids = re.findall(r'id="([^"]+)"', body)
        assert len(ids) == len(set(ids))
        assert body.index('id="ch-profiles"') > body.index('id="ch-07_methods"')
        toc = re.search(r'<nav class="toc".*?</nav>', body, re.S).group(0)
        assert re.search(r'<a [^>]*href="#ch-profiles"', toc)   # the contents
        # the index: one link per city, to its page, labelled as printed on it (D-1 … D-119)
        links = re.findall(r'<a href="gihi-profile:([^"]+)" data-page="([^"]+)">', body)
        assert [cid for cid, _ in sorted(links, key=lambda x: int(x[1].split("-")[1]))] == [v["id"] for v in P.profile_views(ed)]
        assert sorted(label for _, label in links) == sorted(f"D-{k}" for k in range(1, 120))
        assert t("profiles.appendix.title", "en") in body
        if lang == "en":
            assert not CJK.search(html)
        else:
            assert t("profiles.appendix.title", "zh") in body
