"""Bilingual labels of the charts.

* Indicator / pillar / sub-pillar names and units come from the metadata DataFrames the caller
  passes in (``meta``: see :func:`code_labels`); city names from the ``cities`` table.
* Every other string on a chart comes from :data:`LABELS` (key → ``{"zh": ..., "en": ...}``).
  Templates use ``str.format`` fields (``{n}``, ``{year}``...).

``lang`` is ``"zh"``, ``"en"`` or ``"bi"`` (bilingual: ``"科学中心 Science Centre"``, or on two
lines where a chart asks for it). Chinese strings use full-width punctuation （），、： and no
spaces between Chinese characters.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

LANGS = ("zh", "en", "bi")

LABELS: dict[str, dict[str, str]] = {
    # generic
    "score": {"zh": "得分", "en": "Score"},
    "rank": {"zh": "排名", "en": "Rank"},
    "mean": {"zh": "均值", "en": "Mean"},
    "city": {"zh": "城市", "en": "City"},
    "cities": {"zh": "城市（都市圈）", "en": "Cities"},
    "no_data": {"zh": "无数据", "en": "n/a"},
    "year": {"zh": "年份", "en": "Year"},
    "composite": {"zh": "综合得分", "en": "Composite score"},
    "composite_score": {"zh": "综合得分", "en": "Composite score"},
    "value": {"zh": "数值", "en": "Value"},
    # regions / continents
    "region_usa": {"zh": "美国", "en": "United States"},
    "region_europe": {"zh": "欧洲", "en": "Europe"},
    "region_china": {"zh": "中国", "en": "China"},
    "continent_asia": {"zh": "亚洲", "en": "Asia"},
    "continent_europe": {"zh": "欧洲", "en": "Europe"},
    "continent_north_america": {"zh": "北美洲", "en": "North America"},
    "continent_oceania": {"zh": "大洋洲", "en": "Oceania"},
    "continent_south_america": {"zh": "南美洲", "en": "South America"},
    "continent_africa": {"zh": "非洲", "en": "Africa"},
    "group_main": {"zh": "国际科技创新中心", "en": "Innovation hubs"},
    "group_mini": {"zh": "微型科技创新中心", "en": "Mini-hubs"},
    # patterns and flows (Figs 2–4)
    "city_line": {"zh": "城市（都市圈）", "en": "City"},
    "group_mean": {"zh": "均值", "en": "Mean"},
    "mini_mean": {"zh": "微型科技创新中心均值", "en": "Mini-hub mean"},
    "agglomeration": {"zh": "要素聚集", "en": "Agglomeration"},
    "radiation": {"zh": "辐射带动", "en": "Spillover"},
    "agglomeration_axis": {"zh": "要素聚集水平", "en": "Agglomeration of innovation resources"},
    "radiation_axis": {"zh": "辐射带动能力", "en": "Spillover (outward reach)"},
    "equal_line": {"zh": "集聚与辐射相当", "en": "Agglomeration = spillover"},
    "radiation_stronger": {"zh": "辐射带动强于要素聚集", "en": "Spillover stronger"},
    "agglomeration_stronger": {"zh": "要素聚集强于辐射带动", "en": "Agglomeration stronger"},
    # rank changes
    "rank_prev": {"zh": "{year}年排名", "en": "{year} rank"},
    "rank_now": {"zh": "{year}年排名", "en": "{year} rank"},
    "rank_up": {"zh": "上升", "en": "Up"},
    "rank_down": {"zh": "下降", "en": "Down"},
    "rank_same": {"zh": "不变", "en": "Unchanged"},
    "rank_new": {"zh": "新上榜", "en": "New"},
    # maps
    "longitude": {"zh": "经度", "en": "Longitude"},
    "latitude": {"zh": "纬度", "en": "Latitude"},
    "size_composite": {"zh": "气泡大小：综合得分", "en": "Size: composite score"},
    "map_note": {"zh": "等距圆柱投影，仅示意城市位置", "en": "Equirectangular projection; positions only"},
    # methods tree
    "tree_pillar": {"zh": "一级指标", "en": "Pillar"},
    "tree_subpillar": {"zh": "二级指标", "en": "Sub-pillar"},
    "tree_indicator": {"zh": "三级指标", "en": "Indicator"},
    # networks
    "centrality": {"zh": "中心度", "en": "Centrality"},
    # disciplines (Figs 11–14)
    "n_top10": {"zh": "进入前十的学科数量", "en": "Disciplines in the top 10"},
    "size_n_top10": {"zh": "气泡大小：进入前十的学科数量", "en": "Size: disciplines in the top 10"},
    "superstar": {"zh": "超级明星城市", "en": "Superstar cities"},
    "discipline_source": {"zh": "学科策源地", "en": "Discipline hubs"},
    "other_cities": {"zh": "其他评估城市", "en": "Other evaluated cities"},
    "papers_total": {"zh": "发文总量（篇，对数坐标）", "en": "Papers, total (log scale)"},
    "mean_hcp_ratio": {"zh": "高被引论文比例均值（%）", "en": "Mean share of highly cited papers (%)"},
    "baseline": {"zh": "全球基准（1%）", "en": "Global baseline (1%)"},
    "size_papers": {"zh": "气泡大小：发文总量", "en": "Size: total papers"},
    "cagr_above": {"zh": "发文年均增速高于均值", "en": "Paper growth above mean"},
    "cagr_below": {"zh": "发文年均增速不高于均值", "en": "Paper growth not above mean"},
    "discipline_share": {"zh": "学科发文份额", "en": "Share of the city's papers"},
    "distance": {"zh": "距离（欧氏）", "en": "Distance (Euclidean)"},
    "discipline": {"zh": "学科", "en": "Discipline"},
    # AI patents (Figs 21–26)
    "ai_valid_stock": {"zh": "有效发明专利存量（件）", "en": "Valid invention patents, stock"},
    "ai_hq": {"zh": "高质量专利（件）", "en": "High-quality patents"},
    "ai_pct": {"zh": "PCT专利量（件）", "en": "PCT patents"},
    "ai_triadic": {"zh": "三方专利量（件）", "en": "Triadic patents"},
    "share_of_valid_note": {"zh": "括号内为占有效发明专利的比例", "en": "In brackets: share of valid invention patents"},
    "patents": {"zh": "专利量（件）", "en": "Patents"},
    "hq_patents_axis": {"zh": "高质量专利量（件）", "en": "High-quality patents"},
    "fg_algorithms_compute": {"zh": "人工智能算法算力", "en": "AI algorithms and computing"},
    "fg_intelligent_control": {"zh": "智能控制技术", "en": "Intelligent control"},
    "fg_computer_vision": {"zh": "计算机视觉技术", "en": "Computer vision"},
    "fg_applications": {"zh": "人工智能技术应用", "en": "AI applications"},
}


_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_UNIT_NOTE = re.compile(r"\s*[（(][^（）()]*(?:未注明|not stated)[^（）()]*[）)]")


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")


def join(zh: str, en: str, lang: str, sep: str = " ") -> str:
    """Pick ``zh`` / ``en``, or join both for ``"bi"`` (``sep`` between them)."""
    _check_lang(lang)
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    if not zh:
        return en
    if not en or zh == en:
        return zh
    return f"{zh}{sep}{en}"


def label(key: str, lang: str, sep: str = " ", **fmt) -> str:
    """A UI string of :data:`LABELS` (or :data:`CAPTIONS`), formatted with ``fmt``."""
    entry = LABELS.get(key) or CAPTIONS.get(key)
    if entry is None:
        raise KeyError(f"no label {key!r} in gihi.report.charts.labels.LABELS")
    return join(entry["zh"].format(**fmt), entry["en"].format(**fmt), lang, sep)


def code_labels(*frames: pd.DataFrame) -> pd.DataFrame:
    """Combine metadata frames (``tree.csv``, ``indicators.csv``, ``Tree.labels``...) into one
    table indexed by ``code`` with ``name_zh, name_en, unit_zh, unit_en`` (units may be empty).
    The first frame that has a code wins."""
    parts = []
    for f in frames:
        f = f.reset_index() if "code" not in f.columns else f
        if "code" not in f.columns:
            raise KeyError("a metadata frame needs a 'code' column or index")
        part = pd.DataFrame({"code": f["code"].astype(str)})
        for c in ("name_zh", "name_en", "unit_zh", "unit_en"):
            part[c] = f[c].astype(str).to_numpy() if c in f.columns else ""
        parts.append(part)
    out = pd.concat(parts, ignore_index=True).drop_duplicates("code", keep="first")
    return out.set_index("code")


def zh_style_problems(text: str) -> list[str]:
    """Problems of a Chinese label: ASCII parentheses/comma/colon next to Chinese, or spaces
    between two Chinese characters (empty list = fine)."""
    out = []
    if re.search(f"[{_CJK}] +[{_CJK}]", text):
        out.append("space between Chinese characters")
    if re.search(f"[{_CJK}][(),:;]|[(),:;][{_CJK}]", text):
        out.append("half-width punctuation next to Chinese")
    return out


@dataclass
class Labeller:
    """Label lookup for one chart: UI strings, code (indicator/pillar) names and units, cities."""

    lang: str = "zh"
    meta: pd.DataFrame | None = None
    cities: pd.DataFrame | None = None
    _meta: pd.DataFrame | None = field(default=None, init=False, repr=False)
    _cities: pd.DataFrame | None = field(default=None, init=False, repr=False)

    def __post_init__(self):
        _check_lang(self.lang)
        if self.meta is not None:
            self._meta = code_labels(self.meta)
        if self.cities is not None:
            c = self.cities if "id" in self.cities.columns else self.cities.reset_index()
            self._cities = c.drop_duplicates("id").set_index("id")

    def ui(self, key: str, sep: str = " ", **fmt) -> str:
        return label(key, self.lang, sep, **fmt)

    def join(self, zh: str, en: str, sep: str = " ") -> str:
        return join(zh, en, self.lang, sep)

    def code(self, code: str, sep: str = " ") -> str:
        """Name of a pillar, sub-pillar or indicator code from ``meta``."""
        if self._meta is None or code not in self._meta.index:
            raise KeyError(f"no label for code {code!r}: pass meta with it (see code_labels)")
        r = self._meta.loc[code]
        return join(r["name_zh"], r["name_en"], self.lang, sep)

    def unit(self, code: str, sep: str = " ") -> str:
        """Unit of an indicator (report notes in parentheses dropped); '' if none."""
        if self._meta is None or code not in self._meta.index:
            return ""
        r = self._meta.loc[code]
        zh = _UNIT_NOTE.sub("", str(r.get("unit_zh", "") or ""))
        en = _UNIT_NOTE.sub("", str(r.get("unit_en", "") or ""))
        return join(zh, en, self.lang, sep)

    def code_with_unit(self, code: str, sep: str = " ") -> str:
        """``名称（单位）`` / ``Name (unit)``; bilingual on two lines when ``sep`` is a newline."""
        name_zh, name_en = self._names(code)
        if self._meta is None or code not in self._meta.index:
            return self.code(code, sep)
        r = self._meta.loc[code]
        uz = _UNIT_NOTE.sub("", str(r.get("unit_zh", "") or ""))
        ue = _UNIT_NOTE.sub("", str(r.get("unit_en", "") or ""))
        zh = f"{name_zh}（{uz}）" if uz else name_zh
        en = f"{name_en} ({ue})" if ue else name_en
        return join(zh, en, self.lang, sep)

    def _names(self, code: str) -> tuple[str, str]:
        if self._meta is None or code not in self._meta.index:
            raise KeyError(f"no label for code {code!r}: pass meta with it (see code_labels)")
        r = self._meta.loc[code]
        return str(r["name_zh"]), str(r["name_en"])

    def city(self, cid: str, sep: str = " ") -> str:
        """City name (falls back to the id when the city table lacks it)."""
        if self._cities is None or cid not in self._cities.index:
            return str(cid)
        r = self._cities.loc[cid]
        return join(str(r["name_zh"]), str(r["name_en"]), self.lang, sep)

    def continent(self, code: str) -> str:
        return self.ui(f"continent_{code}") if f"continent_{code}" in LABELS else str(code)
