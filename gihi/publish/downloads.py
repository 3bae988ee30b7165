"""The report's data downloads: ``<out_dir>/GIHI-<year>-data.xlsx`` and one CSV per sheet.

:func:`write_downloads` computes the index (as the data stage does), reads the focus-chapter
tables from :mod:`gihi.analysis.focus_tables` and writes

* ``GIHI-<year>-data.xlsx`` with the sheets 说明 README, 得分与排名 Scores and ranks, 指标数值
  Indicator values (long format, with unit and provenance per value), 指标体系 Indicator
  framework (weights within the parent and in the composite), and, when the focus data exist,
  学科策源地 Discipline sources, 学科得分 Discipline scores, 人工智能专利 AI patents and
  专利热点领域 AI hot fields;
* ``downloads/<slug>.csv`` holding the same cells as each sheet (UTF-8 with BOM, ``\\n`` line
  ends; empty = missing; booleans ``TRUE``/``FALSE``).

Every sheet has one header row, each cell ``"中文 / English"``, frozen with the first column.
UI text comes from ``data/meta/strings.d/downloads.csv``. The output is byte-identical for
identical inputs: the workbook's created/modified stamps are 1 January of ``year`` and the zip is
rewritten with sorted entries, a fixed time stamp and fixed compression. Both outputs are written
atomically (temporary file or directory, then :func:`os.replace`). See ``docs/downloads.md``.
"""
from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from gihi.analysis import ai_patents as ai
from gihi.analysis import disciplines as dm
from gihi.core.files import plain_value, staged, write_atomic
from gihi.model.edition import Edition
from gihi.model.method.index import COMPOSITE, index_scores_table, score_columns
from gihi.publish.data_files import FOCUS_DECIMALS, SCORE_DECIMALS, WEIGHT_DECIMALS
from gihi.report import i18n
from gihi.report.chapters.common import PROVENANCE_KINDS, focus_provenance

CSV_DIR = "downloads"
FMT = {"score": "0.00", "rank": "0", "count": "#,##0", "weight": "0.0000", "pct": "0.00", "real": "#,##0.00##"}
COUNT_KINDS = {"count"}        # meta/indicators.csv ``kind`` values shown as whole numbers
FREEZE = "B2"                  # header row and first column
README_WIDTHS = (16, 24, 70, 70)
WIDTH_MIN, WIDTH_MAX = 6, 48
HEADER_WRAP = 20               # headers longer than this wrap instead of widening the column
LINE_HEIGHT, MAX_LINES = 15, 12
ZIP_LEVEL = 6


def xlsx_path(out_dir: Path, year: int) -> Path:
    return Path(out_dir) / f"GIHI-{year}-data.xlsx"


# --------------------------------------------------------------------------- sheet model

def _bi(key: str, **fields) -> tuple[str, str]:
    return i18n.t(key, "zh", **fields), i18n.t(key, "en", **fields)


@dataclass(frozen=True)
class Col:
    """One column: frame key, header parts, Excel number format and legend text."""

    key: str
    zh: str
    en: str
    fmt: str | None = None
    desc: tuple[str, str] = ("", "")

    @property
    def header(self) -> str:
        return f"{self.zh} / {self.en}"


def col(key: str, label: str, fmt: str | None = None, desc: str | None = None, pct: bool = False, **fields) -> Col:
    """A column headed by the UI string ``label`` (``pct``: with a percent sign), with the legend
    ``desc`` (default ``dl.desc.<key>``); ``fields`` fill both."""
    zh, en = _bi(label, **fields)
    if pct:
        zh, en = i18n.t("dl.col.pct", "zh", name=zh), i18n.t("dl.col.pct", "en", name=en)
    return Col(key, zh, en, FMT.get(fmt, fmt), _bi(desc or f"dl.desc.{key}", **fields))


def named(key: str, label: str, fmt: str | None, desc: str, name: tuple[str, str], **fields) -> Col:
    """Like :func:`col`, with a ``{name}`` field of the header that differs by language."""
    zh, en = (i18n.t(label, lang, name=n) for lang, n in zip(i18n.LANGS, name))
    return Col(key, zh, en, FMT.get(fmt, fmt), _bi(desc, **fields))


@dataclass
class Sheet:
    """A sheet and its CSV twin: ``frame`` holds the columns of ``cols`` in that order;
    ``row_formats`` optionally gives a per-row number format for some columns."""

    slug: str
    cols: list[Col]
    frame: pd.DataFrame
    freeze: str = FREEZE
    row_formats: dict[str, list[str]] = field(default_factory=dict)
    widths: tuple[int, ...] | None = None

    @property
    def names(self) -> tuple[str, str]:
        return _bi(f"dl.sheet.{self.slug}")

    @property
    def title(self) -> str:
        zh, en = self.names
        return f"{zh} {en}"


