"""The chapter bundle: what a chapter notebook produces, in one documented format.

A bundle is a directory ``<output>/<year>/chapters/<chapter>/``::

    bundle.json          # schema below
    tables/<id>.csv      # every table, columns = the table's column keys, UTF-8, "\\n" line ends
    figures/<id>.svg     # every figure (vector, the report asset)
    figures/<id>.png     # and its PNG preview
    figures/<id>.print-<edition>.svg   # for the PDF: text as text, one per edition (bi/zh/en)

``bundle.json`` (see ``docs/bundle.md`` and :data:`SCHEMA`)::

    {"schema_version": "1.0", "chapter": "01_overview", "year": 2023,
     "title": {"zh": ..., "en": ...},
     "sections": [{"id", "title": {zh, en}, "narrative": {"zh": html, "en": html},
                   "editorial": {"zh": null|"append"|"replace", "en": ...}}],
     "tables": [{"id", "caption": {zh, en}, "columns": [{"key", "zh", "en", "format"?, "lang"?}],
                 "rows": [{key: value}], "source": "tables/<id>.csv", "note"?: {zh, en}}],
     "figures": [{"id", "caption": {zh, en}, "svg": "figures/<id>.svg", "png": "figures/<id>.png",
                  "lang": "zh"|"en"|"bi", "note"?: {zh, en},
                  "print"?: {"bi"?|"zh"?|"en"?: "figures/<id>.print-<edition>.svg"}}],
     "provenance": {"reconstruction": bool, "note": {zh, en},
                    "scopes": [{"id", "label": {zh, en}, "source", "expected", "published",
                                "derived", "imputed", "missing"}]}}

:func:`write_bundle` writes a :class:`Bundle` atomically (a staged directory swapped in), with
deterministic JSON (key order fixed, floats rounded to :data:`DECIMALS`), so identical inputs
give byte-identical bundles. :func:`read_bundle` reads one back. :func:`validate_bundle` checks
the JSON schema (:data:`SCHEMA`, Draft 2020-12; validated by :func:`schema_errors`) and what a
schema cannot say (unique ids, every text in both languages, rows
matching the columns, files present, CSV headers, provenance sums) and raises
:class:`BundleError` listing every problem with its location, e.g.
``tables[table02].columns[A_rank]: missing en translation``.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import re

import pandas as pd

from gihi.core.files import plain_value, staged
from gihi.report.i18n import LANGS

#: the PDF editions a figure can have a print version for (see gihi.publish.assemble.EDITIONS)
PRINT_EDITIONS = ("bi", "zh", "en")

SCHEMA_VERSION = "1.0"
BUNDLE_FILE = "bundle.json"
TABLES_DIR = "tables"
FIGURES_DIR = "figures"
DECIMALS = 4
FORMATS = ("text", "int", "rank", "score", "num", "pct", "change", "bool")
EDITORIAL_MODES = (None, "append", "replace")
PROVENANCE_KINDS = ("published", "derived", "imputed", "missing")


def bundle_dir(output_dir: Path | str, year: int, chapter: str) -> Path:
    """``<output_dir>/<year>/chapters/<chapter>``."""
    return Path(output_dir) / str(year) / "chapters" / chapter


# --------------------------------------------------------------------------- JSON schema

_BI = {"type": "object", "required": list(LANGS), "properties": {k: {"type": "string", "minLength": 1} for k in LANGS},
       "additionalProperties": False}
_ID = {"type": "string", "pattern": r"^[a-z0-9][a-z0-9_\-]*$"}

SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "GIHI chapter bundle",
    "type": "object",
    "required": ["schema_version", "chapter", "year", "title", "sections", "tables", "figures", "provenance"],
    "additionalProperties": False,
    "properties": {
        "schema_version": {"const": SCHEMA_VERSION},
        "chapter": _ID,
        "year": {"type": "integer", "minimum": 2000, "maximum": 2100},
        "title": _BI,
        "sections": {"type": "array", "items": {
            "type": "object", "required": ["id", "title", "narrative"], "additionalProperties": False,
            "properties": {
                "id": _ID, "title": _BI, "narrative": _BI,
                "editorial": {"type": "object", "additionalProperties": False,
                              "properties": {k: {"enum": list(EDITORIAL_MODES)} for k in LANGS}},
            }}},
        "tables": {"type": "array", "items": {
            "type": "object", "required": ["id", "caption", "columns", "rows", "source"], "additionalProperties": False,
            "properties": {
                "id": _ID, "caption": _BI, "note": _BI,
                "source": {"type": "string", "minLength": 1},
                "columns": {"type": "array", "minItems": 1, "items": {
                    "type": "object", "required": ["key", *LANGS], "additionalProperties": False,
                    "properties": {"key": {"type": "string", "pattern": r"^[A-Za-z0-9_]+$"},
                                   **{k: {"type": "string", "minLength": 1} for k in LANGS},
                                   "format": {"enum": list(FORMATS)}, "lang": {"enum": list(LANGS)}}}},
                "rows": {"type": "array", "items": {"type": "object", "additionalProperties": {
                    "type": ["string", "number", "integer", "boolean", "null"]}}},
            }}},
        "figures": {"type": "array", "items": {
            "type": "object", "required": ["id", "caption", "svg", "png", "lang"], "additionalProperties": False,
            "properties": {"id": _ID, "caption": _BI, "note": _BI,
                           "svg": {"type": "string", "pattern": r"\.svg$"}, "png": {"type": "string", "pattern": r"\.png$"},
                           "lang": {"enum": [*LANGS, "bi"]},
                           "print": {"type": "object", "minProperties": 1, "additionalProperties": False,
                                     "properties": {k: {"type": "string", "pattern": r"\.svg$"} for k in PRINT_EDITIONS}}}}},
        "provenance": {
            "type": "object", "required": ["reconstruction", "note", "scopes"], "additionalProperties": False,
            "properties": {
                "reconstruction": {"type": "boolean"}, "note": _BI,
                "scopes": {"type": "array", "minItems": 1, "items": {
                    "type": "object", "required": ["id", "label", "source", "expected", *PROVENANCE_KINDS],
                    "additionalProperties": False,
                    "properties": {"id": _ID, "label": _BI, "source": {"type": "string"},
                                   "expected": {"type": "integer", "minimum": 0},
                                   **{k: {"type": "integer", "minimum": 0} for k in PROVENANCE_KINDS}}}},
            }},
    },
}


# --------------------------------------------------------------------------- data classes

def _bi(x: Mapping[str, str] | None) -> dict | None:
    return None if x is None else {k: x[k] for k in LANGS if k in x} | {k: v for k, v in x.items() if k not in LANGS}


def _clean(v: Any) -> Any:
    """A JSON-ready scalar (:func:`gihi.core.files.plain_value`), floats rounded to :data:`DECIMALS`."""
    v = plain_value(v)
    return round(v, DECIMALS) + 0.0 if isinstance(v, float) else v  # + 0.0: no -0.0


@dataclass
class Column:
    """A table column: ``key`` (CSV header and row key), headers in both languages, an optional
    display ``format`` (one of :data:`FORMATS`) and ``lang`` (shown only in that language, e.g.
    ``name_zh``)."""

    key: str
    zh: str
    en: str
    format: str | None = None
    lang: str | None = None

    def to_dict(self) -> dict:
        d = {"key": self.key, "zh": self.zh, "en": self.en}
        if self.format:
            d["format"] = self.format
        if self.lang:
            d["lang"] = self.lang
        return d


@dataclass
class Table:
    id: str
    caption: dict
    columns: list[Column]
    rows: list[dict]
    source: str | None = None
    note: dict | None = None

    @classmethod
    def from_frame(cls, id: str, caption: Mapping[str, str], frame: pd.DataFrame, columns: list[Column],
                   note: Mapping[str, str] | None = None) -> "Table":
        keys = [c.key for c in columns]
        missing = [k for k in keys if k not in frame.columns]
        if missing:
            raise KeyError(f"table {id}: frame has no column(s) {missing}")
        rows = [{k: _clean(v) for k, v in zip(keys, rec)} for rec in frame[keys].itertuples(index=False, name=None)]
        return cls(id=id, caption=dict(caption), columns=list(columns), rows=rows, note=dict(note) if note else None)

    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame; integer formats (int, rank, change) as nullable ``Int64``."""
        data = {}
        for c in self.columns:
            values = [r.get(c.key) for r in self.rows]
            data[c.key] = pd.array(values, dtype="Int64") if c.format in ("int", "rank", "change") else values
        return pd.DataFrame(data, columns=[c.key for c in self.columns])

    def to_dict(self) -> dict:
        d = {"id": self.id, "caption": _bi(self.caption), "columns": [c.to_dict() for c in self.columns],
             "rows": [{k: _clean(r.get(k)) for k in [c.key for c in self.columns]} for r in self.rows],
             "source": self.source or f"{TABLES_DIR}/{self.id}.csv"}
        if self.note:
            d["note"] = _bi(self.note)
        return d


