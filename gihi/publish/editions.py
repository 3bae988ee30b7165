"""What every edition of the report shares: its languages, ``<html lang>``, the fixed data date,
the template context, and the rule that the English edition holds no Chinese text."""
from __future__ import annotations

import re

from gihi.core.paths import ROOT
from gihi.report import i18n
from gihi.report.layout import REPORT_TEMPLATES

PROFILE_TEMPLATES = ROOT / "templates" / "profiles"

#: edition → the languages it shows, in order (Chinese first: the report's original language)
EDITION_LANGS: dict[str, tuple[str, ...]] = {"bi": ("zh", "en"), "zh": ("zh",), "en": ("en",)}
#: edition → the ``lang`` of ``<html>`` (and the PDF's /Lang)
HTML_LANG: dict[str, str] = {"bi": "zh-CN", "zh": "zh-CN", "en": "en"}

#: CJK ideographs and punctuation, full-width forms (what must not be in the en edition)
CJK = re.compile(r"[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def data_date(year: int) -> str:
    """The fixed date written into the PDF metadata (``dcterms.created``): 1 January of the
    report year. Never the time of the build, so that rebuilds are byte-identical."""
    return f"{int(year):04d}-01-01"


def edition_context(year: int, edition: str) -> dict:
    """What every template of an edition is rendered with: ``year``, ``edition``, its ``langs``,
    ``html_lang``, the data ``date``, ``t(key, lang, **fields)`` (a UI string) and
    ``tt(key, **fields)`` (``{lang: text}`` in the edition's languages)."""
    if edition not in EDITION_LANGS:
        raise ValueError(f"unknown edition {edition!r}; expected one of {', '.join(EDITION_LANGS)}")
    langs = EDITION_LANGS[edition]

    def t(key: str, lang: str, **fields) -> str:
        return i18n.t(key, lang, **fields)

    def tt(key: str, **fields) -> dict[str, str]:
        return {lang: t(key, lang, **fields) for lang in langs}

    return {"year": int(year), "edition": edition, "langs": langs, "html_lang": HTML_LANG[edition],
            "date": data_date(year), "t": t, "tt": tt}
