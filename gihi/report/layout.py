"""``templates/report/layout.yaml``: the order of the report's tables and figures — where each goes
(after the narrative of its section), which are optional, and which chapters are appendices (see the
comments in the file). The PDF is laid out in this order, and figures and tables are numbered
from it (:mod:`gihi.report.numbering`)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import yaml

from gihi.core.paths import ROOT

LAYOUT_FILE = "layout.yaml"
REPORT_TEMPLATES = ROOT / "templates" / "report"
ABSENT_ERROR, ABSENT_SKIP = "error", "skip"


class LayoutError(ValueError):
    """``layout.yaml`` is malformed, or the report's items do not fit it."""


@dataclass(frozen=True)
class Placement:
    """One entry of ``layout.yaml``: item ``id`` after the narrative of its section."""

    id: str
    absent: str = ABSENT_ERROR   # "error", "skip" or a UI-string key printed instead
    landscape: bool = False
    stack_languages: bool = False  # bilingual edition: <stem>_zh / <stem>_en columns as one, zh over en


@dataclass(frozen=True)
class ChapterLayout:
    appendix: bool
    sections: dict[str, tuple[Placement, ...]]


_ITEM_OPTIONS = ("absent", "landscape", "stack_languages")


def load_layout(path: Path | None = None) -> dict[str, ChapterLayout]:
    """Read ``templates/report/layout.yaml`` (see the comments there)."""
    path = Path(path or REPORT_TEMPLATES / LAYOUT_FILE)
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: dict[str, ChapterLayout] = {}
    for chapter, spec in raw.items():
        spec = spec or {}
        unknown = set(spec) - {"appendix", "sections"}
        if unknown:
            raise LayoutError(f"{path}: {chapter}: unknown key(s) {sorted(unknown)}; allowed: appendix, sections")
        sections = {}
        for section, items in (spec.get("sections") or {}).items():
            placed = []
            for item in items or []:
                if isinstance(item, str):
                    placed.append(Placement(item))
                elif isinstance(item, Mapping) and "id" in item and set(item) <= {"id", *_ITEM_OPTIONS}:
                    placed.append(Placement(str(item["id"]), str(item.get("absent", ABSENT_ERROR)),
                                            bool(item.get("landscape", False)), bool(item.get("stack_languages", False))))
                else:
                    raise LayoutError(f"{path}: {chapter}.{section}: bad item {item!r}; expected an id or "
                                        f"{{id, {', '.join(o + '?' for o in _ITEM_OPTIONS)}}}")
            sections[str(section)] = tuple(placed)
        out[str(chapter)] = ChapterLayout(bool(spec.get("appendix", False)), sections)
    return out
