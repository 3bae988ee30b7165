"""Editors' content: ``content/<year>/<chapter>/<section>.<lang>.md`` adds to or replaces the
generated text of one section in one language (``content/2023/README.md``).

:func:`content_problems` checks every file under ``content/<year>/`` before a build: each must be
the file of an existing chapter, section and language (a misspelt name would otherwise be ignored
and the editor's text never appear), UTF-8 (a byte-order mark and CRLF line ends are fine), with a
valid front matter. ``README.md`` files are documentation and are left alone.
"""
from __future__ import annotations

import codecs
from pathlib import Path

import yaml

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
        found, expected = _unreadable(path)
        if found is None:
            try:
                load_editorial(content_dir, year, chapter, section, lang)
            except NarrativeError as e:
                found, expected = _narrative_problem(e), FORMAT
        if found is not None:
            out.append(Problem(rel, None, None, found, expected))
    return out


FORMAT = "UTF-8 Markdown with an optional front matter (--- mode: append|replace ---)"
ENCODING = "UTF-8 text (with or without a byte-order mark; CRLF line ends are fine)"


def _unreadable(path: Path) -> tuple[str | None, str]:
    """Why ``path`` is not UTF-8 text (None when it is)."""
    try:
        data = path.read_bytes()
    except OSError as e:
        return f"a file that cannot be read ({e.strerror})", ENCODING
    for bom, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                      (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if data.startswith(bom):
            return f"a {name} byte-order mark at byte offset 0", ENCODING
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        data[start:].decode("utf-8")
    except UnicodeDecodeError as e:
        at = start + e.start
        return f"a byte that is not UTF-8 (0x{data[at]:02x}) at byte offset {at}", ENCODING
    return None, ENCODING


def _narrative_problem(e: NarrativeError) -> str:
    """The editorial loader's complaint on one line, without the file's path (the problem names it)."""
    cause = e.__cause__
    if isinstance(cause, yaml.YAMLError):
        mark = getattr(cause, "problem_mark", None)
        # the front matter starts on the file's second line
        where = f" at line {mark.line + 2}, column {mark.column + 1}" if mark is not None else ""
        what = getattr(cause, "problem", None) or str(cause).splitlines()[0]
        return f"a front matter that is not YAML{where} ({what})"
    return " ".join(str(e).split(": ", 1)[-1].split())


__all__ = ["content_problems"]