def _value(v):
    """A cell's Python value (:func:`gihi.core.files.plain_value`), integral numbers as int."""
    v = plain_value(v)
    return int(v) if isinstance(v, float) and v.is_integer() and abs(v) < 2**53 else v


def _text(v) -> str:
    """The CSV text of a cell value."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    return repr(v) if isinstance(v, float) else str(v)


def rows(sheet: Sheet) -> list[list]:
    """The sheet's cell values: header row, then the data rows."""
    out = [[c.header for c in sheet.cols]]
    keys = [c.key for c in sheet.cols]
    for rec in sheet.frame[keys].itertuples(index=False, name=None):
        out.append([_value(v) for v in rec])
    return out


# --------------------------------------------------------------------------- tables

def _names(frame: pd.DataFrame, cities: pd.DataFrame) -> pd.DataFrame:
    c = cities.set_index("id")
    return frame.assign(name_zh=frame["id"].map(c["name_zh"]), name_en=frame["id"].map(c["name_en"]))


def _city_cols() -> list[Col]:
    return [col("id", "col.id"), col("name_zh", "dl.col.name_zh"), col("name_en", "dl.col.name_en")]


def scores_sheet(result, cities: pd.DataFrame, tree) -> Sheet:
    """Scores and ranks at every level; main cities by composite rank, then the mini-hubs."""
    order = index_scores_table(result, cities, tree)[["id", "name_zh", "name_en", "group"]]
    ids = list(order["id"])
    frame = order.copy()
    lo, hi = (_value(float(result.policy[k])) for k in ("lo", "hi"))
    cols = [*_city_cols(), col("group", "col.group")]
    for level in score_columns(tree):
        if level == COMPOSITE:
            name = _bi("dl.level.composite")
        else:
            lab = tree.labels.loc[level]
            name = (f"{level} {lab['name_zh']}", f"{level} {lab['name_en']}")
        frame[level] = result.scores.loc[ids, level].astype(float).round(SCORE_DECIMALS).to_numpy()
        frame[f"{level}_rank"] = result.ranks.loc[ids, level].astype("Int64").to_numpy()
        cols += [named(level, "dl.col.score", "score", "dl.desc.score", name, lo=lo, hi=hi),
                 named(f"{level}_rank", "dl.col.rank", "rank", "dl.desc.rank", name)]
    return Sheet("scores", cols, frame.reset_index(drop=True))


def indicators_sheet(long: pd.DataFrame, cities: pd.DataFrame, tree) -> Sheet:
    """Raw values, long format (cities.csv order × Table-1 order), with unit and provenance."""
    frame = long.sort_values(["id", "code"], kind="mergesort").reset_index(drop=True)
    frame = frame.assign(id=frame["id"].astype(str), code=frame["code"].astype(str))
    frame = _names(frame, cities)
    ind = tree.indicators.set_index("code")
    for k in ("unit_zh", "unit_en", "kind"):
        frame[k] = frame["code"].map(ind[k])
    frame["ind_zh"] = frame["code"].map(ind["name_zh"])
    frame["ind_en"] = frame["code"].map(ind["name_en"])
    cols = [*_city_cols(), col("code", "col.indicator_code", desc="dl.desc.indicator_code"),
            col("ind_zh", "dl.col.indicator_zh", desc="dl.desc.indicator_zh"),
            col("ind_en", "dl.col.indicator_en", desc="dl.desc.indicator_en"),
            col("value", "dl.col.value", "real"), col("unit_zh", "dl.col.unit_zh"), col("unit_en", "dl.col.unit_en"),
            col("provenance", "col.provenance_kind")]
    fmts = [FMT["count"] if k in COUNT_KINDS else FMT["real"] for k in frame["kind"]]
    return Sheet("indicators", cols, frame, row_formats={"value": fmts})


