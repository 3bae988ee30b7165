"""The glossary (``data/meta/glossary.csv``, explained in ``docs/terms.md``) and the words of every
reader-facing text.

* the glossary is well formed, and its name rows agree with the files that hold the names
  (``tree.csv``, ``indicators.csv``, ``cities.csv``, ``city_aliases.csv``, continents and
  countries): one zh and one en form for every term, pillar, sub-pillar, indicator, unit, city and
  place;
* no variant of a glossary entry (the forms it must not take) appears in a reader-facing source:
  the UI strings, the metadata columns that are printed, the report and profile templates, the
  text of the charts (string literals of ``gihi/report/charts``), the narrative templates — and, the strongest check, the assembled
  HTML of the three editions (``pdf_bundles``; the narratives of the HTML come from the narrative
  templates and are checked with them);
* production notes are not printed (``ddof``, "bundle", ids, "unit not stated"...), Chinese
  multi-city names use the report's hyphen, STEM/HASS are spelt out in Chinese;
* table typography: zh column headers break only at marked term boundaries (U+200B, never one
  character on a line; checked on a WeasyPrint layout), ``-0.00`` is printed ``0.00``, tied ranks
  carry ``=`` and a note, names and codes are not hyphenated or split.
"""
from __future__ import annotations

import ast
import csv
import html as htmlmod
import re
from functools import lru_cache
from pathlib import Path

import pytest

from _pdf_fixtures import pdf_bundles  # noqa: F401  (session fixture: the bundles and the editions' HTML)
from gihi.core.paths import DATA_DIR

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = DATA_DIR / "meta" / "glossary.csv"
COLUMNS = ["id", "kind", "zh", "en", "en_variants", "zh_variants", "note"]
KINDS = {"term", "pillar", "subpillar", "indicator", "unit", "city", "place", "other"}
CJK = "\u3400-\u9fff\uf900-\ufaff"
WBR = "\u200b"   # a break point in a zh column header (see docs/terms.md, "Table headers")


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=1)
def glossary() -> tuple[dict, ...]:
    return tuple(read(GLOSSARY))


def variants(row: dict, lang: str) -> list[str]:
    return [v for v in row[f"{lang}_variants"].split("|") if v]


@lru_cache(maxsize=2)
def _patterns(lang: str) -> list[tuple[re.Pattern, str, str]]:
    """(pattern, variant, glossary id) of every variant in ``lang``: English as whole words
    (a plural s allowed), Chinese as plain substrings."""
    out = []
    for row in glossary():
        for v in variants(row, lang):
            if lang == "en":
                pat = re.compile(rf"(?<![A-Za-z0-9_\-]){re.escape(v)}(?:s|es)?(?![A-Za-z0-9_])")
            else:
                pat = re.compile(re.escape(v))
            out.append((pat, v, row["id"]))
    return out


def find_variants(text: str, langs=("zh", "en")) -> list[str]:
    """Every variant found in ``text``, as ``'variant' (glossary id): …context…``."""
    found = []
    for lang in langs:
        for pat, v, gid in _patterns(lang):
            for m in pat.finditer(text):
                ctx = text[max(0, m.start() - 30):m.end() + 30].replace("\n", " ")
                found.append(f"{v!r} ({gid}): …{ctx}…")
    return found


def zh_typography(text: str) -> list[str]:
    """Chinese multi-city names take the report's hyphen (no en or em dash between two Chinese
    names); STEM and HASS appear in Chinese only in brackets after their spelt-out form."""
    out = []
    for m in re.finditer(rf"[{CJK}][–](?=[{CJK}])", text):
        out.append(f"en dash between Chinese names: …{text[max(0, m.start() - 10):m.end() + 10]}…")
    for m in re.finditer(r"STEM|HASS", text):
        before = text[max(0, m.start() - 12):m.start()]
        if re.search(r"[\x21-\x7e]\s*$", before):   # English text (the bilingual edition has both)
            continue
        if not re.search(rf"[{CJK}]（$", before):
            out.append(f"{m.group(0)} not spelt out: …{text[max(0, m.start() - 15):m.end() + 5]}…")
    return out


