"""Editors' content: ``content/<year>/<chapter>/<section>.<lang>.md`` adds to or replaces the
generated text of one section in one language (``content/2023/README.md``).

:func:`content_problems` checks every file under ``content/<year>/`` before a build: each must be
the file of an existing chapter, section and language (a misspelt name would otherwise be ignored
and the editor's text never appear), UTF-8 (a byte-order mark and CRLF line ends are fine), with a
valid front matter. ``README.md`` files are documentation and are left alone.
"""
from __future__ import annotations

from pathlib import Path

from gihi.core.errors import Problem
from gihi.report.chapters import CHAPTERS, sections
from gihi.report.narrative import LANGS, NarrativeError, load_editorial

EXPECTED = "content/<year>/<chapter>/<section>.<lang>.md"


def content_problems(content_dir: Path, year: int) -> list[Problem]:
    """Every problem of the editorial files of ``year`` (an empty list: all fine)."""
    base = Path(content_dir) / str(year)
    if not base.is_dir():
        return []
    out = []
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        rel = path.relative_to(Path(content_dir).parent).as_posix()
        if path.name.lower() == "readme.md" or path.name.startswith("."):
            continue
        parts = path.relative_to(base).parts
        if len(parts) != 2:
            out.append(Problem(rel, None, None, "a file outside a chapter folder", f"{EXPECTED} (chapters: {', '.join(CHAPTERS)})"))
            continue
        chapter, name = parts
        if chapter not in CHAPTERS:
            out.append(Problem(rel, None, None, f"the folder {chapter!r}", f"a chapter folder: {', '.join(CHAPTERS)}"))
            continue
        stem, dot, ext = name.rpartition(".")
        section, _, lang = stem.rpartition(".")
        valid = sections(chapter)
        if ext != "md" or not section or lang not in LANGS or section not in valid:
            what = []
            if ext != "md":
                what.append("the extension .md")
            if lang not in LANGS:
                what.append(f"a language zh or en (lower case) before .md")
            if section not in valid:
                what.append(f"a section of {chapter}: {', '.join(valid)}")
            out.append(Problem(rel, None, None, f"the file name {name!r}", f"<section>.<lang>.md with {'; '.join(what)}"))
            continue
        try:
            load_editorial(content_dir, year, chapter, section, lang)
        except NarrativeError as e:
            out.append(Problem(rel, None, None, str(e).split(": ", 1)[-1], "UTF-8 Markdown with an optional front matter "
                               "(--- mode: append|replace ---)"))
    return out


__all__ = ["content_problems"]