def tree_sheet(tree) -> Sheet:
    """Pillars, sub-pillars and indicators in framework order with their weights."""
    pw = tree.pillars.set_index("code")["weight"]
    sw = tree.subpillars.set_index("code")["weight"]
    cw = tree.composite_weights()
    ind = tree.indicators.set_index("code")
    recs = []

    def node(level, code, parent, w_parent, w_comp):
        lab = tree.labels.loc[code]
        rec = {"level": level, "code": code, "parent": parent, "name_zh": lab["name_zh"], "name_en": lab["name_en"],
               "weight_parent": round(float(w_parent), WEIGHT_DECIMALS), "weight_composite": round(float(w_comp), WEIGHT_DECIMALS)}
        if level == "indicator":
            rec.update({k: ind.at[code, k] for k in ("unit_zh", "unit_en", "period_zh", "period_en", "definition_zh",
                                                     "definition_en", "source_zh", "source_en")})
        recs.append(rec)

    nodes = {*tree.pillars["code"], *tree.subpillars["code"], *tree.codes}
    root = next(c for c in tree.labels.index if c not in nodes)   # the index itself (GIHI)
    for p in tree.pillars["code"]:
        node("pillar", p, root, pw[p], pw[p])
        for s in tree.subpillars_of(p):
            node("subpillar", s, p, sw[s], sw[s] * pw[p])
            for i in tree.members(s):
                node("indicator", i, s, ind.at[i, "weight"], cw[i])
    cols = [col("level", "dl.col.level"), col("code", "dl.col.code"), col("parent", "dl.col.parent"),
            col("name_zh", "dl.col.name_zh", desc="dl.desc.node_zh"),
            col("name_en", "dl.col.name_en", desc="dl.desc.node_en"),
            col("weight_parent", "dl.col.weight_parent", "weight"),
            col("weight_composite", "col.weight_composite", "weight"),
            *[col(k, f"dl.col.{k}") for k in ("unit_zh", "unit_en", "period_zh", "period_en", "definition_zh",
                                              "definition_en", "source_zh", "source_en")]]
    return Sheet("tree", cols, pd.DataFrame(recs).reindex(columns=[c.key for c in cols]))


def discipline_sheets(ed: Edition) -> list[Sheet]:
    """The discipline-source list and every city × discipline score (:func:`gihi.analysis.disciplines.results`)."""
    r = dm.results(ed)
    listing, scores = r["listing"], r["score_table"]
    listing = listing.round({"mean_hcp_ratio": FOCUS_DECIMALS, "papers_cagr": FOCUS_DECIMALS})
    k, base = dm.TOP_N, _value(100 * dm.BASELINE)
    lcols = [*_city_cols(), col("rank", "col.rank", "rank", desc="dl.desc.list_rank", k=k),
             col("n_top10", "col.n_top10", "count", k=k), col("n_champion", "col.n_champion", "count"),
             col("mean_hcp_ratio", "col.mean_hcp_ratio", "pct", pct=True, baseline=base),
             col("papers_total", "col.papers_total", "count"), col("papers_cagr", "col.papers_cagr", "pct", pct=True),
             col("superstar", "col.superstar", n=dm.SUPERSTAR_MIN, k=k), col("emerging", "col.emerging")]
    meta = ed.disciplines.meta.set_index("code")
    sc = _names(scores.round({"score": FOCUS_DECIMALS}), ed.cities)
    sc = sc.assign(disc_zh=sc["discipline"].map(meta["name_zh"]), disc_en=sc["discipline"].map(meta["name_en"]))
    scols = [*_city_cols(), col("discipline", "col.discipline_code", desc="dl.desc.discipline_code"),
             col("disc_zh", "dl.col.discipline_zh", desc="dl.desc.discipline_zh"),
             col("disc_en", "dl.col.discipline_en", desc="dl.desc.discipline_en"),
             col("hcp", "col.hcp", "count", top=base),
             col("score", "dl.col.discipline_score", "score", desc="dl.desc.discipline_score",
                 lo=_value(dm.SCORE_LO), hi=_value(dm.SCORE_HI)),
             col("rank", "dl.col.discipline_rank", "rank", desc="dl.desc.discipline_rank")]
    return [Sheet("discipline_cities", lcols, listing), Sheet("discipline_scores", scols, sc)]