PRODUCTION = re.compile(r"ddof|\bbundles?\b|数据包|本项目译名|自动生成|this project's translation|"
                        r"unit not stated|未注明单位|reconstruction/README|\bsnake_case\b")


# --------------------------------------------------------------------------- the glossary itself

def test_glossary_is_well_formed():
    with GLOSSARY.open(encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == COLUMNS
    rows = glossary()
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert {r["kind"] for r in rows} <= KINDS
    for r in rows:
        assert r["en"], f"{r['id']}: no English form"
        assert r["zh"] or r["kind"] == "other", f"{r['id']}: no Chinese form"
        assert not re.search(rf"[{CJK}（），。：；、]", r["en"] + r["en_variants"]), f"{r['id']}: Chinese in en"
        zh = r["zh"]
        assert not re.search(rf"[{CJK}][(),:;]|[(),:;][{CJK}]", zh), f"{r['id']}: half-width punctuation in {zh!r}"
        for lang in ("zh", "en"):
            vs = variants(r, lang)
            assert len(vs) == len(set(vs)), f"{r['id']}: a {lang} variant twice"
            assert r[lang] not in vs, f"{r['id']}: the {lang} form is also a variant"


def test_no_variant_occurs_in_any_canonical_form():
    """A variant must never match a form the report uses (else the checks would flag the right word)."""
    for lang in ("zh", "en"):
        canon = [(r["id"], r[lang]) for r in glossary() if r[lang]]
        for pat, v, gid in _patterns(lang):
            hits = [i for i, text in canon if pat.search(text)]
            assert not hits, f"{lang} variant {v!r} of {gid} occurs in the {lang} form of {hits}"


def test_glossary_agrees_with_the_tree_and_the_indicators():
    g = {r["id"]: r for r in glossary()}
    for path in sorted(DATA_DIR.glob("[0-9][0-9][0-9][0-9]/meta/tree.csv")):
        for t in read(path):
            kind = {"index": "term", "pillar": "pillar", "subpillar": "subpillar"}[t["level"]]
            assert t["code"] in g, f"{path}: {t['code']} not in the glossary"
            r = g[t["code"]]
            assert (r["kind"], r["zh"], r["en"]) == (kind, t["name_zh"], t["name_en"]), f"{path}: {t['code']}"
    for path in sorted(DATA_DIR.glob("[0-9][0-9][0-9][0-9]/meta/indicators.csv")):
        units = set()
        for i in read(path):
            r = g.get(i["code"])
            assert r is not None and (r["kind"], r["zh"], r["en"]) == ("indicator", i["name_zh"], i["name_en"]), \
                f"{path}: {i['code']}"
            units.add((i["unit_zh"], i["unit_en"]))
        glossary_units = {(r["zh"], r["en"]) for r in glossary() if r["kind"] == "unit"}
        assert units <= glossary_units, f"{path}: units not in the glossary: {sorted(units - glossary_units)}"


def test_every_unit_is_a_plain_unit():
    """Working notes about a unit are in the ``note`` column of indicators.csv, not in the unit."""
    for path in sorted(DATA_DIR.glob("[0-9][0-9][0-9][0-9]/meta/indicators.csv")):
        for i in read(path):
            for lang in ("zh", "en"):
                assert not re.search(r"未注明|not stated|reconstruct|报告|report|；|;", i[f"unit_{lang}"]), \
                    f"{path}: {i['code']} unit_{lang} {i[f'unit_{lang}']!r}"


def test_glossary_agrees_with_the_cities_and_their_aliases():
    g = {r["id"]: r for r in glossary()}
    city_rows = {i for i, r in g.items() if r["kind"] == "city"}
    paths = sorted([*DATA_DIR.glob("meta/cities.csv"), *DATA_DIR.glob("[0-9][0-9][0-9][0-9]/meta/cities.csv")])
    assert paths
    seen = set()
    for path in paths:
        for c in read(path):
            seen.add(c["id"])
            r = g.get(c["id"])
            assert r is not None and (r["kind"], r["zh"], r["en"]) == ("city", c["name_zh"], c["name_en"]), \
                f"{path}: {c['id']} ({c['name_zh']} / {c['name_en']})"
            # multi-city names: the report's hyphen in Chinese, an en dash in English
            assert "–" not in c["name_zh"] and "—" not in c["name_zh"], f"{path}: {c['id']}"
            assert not re.search(r"\w-\w", c["name_en"]), f"{path}: {c['id']} needs an en dash"
    assert city_rows <= seen, f"glossary cities of no edition: {sorted(city_rows - seen)}"
    places = [r for r in glossary() if r["kind"] == "place"]
    for a in read(DATA_DIR / "meta" / "city_aliases.csv"):
        row = g[a["city_id"]]
        descriptive = [p for p in places if p["zh"] == a["alias"] and a["city_id"] in p["note"]]
        assert a["alias"] in variants(row, "zh") or descriptive, \
            f"alias {a['alias']} of {a['city_id']}: neither a variant of the city nor a place naming it"


def test_glossary_agrees_with_continents_and_countries():
    g = {r["id"]: r for r in glossary()}
    for c in read(DATA_DIR / "meta" / "continents.csv"):
        assert (g[f"continent-{c['code']}"]["zh"], g[f"continent-{c['code']}"]["en"]) == (c["name_zh"], c["name_en"])
    for c in read(DATA_DIR / "meta" / "countries.csv"):
        r = g[f"country-{c['iso3'].lower()}"]
        assert (r["zh"], r["en"]) == (c["name_zh"], c["name_en"])


def test_pillar_names_in_the_ui_strings_are_the_trees():
    """Table headers and chapter titles name the pillars as the tree does."""
    from gihi.model.strings import read_strings
    s = read_strings()
    g = {r["id"]: r for r in glossary()}
    for code, chapter in (("A", "02_science"), ("B", "03_highland"), ("C", "04_ecosystem")):
        assert s[f"col.score_{code}"]["en"] == g[code]["en"] and s[f"col.score_{code}"]["zh"] == g[code]["zh"]
        assert s[f"chapter.{chapter}"]["en"] == g[code]["en"] and s[f"chapter.{chapter}"]["zh"] == g[code]["zh"]
        assert s[f"col.rank_{code}"]["en"] == f"{g[code]['en']} rank"


# --------------------------------------------------------------------------- reader-facing sources

def _string_files() -> list[Path]:
    return [DATA_DIR / "meta" / "strings.csv", *sorted((DATA_DIR / "meta" / "strings.d").glob("*.csv"))]


def test_ui_strings_use_the_glossary_forms():
    problems = []
    for p in _string_files():
        for row in read(p):
            for lang in ("zh", "en"):
                problems += [f"{p.name} {row['key']} ({lang}): {x}" for x in find_variants(row[lang], (lang,))]
            problems += [f"{p.name} {row['key']}: {x}" for x in zh_typography(row["zh"])]
            if not row["key"].startswith("notebook."):   # the notebooks show their bundle on purpose
                for lang in ("zh", "en"):
                    if PRODUCTION.search(row[lang]):
                        problems.append(f"{p.name} {row['key']} ({lang}): production note {row[lang]!r}")
    assert problems == []


# the metadata columns that are printed (tables, charts, downloads)
PRINTED = {
    "meta/tree.csv": ("name_zh", "name_en"),
    "meta/indicators.csv": ("name_zh", "name_en", "unit_zh", "unit_en", "period_zh", "period_en",
                            "definition_zh", "definition_en", "source_zh", "source_en"),
    "meta/cities.csv": ("name_zh", "name_en"),
    "meta/gii_mapping.csv": ("note_zh", "note_en"),
    "meta/disciplines.csv": ("name_zh", "name_en"),
    "meta/ipc_groups.csv": ("label_zh", "label_en", "field_group_zh"),
    "meta/countries.csv": ("name_zh", "name_en"),
    "meta/continents.csv": ("name_zh", "name_en"),
}


def test_printed_metadata_uses_the_glossary_forms():
    problems = []
    for logical, columns in PRINTED.items():
        for path in [DATA_DIR / logical, *sorted(DATA_DIR.glob(f"[0-9][0-9][0-9][0-9]/{logical}"))]:
            if not path.is_file():
                continue
            for n, row in enumerate(read(path), 1):
                for c in columns:
                    lang = "zh" if "zh" in c else "en"
                    problems += [f"{path.relative_to(DATA_DIR)} row {n} {c}: {x}" for x in find_variants(row[c], (lang,))]
                    if lang == "zh":
                        problems += [f"{path.relative_to(DATA_DIR)} row {n} {c}: {x}" for x in zh_typography(row[c])]
                    if PRODUCTION.search(row[c]):
                        problems.append(f"{path.relative_to(DATA_DIR)} row {n} {c}: production note {row[c]!r}")
    assert problems == []


_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


def template_text(path: Path) -> str:
    """The literal text of a Jinja template (tags, expressions and comments removed)."""
    return _JINJA.sub(" ", path.read_text(encoding="utf-8"))


def _scan_templates(paths) -> list[str]:
    problems = []
    for p in paths:
        text = template_text(p)
        zh = zh_typography(text) if not p.name.endswith(".en.md.j2") else []   # Chinese rules, Chinese text
        problems += [f"{p.relative_to(ROOT)}: {x}" for x in find_variants(text) + zh]
        problems += [f"{p.relative_to(ROOT)}: production note {m.group(0)!r}" for m in PRODUCTION.finditer(text)]
    return problems


def test_report_and_profile_templates_use_the_glossary_forms():
    paths = sorted([*(ROOT / "templates" / "report").glob("*.j2"), *(ROOT / "templates" / "profiles").glob("*.j2")])
    assert paths
    assert _scan_templates(paths) == []


def test_narrative_templates_use_the_glossary_forms():
    paths = sorted((ROOT / "templates" / "narrative").rglob("*.j2"))
    assert paths
    assert _scan_templates(paths) == []


def chart_strings(path: Path) -> list[tuple[int, str]]:
    """String literals of a chart module, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.body
            and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    # identifiers (column names, keys, matplotlib keywords: "radiation", "center") are not text
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
            and not re.fullmatch(r"[a-z0-9_]*|(?:[a-z]+ )*(?:center|left|right|top|bottom|upper|lower|points|fraction|data)", n.value)]


@pytest.mark.parametrize("path", sorted((ROOT / "gihi" / "report" / "charts").glob("*.py")), ids=lambda p: p.name)
def test_chart_text_uses_the_glossary_forms(path):
    problems = []
    for line, s in chart_strings(path):
        problems += [f"{path.name}:{line}: {x}" for x in find_variants(s) + zh_typography(s)]
    assert problems == []


# --------------------------------------------------------------------------- the editions as printed

def split_narratives(page: str) -> tuple[str, str]:
    """(the HTML without the narrative blocks, the narrative blocks) of an assembled edition."""
    parts = re.split(r'(<div class="narrative"[^>]*>.*?</div>\s*(?=<div class="narrative"|<div class="table-block|'
                     r'<figure|<div class="item-note|</section>))', page, flags=re.S)
    return "".join(parts[0::2]), "".join(parts[1::2])


def visible(page: str) -> str:
    from gihi.publish.assemble import rendered_text
    return htmlmod.unescape(rendered_text(page))


EDITIONS = ("bi", "zh", "en")


@pytest.mark.e2e   # every chapter built (pdf_bundles)
@pytest.mark.parametrize("lang", EDITIONS)
def test_printed_edition_uses_the_glossary_forms(pdf_bundles, lang):
    page, narratives = split_narratives(pdf_bundles.html(lang))
    assert narratives and "<table" in page
    text = visible(page)
    langs = {"bi": ("zh", "en"), "zh": ("zh",), "en": ("en",)}[lang]
    problems = find_variants(text, langs) + (zh_typography(text) if "zh" in langs else [])
    problems += [f"production note: …{text[max(0, m.start() - 40):m.end() + 40]}…" for m in PRODUCTION.finditer(text)]
    # no city id, no negative zero
    problems += [f"city id printed: {m.group(0)}" for m in re.finditer(r"(?<![\w/.-])(?:greater-bay-area|san-francisco-san-jose|"
                                                                       r"los-angeles-long-beach-anaheim)(?![\w-])", text)]
    problems += [f"negative zero: …{text[max(0, m.start() - 30):m.end() + 10]}…" for m in re.finditer(r"(?<![\d.])-0\.0+(?![\d])", text)]
    assert problems == []


@pytest.mark.e2e   # every chapter built (pdf_bundles)
@pytest.mark.parametrize("lang", EDITIONS)
def test_printed_narratives_use_the_glossary_forms(pdf_bundles, lang):
    _, narratives = split_narratives(pdf_bundles.html(lang))
    text = visible(narratives)
    langs = {"bi": ("zh", "en"), "zh": ("zh",), "en": ("en",)}[lang]
    problems = find_variants(text, langs) + (zh_typography(text) if "zh" in langs else [])
    problems += [f"production note: …{text[max(0, m.start() - 40):m.end() + 40]}…" for m in PRODUCTION.finditer(text)]
    assert problems == []


# --------------------------------------------------------------------------- tables

def test_zh_column_headers_mark_their_break_points():
    """A zh header longer than five characters says where it may break (``wrap.col.<label>``:
    ``科学中心|排名``); every piece has at least two characters, so no character ends up alone on a
    line; the marked text is the header's own (and the English is the header's)."""
    from gihi.model.strings import read_strings
    s = read_strings()
    problems = []
    for key, v in s.items():
        if key.startswith("col."):
            plain = re.sub(r"\{[a-z_]+\}", "0", v["zh"])
            if len(plain) > 5 and f"wrap.{key}" not in s:
                problems.append(f"{key}: {v['zh']!r} has no break points (wrap.{key})")
        if key.startswith("wrap."):
            head = s.get(key[len("wrap."):])
            pieces = re.sub(r"\{[a-z_]+\}", "0", v["zh"]).split("|")
            if head is None or v["zh"].replace("|", "") != head["zh"] or v["en"] != head["en"]:
                problems.append(f"{key}: not the text of {key[len('wrap.'):]}")
            if len(pieces) < 2 or min(len(p) for p in pieces) < 2:
                problems.append(f"{key}: {v['zh']!r} leaves a single character between break points")
    assert problems == []


def test_column_specs_carry_the_break_points():
    from gihi.report.chapters.common import col
    c = col("A_rank", "rank", label="rank_A")
    assert c.zh == f"科学中心{WBR}排名" and c.en == "Science Centre rank"
    assert col("rank", "rank").zh == "排名"
    assert col("cagr_recent", "pct", label="cagr_years", start=2020, end=2022).zh == f"2020—2022年{WBR}年均{WBR}增长率"


def _lines(document) -> list[tuple[str, str]]:
    """(cell kind, text of each laid-out line) of every table cell of a WeasyPrint document."""
    out = []

    def texts(box, acc):
        if type(box).__name__ == "TextBox":
            acc.append(box.text)
        for c in getattr(box, "children", None) or []:
            texts(c, acc)

    def walk(box, cell):
        name = type(box).__name__
        if name == "TableCellBox":
            cell = box.element_tag
        if name == "LineBox" and cell:
            acc = []
            texts(box, acc)
            out.append((cell, "".join(acc).replace(WBR, "")))
            return
        for c in getattr(box, "children", None) or []:
            walk(c, cell)

    for page in document.pages:
        walk(page._page_box, None)
    return out


def _render_table(columns, rows, lang="zh", note=None, width="70mm"):
    """A table through the report's macro and style sheet, laid out by WeasyPrint."""
    import jinja2
    import weasyprint
    tdir = ROOT / "templates" / "report"
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tdir)), autoescape=True)
    from markupsafe import Markup
    from gihi.report.chapters.view import fmt_cell
    env.filters["cell"] = lambda v, fmt=None: Markup(fmt_cell(v, fmt))
    strings = {"note.tied_rank": {"zh": "排名前的“=”表示名次并列。", "en": "“=” before a rank marks a tie."}}
    langs = ("zh", "en") if lang == "bi" else (lang,)
    body = env.from_string('{% import "_macros.html.j2" as m with context %}{{ m.table(it) }}').render(
        langs=langs, it={"anchor": "t", "caption": {k: "T" for k in langs}, "note": note, "landscape": False,
                         "columns": columns, "rows": rows},
        t=lambda key, language, **f: strings[key][language], tt=lambda key, **f: {k: strings[key][k] for k in langs})
    css = (tdir / "report.css").read_text(encoding="utf-8")
    page = (f'<html lang="{"zh" if lang != "en" else "en"}"><head><style>{css}\n@page {{ size: {width} 200mm; margin: 2mm; '
            f'@top-center {{ content: none }} @bottom-center {{ content: none }} }}</style></head><body>{body}</body></html>')
    return body, weasyprint.HTML(string=page).render()