@dataclass
class Figure:
    """A figure: ``svg``/``png`` are file paths (absolute while building, relative to the bundle
    directory once written)."""

    id: str
    caption: dict
    svg: str | Path
    png: str | Path
    lang: str = "bi"
    note: dict | None = None
    #: edition (``bi``/``zh``/``en``) → SVG with its text as text, for the PDF of that edition
    print: dict | None = None

    def to_dict(self) -> dict:
        d = {"id": self.id, "caption": _bi(self.caption), "svg": str(self.svg), "png": str(self.png), "lang": self.lang}
        if self.note:
            d["note"] = _bi(self.note)
        if self.print:
            d["print"] = {k: str(self.print[k]) for k in PRINT_EDITIONS if k in self.print}
        return d


@dataclass
class Section:
    id: str
    title: dict
    narrative: dict
    editorial: dict | None = None

    def to_dict(self) -> dict:
        d = {"id": self.id, "title": _bi(self.title), "narrative": _bi(self.narrative)}
        if self.editorial is not None:
            d["editorial"] = {k: self.editorial.get(k) for k in LANGS}
        return d


@dataclass
class Bundle:
    chapter: str
    year: int
    title: dict
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    provenance: dict = field(default_factory=dict)
    schema_version: str = SCHEMA_VERSION
    directory: Path | None = None  # where it was written / read from (not serialised)

    def section(self, id: str) -> Section:
        return _find(self.sections, id, "section", self.chapter)

    def table(self, id: str) -> Table:
        return _find(self.tables, id, "table", self.chapter)

    def figure(self, id: str) -> Figure:
        return _find(self.figures, id, "figure", self.chapter)

    def has_table(self, id: str) -> bool:
        return any(t.id == id for t in self.tables)

    def path(self, relative: str | Path) -> Path:
        """A file of the bundle as an absolute path (figures, tables)."""
        p = Path(relative)
        if p.is_absolute() or self.directory is None:
            return p
        return self.directory / p

    def to_dict(self) -> dict:
        return {
            "schema_version": self.schema_version,
            "chapter": self.chapter,
            "year": int(self.year),
            "title": _bi(self.title),
            "sections": [s.to_dict() for s in self.sections],
            "tables": [t.to_dict() for t in self.tables],
            "figures": [f.to_dict() for f in self.figures],
            "provenance": self.provenance,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], directory: Path | None = None) -> "Bundle":
        return cls(
            chapter=d["chapter"], year=d["year"], title=dict(d["title"]), schema_version=d["schema_version"],
            sections=[Section(s["id"], dict(s["title"]), dict(s["narrative"]), s.get("editorial")) for s in d["sections"]],
            tables=[Table(t["id"], dict(t["caption"]), [Column(**c) for c in t["columns"]], list(t["rows"]), t["source"],
                          t.get("note")) for t in d["tables"]],
            figures=[Figure(f["id"], dict(f["caption"]), f["svg"], f["png"], f["lang"], f.get("note"), f.get("print"))
                     for f in d["figures"]],
            provenance=dict(d["provenance"]), directory=directory,
        )