def ai_sheets(ed: Edition) -> list[Sheet]:
    """City AI-patent totals, ranks and growth, and the IPC hot fields (:func:`gihi.analysis.ai_patents.results`)."""
    r = ai.results(ed)
    patents, hot = r["table"], r["hotfields"][["rank", "ipc", "label_zh", "label_en", "hq_patents", "share_pct"]]
    cols = _city_cols()
    for m in ("valid", "hq", "pct", "triadic"):
        c = col(m, f"col.ai_{m}", "count", desc=f"dl.desc.ai_{m}")
        cols += [c, named(f"{m}_rank", "dl.col.rank", "rank", "dl.desc.measure_rank", (c.zh, c.en))]
    for name, (start, end) in ai.periods(ed)["city_growth"].items():
        cols.append(col(f"cagr_{name}", "col.cagr_years", "pct", desc="dl.desc.cagr", pct=True, start=start, end=end))
    patents = patents.round({c.key: FOCUS_DECIMALS for c in cols if c.key.startswith("cagr_")})
    hcols = [col("rank", "col.rank", "rank", desc="dl.desc.ipc_rank"), col("ipc", "col.ipc"),
             col("label_zh", "dl.col.field_zh", desc="dl.desc.field_zh"),
             col("label_en", "dl.col.field_en", desc="dl.desc.field_en"),
             col("hq_patents", "col.ai_hq", "count", desc="dl.desc.ipc_hq"),
             col("share_pct", "col.share_pct", "pct", pct=True)]
    return [Sheet("ai_patents", cols, patents), Sheet("ipc_hotfields", hcols, hot.round({"share_pct": FOCUS_DECIMALS}))]


# --------------------------------------------------------------------------- README

def _provenance_notes(ed: Edition, focus: list[str]) -> list[tuple[str, str]]:
    """(zh, en) notice lines: reconstruction or not, then the provenance counts of each scope."""
    long = ed.long
    counts = [("prov.scope.indicators", {k: int((long["provenance"] == k).sum()) for k in PROVENANCE_KINDS})]
    for f in focus:
        frame = focus_provenance(ed, f)
        if len(frame):
            counts.append((f"prov.scope.{f}", {k: int(frame[k].sum()) for k in PROVENANCE_KINDS}))
    reconstruction = any(c["derived"] or c["imputed"] for _, c in counts)
    notes = [_bi("prov.note.reconstruction" if reconstruction else "dl.note.published")]
    for scope, c in counts:
        zh, en = _bi(scope)
        n = sum(c.values())
        notes.append((i18n.t("dl.note.counts", "zh", scope=zh, n=n, **c), i18n.t("dl.note.counts", "en", scope=en, n=n, **c)))
    if reconstruction:
        notes.append(_bi("dl.note.more"))
    return notes


def readme_sheet(year: int, tree, sheets: list[Sheet], notes: list[tuple[str, str]], focus: list[str]) -> Sheet:
    """Title, year, provenance notice, sources, files, format, column legend and codes."""
    recs: list[tuple] = []

    def add(section: str, item, zh, en):
        s_zh, s_en = _bi(f"dl.readme.{section}")
        recs.append((f"{s_zh} / {s_en}", item, zh, en))

    add("title", None, *_bi("dl.title", year=year))
    add("year", None, year, year)
    for zh, en in notes:
        add("notice", None, zh, en)
    src: dict[tuple[str, str], list[str]] = {}
    for r in tree.indicators.itertuples(index=False):
        src.setdefault((r.source_zh, r.source_en), []).append(r.code)
    for (zh, en), codes in src.items():
        add("sources", ", ".join(codes), zh, en)
    for f, slug in (("disciplines", "discipline_cities"), ("ai_patents", "ai_patents")):
        if f in focus:
            s_zh, s_en = _bi(f"dl.sheet.{slug}")
            add("sources", f"{s_zh} / {s_en}", *_bi(f"dl.source.{f}"))
    add("files", xlsx_path(Path(), year).name, *_bi("dl.readme.workbook"))
    for s in sheets:
        zh, en = s.names
        add("files", f"{CSV_DIR}/{s.slug}.csv", i18n.t("dl.readme.csv", "zh", sheet=zh), i18n.t("dl.readme.csv", "en", sheet=en))
    add("format", None, *_bi("dl.readme.format_text"))
    for s in sheets:
        for c in s.cols:
            add("legend", s.title, f"{c.zh}：{c.desc[0]}", f"{c.en}: {c.desc[1]}")
    for code in ("main", "mini", "published", "derived", "imputed", "missing", "pillar", "subpillar", "indicator"):
        add("codes", code, *_bi(f"dl.code.{code}"))
    add("codes", "TRUE / FALSE", *_bi("dl.code.flags"))
    cols = [Col(k, *_bi(f"dl.readme.{k}")) for k in ("section", "item", "zh", "en")]
    return Sheet("readme", cols, pd.DataFrame(recs, columns=[c.key for c in cols], dtype=object),
                 freeze="A2", widths=README_WIDTHS)


# --------------------------------------------------------------------------- writers

def _width(v, fmt: str | None) -> int:
    if v is None:
        return 0
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        decimals = 0 if fmt in (None, FMT["count"], FMT["rank"]) else 4
        return len(f"{v:,.{decimals}f}")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(v))