def _column(key, fmt, headers, lang=None):
    return {"key": key, "format": fmt, "lang": lang, "headers": headers, "parts": [(None, key)]}


def test_zh_headers_wrap_at_term_boundaries_only():
    """Narrow columns: each header line is a whole piece (科学中心 / 排名), never one character."""
    from gihi.report.chapters.common import col
    specs = [col("rank", "rank"), col("A_rank", "rank", label="rank_A"), col("B_rank", "rank", label="rank_B"),
             col("C_rank", "rank", label="rank_C"), col("superstar", "rank"), col("change", "rank"),
             col("A1", "rank", label="score_A1"), col("r", "rank", label="audit_r_subpillar")]
    cols = [_column(c.key, "rank", {"zh": c.zh}) for c in specs]
    rows = [[[(None, 1)] for _ in specs]]
    _, doc = _render_table(cols, rows, lang="zh", width="45mm")
    heads = [t for kind, t in _lines(doc) if kind == "th"]
    assert heads, "no header laid out"
    assert len(heads) > len(specs), f"nothing wrapped in a narrow table: {heads}"
    pieces = {p for c in specs for p in c.zh.split(WBR)}
    for line in heads:
        assert len(line.strip()) >= 2, f"a header line of one character: {heads}"
        # a line is a sequence of whole pieces
        rest = line.strip()
        while rest:
            piece = next((p for p in sorted(pieces, key=len, reverse=True) if rest.startswith(p)), None)
            assert piece, f"header line {line!r} splits a term (pieces {sorted(pieces)})"
            rest = rest[len(piece):]