def _find(items, id, what, chapter):
    for x in items:
        if x.id == id:
            return x
    raise KeyError(f"chapter {chapter} has no {what} {id!r}; it has {[x.id for x in items]}")


# --------------------------------------------------------------------------- errors and validation

class BundleError(ValueError):
    """An invalid bundle; ``problems`` lists ``"<location>: <message>"`` strings."""

    def __init__(self, problems: Iterable[str], where: str = "bundle"):
        self.problems = list(problems)
        self.where = where
        super().__init__(f"{where}: {len(self.problems)} problem(s)\n" + "\n".join(f"  {p}" for p in self.problems))


def _loc(d: Mapping, path: Iterable) -> str:
    """Human location of a JSON path, naming items by their id/key: ``tables[table02].columns[rank].en``."""
    out, node = "", d
    for part in path:
        if isinstance(part, int):
            name = part
            if isinstance(node, list) and 0 <= part < len(node) and isinstance(node[part], Mapping):
                item = node[part]
                name = item.get("id", item.get("key", part))
            out += f"[{name}]"
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
        else:
            out += ("." if out else "") + str(part)
            node = node.get(part) if isinstance(node, Mapping) else None
    return out or "(root)"


_TYPES = {
    "object": lambda v: isinstance(v, Mapping),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def schema_errors(instance: Any, schema: Mapping, path: tuple = ()) -> list[tuple[tuple, str, Any, str]]:
    """Validate ``instance`` against the subset of JSON Schema that :data:`SCHEMA` uses (type,
    const, enum, required, properties, additionalProperties, items, minItems, minLength, pattern,
    minimum, maximum). Returns ``(path, keyword, keyword value, message)`` tuples.

    A small built-in validator keeps ``import gihi.report.bundle`` cheap (the ``jsonschema`` package
    pulls in grammar compilers at import); ``tests/test_bundle.py`` checks that it agrees with
    ``jsonschema.Draft202012Validator`` on valid and broken bundles.
    """
    errs: list[tuple[tuple, str, Any, str]] = []
    if "const" in schema and instance != schema["const"]:
        errs.append((path, "const", schema["const"], f"{instance!r} is not {schema['const']!r}"))
    if "enum" in schema and instance not in schema["enum"]:
        errs.append((path, "enum", schema["enum"], f"{instance!r} is not one of {schema['enum']!r}"))
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_TYPES[t](instance) for t in types):
            errs.append((path, "type", schema["type"], f"{instance!r} is not of type {', '.join(map(repr, types))}"))
            return errs
    if isinstance(instance, str):
        if "minLength" in schema and len(instance) < schema["minLength"]:
            errs.append((path, "minLength", schema["minLength"], f"{instance!r} is too short"))
        if "pattern" in schema and not re.search(schema["pattern"], instance):
            errs.append((path, "pattern", schema["pattern"], f"{instance!r} does not match {schema['pattern']!r}"))
    if _TYPES["number"](instance):
        if "minimum" in schema and instance < schema["minimum"]:
            errs.append((path, "minimum", schema["minimum"], f"{instance!r} is less than the minimum of {schema['minimum']}"))
        if "maximum" in schema and instance > schema["maximum"]:
            errs.append((path, "maximum", schema["maximum"], f"{instance!r} is greater than the maximum of {schema['maximum']}"))
    if isinstance(instance, Mapping):
        for k in schema.get("required", []):
            if k not in instance:
                errs.append((path, "required", k, f"{k!r} is a required property"))
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for k, v in instance.items():
            if k in props:
                errs += schema_errors(v, props[k], path + (k,))
            elif extra is False:
                errs.append((path, "additionalProperties", k, f"additional property {k!r} is not allowed"))
            elif isinstance(extra, Mapping):
                errs += schema_errors(v, extra, path + (k,))
    if isinstance(instance, list):
        if "minItems" in schema and len(instance) < schema["minItems"]:
            errs.append((path, "minItems", schema["minItems"], f"expected at least {schema['minItems']} item(s)"))
        if "items" in schema:
            for i, v in enumerate(instance):
                errs += schema_errors(v, schema["items"], path + (i,))
    return errs


