"""One embedded program per font in a joined PDF.

An edition is laid out in parts (:mod:`gihi.publish.parts`) and the bilingual one gets the
profiles appended (:mod:`gihi.publish.appendix_pdf`). WeasyPrint subsets every font per
document, so a joined PDF would carry one subset of each font per part: the Noto CJK faces,
about 0.5 MB each, ten times over. WeasyPrint subsets with HarfBuzz *retaining glyph ids*
(CIDToGIDMap /Identity), so a subset holding the union of the glyphs of all parts can stand in
for every part's. :func:`share_fonts` makes that subset from the installed font (found by its
PostScript name through fontconfig), with WeasyPrint's own HarfBuzz subsetting, and points every
part's font descriptor at it.

The glyphs a part uses are the CIDs of its ``/W`` widths (WeasyPrint writes a width for every
glyph it subsets). A font whose source cannot be found, or that is not a retained-gid CID font,
is left as it is: sharing only ever saves space, it never changes what a page shows.
"""
from __future__ import annotations

import io
import shutil
import subprocess
from functools import lru_cache
from types import SimpleNamespace

from pypdf import PdfWriter
from pypdf.generic import NameObject, StreamObject

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


@lru_cache(maxsize=1)
def installed_fonts() -> dict[str, tuple[str, int]]:
    """PostScript name → (file, index in the collection) of the fonts fontconfig knows."""
    if shutil.which("fc-list") is None:
        return {}
    out = subprocess.run(["fc-list", "--format", "%{postscriptname}|%{file}|%{index}\n"],
                         capture_output=True, text=True, check=False).stdout
    fonts = {}
    for line in sorted(out.splitlines()):
        ps, path, index = (line.split("|") + ["", "", ""])[:3]
        if ps and path and index.isdigit():
            fonts.setdefault(ps, (path, int(index)))
    return fonts


def postscript_name(program: bytes) -> str | None:
    from fontTools.ttLib import TTFont
    try:
        return TTFont(io.BytesIO(program), lazy=True)["name"].getDebugName(6)
    except Exception:   # not a font fontTools reads: leave it alone
        return None


def widths_cids(widths) -> set[int]:
    """The CIDs of a ``/W`` array: ``c [w1 w2 …]`` and ``c_first c_last w`` entries."""
    out, i, w = set(), 0, list(widths or [])
    while i < len(w):
        first = int(w[i])
        if i + 1 < len(w) and isinstance(w[i + 1].get_object() if hasattr(w[i + 1], "get_object") else w[i + 1], list):
            out.update(range(first, first + len(w[i + 1])))
            i += 2
        else:
            out.update(range(first, int(w[i + 1]) + 1))
            i += 3
    return out


def subset(path: str, index: int, gids: set[int]) -> bytes | None:
    """``path``'s font ``index`` cut down to ``gids`` as WeasyPrint cuts it (retained glyph ids)."""
    from cffi import FFI
    from weasyprint.pdf.fonts import Font
    from weasyprint.text import ffi as wffi
    if wffi.harfbuzz_subset is None:
        return None
    ffi = FFI()
    ffi.include(wffi.ffi)
    ffi.cdef("hb_blob_t *hb_blob_create_from_file (const char *file_name);"
             "hb_face_t *hb_face_create (hb_blob_t *blob, unsigned int index);"
             "void hb_blob_destroy (hb_blob_t *blob);")
    hb = ffi.dlopen("libharfbuzz.so.0")
    blob = hb.hb_blob_create_from_file(path.encode())
    face = ffi.gc(hb.hb_face_create(blob, index), wffi.harfbuzz.hb_face_destroy)
    hb.hb_blob_destroy(blob)
    # WeasyPrint's own subsetting, on a stand-in for its Font (notdef outline kept)
    font = SimpleNamespace(hb_face=face, missing={0: 0}, family=path, file_content=b"")
    Font._harfbuzz_subset(font, {0, *gids}, False)
    return font.file_content or None


def share_fonts(writer: PdfWriter) -> int:
    """Replace the per-part subsets of each font in ``writer`` by one subset of the union of
    their glyphs; returns how many font programs were replaced."""
    groups: dict[tuple[str, str, bytes], list] = {}
    for page in writer.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            if font.get("/Subtype") != "/Type0":
                continue
            cid = font["/DescendantFonts"][0].get_object()
            if cid.get("/CIDToGIDMap", "/Identity") != "/Identity":
                continue
            desc = cid["/FontDescriptor"].get_object()
            key = next((k for k in FONT_FILES if k in desc), None)
            if key is None:
                continue
            stream = desc[key].get_object()
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            sub = str(stream.get("/Subtype", ""))
            entry = groups.setdefault((name, key, sub.encode()), [])
            if all(d is not desc for d, _, _ in entry):
                entry.append((desc, cid, stream))
    replaced = 0
    for (_, key, _), members in sorted(groups.items()):
        if len({id(s) for _, _, s in members}) < 2:
            continue
        ps = postscript_name(members[0][2].get_data())
        source = installed_fonts().get(ps or "")
        if source is None:
            continue
        gids = set().union(*(widths_cids(cid.get("/W")) for _, cid, _ in members))
        program = subset(*source, gids)
        if program is None or postscript_name(program) != ps:
            continue
        shared = StreamObject()
        shared.set_data(program)
        for k, v in members[0][2].items():
            if k not in ("/Length", "/Filter", "/DecodeParms"):
                shared[NameObject(k)] = v
        shared = shared.flate_encode()
        ref = writer._add_object(shared)
        for desc, _, _ in members:
            desc[NameObject(key)] = ref
        replaced += len(members)
    if replaced:
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    return replaced


__all__ = ["share_fonts", "installed_fonts", "postscript_name", "widths_cids", "subset"]