def test_names_and_codes_are_not_split():
    """City names break only at their hyphens (zh) or spaces and dashes (en); IPC codes never."""
    cols = [_column("ipc", "text", {"zh": "IPC小组"}), _column("name_zh", "text", {"zh": "城市（都市圈）"}, "zh"),
            _column("name_en", "text", {"en": "City"}, "en")]
    rows = [[[(None, "G06N-0003")], [(None, "芝加哥-内珀维尔-埃尔金")], [(None, "Baltimore–Washington")]]]
    _, doc = _render_table(cols, rows, lang="bi", width="40mm")
    cells = [t.strip() for kind, t in _lines(doc) if kind == "td"]
    assert "G06N-0003" in cells
    for t in cells:
        assert not t.endswith("-") or t in ("芝加哥-", "芝加哥-内珀维尔-", "内珀维尔-"), f"hyphenated: {cells}"
    assert all(p in {"芝加哥-", "内珀维尔-", "埃尔金", "芝加哥-内珀维尔-", "内珀维尔-埃尔金", "芝加哥-内珀维尔-埃尔金"}
               for p in cells if re.search(f"[{CJK}]", p)), cells
    assert {"Baltimore–Washington"} & set(cells) or {"Baltimore–", "Washington"} <= set(cells), cells


def test_tied_ranks_are_marked_and_noted():
    cols = [_column("rank", "rank", {"zh": "排名", "en": "Rank"}), _column("score", "score", {"zh": "得分", "en": "Score"})]
    rows = [[[(None, r)], [(None, s)]] for r, s in ((1, 90.0), (2, 80.0), (2, 80.0), (4, 70.0))]
    body, _ = _render_table(cols, rows, lang="bi")
    cells = re.findall(r'<td class="f-rank[^"]*"[^>]*>(.*?)</td>', body)
    assert cells == ["1", "=2", "=2", "4"]
    assert "排名前的“=”表示名次并列。" in body and "“=” before a rank marks a tie." in body
    untied = [[[(None, r)], [(None, s)]] for r, s in ((1, 90.0), (2, 80.0))]
    body, _ = _render_table(cols, untied, lang="bi")
    assert "=" not in re.sub(r"<[^>]+>", "", body) and "marks a tie" not in body