def _schema_problems(d: Mapping) -> list[str]:
    problems = []
    for path, keyword, value, message in schema_errors(d, SCHEMA):
        where = _loc(d, path)
        if keyword == "required" and value in LANGS:
            problems.append(f"{where}: missing {value} translation")
        elif keyword == "required":
            problems.append(f"{where}: missing required key {value!r}")
        elif keyword == "minLength" and path and path[-1] in LANGS:
            problems.append(f"{_loc(d, path[:-1])}: missing {path[-1]} translation (empty text)")
        else:
            problems.append(f"{where}: {message}")
    return problems


def _hand_problems(d: Mapping, directory: Path | None) -> list[str]:
    problems: list[str] = []
    for kind in ("sections", "tables", "figures"):
        seen = set()
        for item in d.get(kind, []) or []:
            i = item.get("id") if isinstance(item, Mapping) else None
            if i in seen:
                problems.append(f"{kind}[{i}]: duplicated id")
            seen.add(i)
    for t in d.get("tables", []) or []:
        if not isinstance(t, Mapping):
            continue
        tid = t.get("id")
        cols = [c.get("key") for c in t.get("columns", []) if isinstance(c, Mapping)]
        if len(set(cols)) != len(cols):
            dup = sorted({k for k in cols if cols.count(k) > 1})
            problems.append(f"tables[{tid}].columns: duplicated key(s) {dup}")
        for n, row in enumerate(t.get("rows", []) or []):
            if isinstance(row, Mapping) and list(row) != cols:
                extra, absent = sorted(set(row) - set(cols)), [k for k in cols if k not in row]
                what = []
                if extra:
                    what.append(f"unknown key(s) {extra}")
                if absent:
                    what.append(f"missing key(s) {absent}")
                if not what:
                    what.append("keys not in column order")
                problems.append(f"tables[{tid}].rows[{n}]: " + "; ".join(what))
        if directory is not None and t.get("source"):
            src = directory / t["source"]
            if not src.is_file():
                problems.append(f"tables[{tid}].source: file {t['source']} not found in {directory}")
            else:
                with src.open(encoding="utf-8", newline="") as f:
                    header = next(csv.reader(f), [])
                    n_rows = sum(1 for _ in csv.reader(f))
                if header != cols:
                    problems.append(f"tables[{tid}].source: CSV header {header} differs from the column keys {cols}")
                if n_rows != len(t.get("rows", []) or []):
                    problems.append(f"tables[{tid}].source: CSV has {n_rows} rows, bundle.json {len(t.get('rows', []))}")
    for fg in d.get("figures", []) or []:
        if not isinstance(fg, Mapping) or directory is None:
            continue
        for ext in ("svg", "png"):
            rel = fg.get(ext)
            if rel and not (directory / rel).is_file():
                problems.append(f"figures[{fg.get('id')}].{ext}: file {rel} not found in {directory}")
        for edition, rel in (fg.get("print") or {}).items():
            if isinstance(rel, str) and not (directory / rel).is_file():
                problems.append(f"figures[{fg.get('id')}].print.{edition}: file {rel} not found in {directory}")
    prov = d.get("provenance")
    if isinstance(prov, Mapping):
        for s in prov.get("scopes", []) or []:
            if not isinstance(s, Mapping):
                continue
            try:
                total = sum(int(s[k]) for k in PROVENANCE_KINDS)
                if total != int(s["expected"]):
                    problems.append(f"provenance.scopes[{s.get('id')}]: published + derived + imputed + missing = "
                                    f"{total}, expected {s['expected']}")
            except (KeyError, TypeError, ValueError):
                pass  # reported by the schema
    return problems


