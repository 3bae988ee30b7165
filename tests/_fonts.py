"""Font helpers shared by the PDF tests (test_pdf, test_profiles, test_report_build)."""
from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path

import pypdf
from fontTools.ttLib import TTCollection, TTFont

#: the house families: every font a PDF embeds must be a subset of one of them
FAMILIES = ("Noto Serif", "Noto Serif CJK SC", "Noto Sans", "Noto Sans CJK SC")


@lru_cache(maxsize=None)
def cmap(family: str) -> frozenset[int]:
    """The code points the installed ``family`` has glyphs for (found with fc-match)."""
    spec = subprocess.run(["fc-match", "-f", "%{file}|%{index}|%{family}", family], capture_output=True, text=True,
                          check=True).stdout
    path, index, families = spec.split("|")
    assert family in families.split(","), f"{family} is not installed (fc-match gave {spec})"
    font = TTCollection(path, lazy=True).fonts[int(index)] if path.endswith(".ttc") else TTFont(path, lazy=True)
    return frozenset(font.getBestCmap())


def pdf_fonts(path: Path) -> dict[str, dict]:
    """``{base font name: font descriptor}`` of every font the PDF's pages use."""
    reader = pypdf.PdfReader(path)
    fonts = {}
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)["/FontDescriptor"]
            fonts[font["/BaseFont"]] = descriptor.get_object()
    return fonts