def _lines(v, width: float) -> int:
    """Approximate number of lines ``v`` wraps to in a column ``width`` characters wide."""
    return max(1, math.ceil(_width(v, None) / max(width - 2, 1)))


def _sheet_xlsx(ws, sheet: Sheet, cells: list[list]) -> None:
    head_font, head_fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in cells:
        ws.append(row)
    widths = []
    for j, c in enumerate(sheet.cols, start=1):
        h = ws.cell(row=1, column=j)
        h.font, h.fill, h.alignment = head_font, head_fill, wrap
        fmts = sheet.row_formats.get(c.key)
        if c.fmt or fmts:
            for i in range(2, len(cells) + 1):
                ws.cell(row=i, column=j).number_format = fmts[i - 2] if fmts else c.fmt
        if sheet.widths:
            width = sheet.widths[j - 1]
            for i in range(2, len(cells) + 1):
                ws.cell(row=i, column=j).alignment = wrap
        else:
            w = max([_width(r[j - 1], c.fmt) for r in cells[1:]] + [min(_width(c.header, None), HEADER_WRAP)])
            width = min(max(w + 2, WIDTH_MIN), WIDTH_MAX)
        ws.column_dimensions[get_column_letter(j)].width = width
        widths.append(width)
    # row heights are not computed by every spreadsheet program: set them for the wrapped cells
    wrapped = range(1, len(cells) + 1) if sheet.widths else range(1, 2)
    for i in wrapped:
        lines = max(_lines(v, w) for v, w in zip(cells[i - 1], widths))
        ws.row_dimensions[i].height = LINE_HEIGHT * min(lines, MAX_LINES)
    ws.freeze_panes = sheet.freeze
    if not sheet.widths:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.cols))}{len(cells)}"


def workbook_bytes(sheets: list[Sheet], year: int) -> bytes:
    """The workbook as deterministic bytes (fixed stamps; sorted, fixed-time, fixed-level zip)."""
    wb = Workbook()
    wb.remove(wb.active)
    for s in sheets:
        _sheet_xlsx(wb.create_sheet(s.title), s, rows(s))
    stamp = datetime(year, 1, 1)
    zh, en = _bi("dl.title", year=year)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator, wb.properties.title, wb.properties.lastModifiedBy = "GIHI report builder", f"{zh} / {en}", None
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()  # not save_workbook(): it stamps ``modified`` from the clock
    return _normalise_zip(raw.getvalue(), (year, 1, 1, 0, 0, 0))


def _normalise_zip(data: bytes, date_time: tuple) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in sorted(src.namelist()):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type, info.create_system, info.external_attr = zipfile.ZIP_DEFLATED, 3, 0o644 << 16
            dst.writestr(info, src.read(name), compresslevel=ZIP_LEVEL)
    return out.getvalue()


def csv_bytes(sheet: Sheet) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for r in rows(sheet):
        w.writerow([_text(v) for v in r])
    return buf.getvalue().encode("utf-8-sig")


# --------------------------------------------------------------------------- entry point

def build_sheets(ed: Edition) -> list[Sheet]:
    """All sheets of an edition: README first, then the index tables and the focus tables."""
    tree, cities, long = ed.tree, ed.cities, ed.long
    sheets = [scores_sheet(ed.index, cities, tree), indicators_sheet(long, cities, tree), tree_sheet(tree)]
    focus = [f for f, data in (("disciplines", ed.disciplines), ("ai_patents", ed.ai_patents)) if data is not None]
    if "disciplines" in focus:
        sheets += discipline_sheets(ed)
    if "ai_patents" in focus:
        sheets += ai_sheets(ed)
    notes = _provenance_notes(ed, focus)
    return [readme_sheet(ed.year, tree, sheets, notes, focus), *sheets]


def write_downloads(ed: Edition, out_dir: Path) -> list[Path]:
    """Write ``<out_dir>/GIHI-<year>-data.xlsx`` and ``<out_dir>/downloads/<slug>.csv``; return
    their paths (workbook first). Nothing is replaced unless every table was computed."""
    out_dir, year = Path(out_dir), ed.year
    sheets = build_sheets(ed)
    book = workbook_bytes(sheets, year)
    out_dir.mkdir(parents=True, exist_ok=True)
    with staged(out_dir / CSV_DIR) as tmp:
        for s in sheets:
            (tmp / f"{s.slug}.csv").write_bytes(csv_bytes(s))
    xlsx = xlsx_path(out_dir, year)
    write_atomic(xlsx, book)
    return [xlsx, *[out_dir / CSV_DIR / f"{s.slug}.csv" for s in sheets]]