def validate_bundle(bundle: "Bundle | Mapping | Path | str") -> dict:
    """Validate a bundle (a :class:`Bundle`, its dict, a bundle directory or its ``bundle.json``).

    Returns the bundle dict; raises :class:`BundleError` listing every located problem. Files
    (tables, figures) are checked only when a directory is known.
    """
    directory: Path | None = None
    where = "bundle"
    if isinstance(bundle, (str, Path)):
        p = Path(bundle)
        directory = p if p.is_dir() else p.parent
        jp = directory / BUNDLE_FILE
        where = str(jp)
        if not jp.is_file():
            raise BundleError([f"{BUNDLE_FILE}: no such file in {directory}"], where)
        try:
            d = json.loads(jp.read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise BundleError([f"line {e.lineno}, column {e.colno}: invalid JSON: {e.msg}"], where) from e
    elif isinstance(bundle, Bundle):
        directory = bundle.directory
        d = bundle.to_dict()
        where = f"bundle {bundle.chapter}"
    else:
        d = dict(bundle)
        where = f"bundle {d.get('chapter', '?')}"
    problems = _schema_problems(d) + _hand_problems(d, directory)
    if problems:
        raise BundleError(problems, where)
    return d


# --------------------------------------------------------------------------- write / read

def _csv_text(table: Table) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    keys = [c.key for c in table.columns]
    w.writerow(keys)
    for r in table.rows:
        row = []
        for k in keys:
            v = _clean(r.get(k))
            row.append("" if v is None else ("true" if v is True else "false" if v is False else v))
        w.writerow(row)
    return buf.getvalue()


def dumps(d: Mapping) -> str:
    """Deterministic JSON text of a bundle dict (UTF-8, indent 1, trailing newline)."""
    return json.dumps(d, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def write_bundle(bundle: Bundle, directory: Path | str) -> Path:
    """Validate ``bundle`` and write it to ``directory`` (replaced as a whole); returns the
    ``bundle.json`` path. Figure files are copied into ``figures/`` and tables written to
    ``tables/``; paths in the JSON are relative to ``directory``."""
    directory = Path(directory)
    with staged(directory) as tmp:
        (tmp / TABLES_DIR).mkdir()
        (tmp / FIGURES_DIR).mkdir()
        figures = []
        for fg in bundle.figures:
            rel = {}
            for ext in ("svg", "png"):
                src = bundle.path(getattr(fg, ext))
                if not src.is_file():
                    raise BundleError([f"figures[{fg.id}].{ext}: file {src} not found"], f"bundle {bundle.chapter}")
                name = f"{FIGURES_DIR}/{fg.id}.{ext}"
                shutil.copyfile(src, tmp / name)
                rel[ext] = name
            prints = {}
            for edition, path in (fg.print or {}).items():
                src = bundle.path(path)
                if not src.is_file():
                    raise BundleError([f"figures[{fg.id}].print.{edition}: file {src} not found"], f"bundle {bundle.chapter}")
                prints[edition] = f"{FIGURES_DIR}/{fg.id}.print-{edition}.svg"
                shutil.copyfile(src, tmp / prints[edition])
            figures.append(Figure(fg.id, fg.caption, rel["svg"], rel["png"], fg.lang, fg.note, prints or None))
        tables = []
        for t in bundle.tables:
            src = f"{TABLES_DIR}/{t.id}.csv"
            (tmp / src).write_text(_csv_text(t), encoding="utf-8", newline="")
            tables.append(Table(t.id, t.caption, t.columns, t.rows, src, t.note))
        out = Bundle(bundle.chapter, bundle.year, bundle.title, bundle.sections, tables, figures, bundle.provenance,
                     bundle.schema_version, directory=tmp)
        d = validate_bundle(out)
        (tmp / BUNDLE_FILE).write_text(dumps(d), encoding="utf-8", newline="")
        validate_bundle(tmp)
    bundle.directory = directory
    bundle.tables, bundle.figures = tables, figures
    return directory / BUNDLE_FILE


def read_bundle(directory: Path | str, validate: bool = True) -> Bundle:
    """Read (and by default validate) the bundle in ``directory``."""
    directory = Path(directory)
    if directory.name == BUNDLE_FILE:
        directory = directory.parent
    d = validate_bundle(directory) if validate else json.loads((directory / BUNDLE_FILE).read_text(encoding="utf-8"))
    return Bundle.from_dict(d, directory=directory)