def test_gii_mapping_table_shows_no_ids_and_notes_in_both_languages():
    from gihi.report.chapters import gii
    keys = [c.key for c in gii.mapping_columns()]
    assert "gihi_id" not in keys and {"note_zh", "note_en", "name_zh", "name_en"} <= set(keys)
    from gihi.report.chapters import methods
    assert "id" not in [c.key for c in methods.excluded_columns()]


def test_cells_print_no_negative_zero_and_separate_thousands():
    from gihi.report.chapters.view import fmt_cell
    assert fmt_cell(-0.001, "score") == "0.00" and fmt_cell(-0.004, "num") == "0.00" and fmt_cell(-0.0, "pct") == "0.00%"
    assert fmt_cell(-0.006, "score") == "-0.01" and fmt_cell(-12.5, "num") == "-12.50" and fmt_cell(-1e-9, "num") == "0.00"
    assert fmt_cell(88.6521, "score") == "88.65" and fmt_cell(1234567.891, "num") == "1,234,567.89"
    assert fmt_cell(999, "int") == "999" and fmt_cell(8847, "int") == "8,847" and fmt_cell(12345, "int") == "12,345"
    assert fmt_cell(-45678, "int") == "-45,678"
    assert fmt_cell(12345, "rank") == "12345"   # ranks are never separated
    assert fmt_cell(None, "score") == "–" and fmt_cell(float("nan"), "int") == "–"


def test_notebook_tables_mark_ties_too():
    from gihi.report.bundle import Column, Table
    from gihi.report.chapters.view import WBR as VIEW_WBR, table_display, tied_values
    assert tied_values([1, 2, 2, None, 4, 4, 4]) == {2, 4} and tied_values([1, 2, 3]) == set()
    t = Table(id="t", caption={"zh": "表", "en": "Table"}, note=None,
              columns=[Column("rank", f"排{VIEW_WBR}名", "Rank", "rank"), Column("v", "值", "Value", "score")],
              rows=[{"rank": 1, "v": 3.0}, {"rank": 2, "v": 2.0}, {"rank": 2, "v": 2.0}, {"rank": 4, "v": -0.0001}])
    shown = table_display(t, "bi", "test")
    html, text = shown.bundle["text/html"], shown.bundle["text/plain"]
    assert ">=2<" in html and ">1<" in html and "-0.00" not in html + text
    assert "“=” before a rank marks a tie." in html and "排名前的“=”表示名次并列。" in html
    assert VIEW_WBR not in text and "排名 / Rank" in text


def test_the_notebooks_markdown_uses_the_glossary_forms():
    """The chapter notebooks' own text (headings, notes on each table and figure), which reviewers
    read, names terms as the report does: no variant outside the glossary."""
    import json
    found = []
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        found += [f"{nb.name}: {v}" for v in find_variants(text)]
    assert not found, found[:10]
