"""Benchmark the report build on this machine and print each figure, with the targets.

Works on a scratch copy of the repository (tracked files only), so that a notebook and the
editorial content can be changed without touching the checkout. In one run, on one machine:

1. **cold**: ``report_build.py --year Y`` into an empty output directory (data, every chapter,
   the three PDFs, the city profiles), its process tree's memory watched (proportional set size,
   sampled twice a second: shared pages counted once);
2. **baseline**: the naive way to make the same outputs: each notebook executed one after another
   with plain papermill (each computing the edition itself), then the city profiles and each of
   the three editions rendered one after another with WeasyPrint, nothing cached;
3. **nothing changed**: the same build again;
4. **edit**: one paragraph of English editorial text added to one chapter
   (``content/<year>/02_science/overview.en.md``), then the build; whether the Chinese edition
   was laid out again;
5. **one notebook changed**: a markdown cell appended to one chapter notebook, then the build;
6. the PDFs' sizes.

Targets are ratios within the run, so that a busy machine does not move them: cold <= 0.35 x
baseline; edit <= 0.10 x cold, the Chinese edition not laid out; nothing changed <= 0.02 x cold;
one notebook changed <= 0.15 x cold; peak memory <= 2 GB; each PDF <= 10 MB.

Usage: ``.venv/bin/python benchmarks/build_bench.py [--year 2023] [--keep]``
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
CHAPTER_CHANGED = "03_highland"
EDITED = ("02_science", "overview")
EDIT = "---\nmode: append\n---\nThe benchmark adds this paragraph, as an editor would add a sentence of commentary.\n"
RATIOS = {"cold": ("baseline", 0.35), "edit": ("cold", 0.10), "nothing changed": ("cold", 0.02),
          "one notebook changed": ("cold", 0.15)}
MAX_PDF_MB = 10.0
MAX_PEAK_GB = 2.0

BASELINE = """\
import sys
from pathlib import Path
import papermill as pm
root, out, year = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
sys.path.insert(0, str(root))
from gihi import open_edition
from gihi.pipeline.execute import kernel_name
from gihi.publish.editions import EDITION_LANGS
from gihi.publish.profiles import whole_pdf_name, write_profile_pdfs
from gihi.publish.render import render_edition
from gihi.report.chapters import CHAPTERS
kernel = kernel_name()
(out / "baseline").mkdir(parents=True, exist_ok=True)
for ch in CHAPTERS:
    pm.execute_notebook(str(root / "notebooks" / f"{ch}.ipynb"), str(out / "baseline" / f"{ch}.ipynb"),
                        parameters={"year": year, "output_dir": str(out)}, kernel_name=kernel,
                        cwd=str(root), progress_bar=False)
ed = open_edition(year, root / "data")
whole = write_profile_pdfs(ed, out)[0].parent / whole_pdf_name(year)
for lang in EDITION_LANGS:
    render_edition(ed, lang, out, profiles_pdf=whole if lang == "bi" else None)
"""


def copy_repo(dst: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for f in filter(None, files):
        src = ROOT / f.decode()
        if src.is_file():
            target = dst / f.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    return dst


def _pss(p: psutil.Process) -> int:
    """Proportional set size: resident memory with pages shared between processes (the forked
    render workers share their parent's) divided among them; a plain RSS sum counts them twice."""
    try:
        return p.memory_full_info().pss
    except (AttributeError, psutil.AccessDenied):
        return p.memory_info().rss


def run(cmd: list[str], cwd: Path, env: dict, watch: bool = False) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run ``cmd``; returns (wall seconds, peak PSS in GB of the process tree if ``watch`` else 0, result)."""
    peak = [0]
    t = time.perf_counter()
    proc = psutil.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def sample():
        while proc.poll() is None:
            try:
                tree = [proc] + proc.children(recursive=True)
                peak[0] = max(peak[0], sum(_pss(p) for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.5)

    w = threading.Thread(target=sample, daemon=True)
    if watch:
        w.start()
    out, err = proc.communicate()
    secs = time.perf_counter() - t
    if watch:
        w.join()
    res = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    if res.returncode:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err}")
    return secs, peak[0] / 1e9, res


def build_once(py: str, repo: Path, year: int, env: dict, watch: bool = False) -> tuple[float, float, dict]:
    """One build; returns (seconds, peak GB if watched, the manifest)."""
    secs, peak, _ = run([py, "report_build.py", "--year", str(year)], repo, env, watch=watch)
    manifest = json.loads((repo / "output" / str(year) / "manifest.json").read_text(encoding="utf-8"))
    return secs, peak, manifest


def verdict(name: str, value: float, against: float) -> str:
    ref, ratio = RATIOS[name]
    ok = value <= ratio * against
    return f"{value / against:5.3f} x {ref} (target <= {ratio:.2f}): {'met' if ok else 'MISSED'}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--year", type=int, default=2023)
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    a = ap.parse_args(argv)
    py = sys.executable
    scratch = Path(tempfile.mkdtemp(prefix="gihi-bench-"))
    try:
        repo = copy_repo(scratch / "repo")
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        print(f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 1e9:.1f} GB; python {sys.version.split()[0]}; "
              f"load average {os.getloadavg()[0]:.1f}")

        cold, peak, manifest = build_once(py, repo, a.year, env, watch=True)
        steps = manifest["timings"]["steps"]
        chapters = sum(x["seconds"] for x in steps if x["step"].startswith("chapter "))
        print(f"cold full build:                 {cold:7.1f} s")
        print(f"  of which: data {steps[0]['seconds']:.1f} s; notebooks {chapters:.1f} s of kernel time; renders "
              + ", ".join(f"{x['step'].split()[-1]} {x['seconds']:.1f} s" for x in steps if x["step"].startswith("edition ")))

        base_out = scratch / "baseline-out"
        base, _, _ = run([py, "-c", BASELINE, str(repo), str(base_out), str(a.year)], repo, env)
        print(f"baseline (papermill one by one, then each render): {base:7.1f} s")
        print(f"  cold / baseline: {verdict('cold', cold, base)}")

        same, _, _ = build_once(py, repo, a.year, env)
        print(f"nothing changed:                 {same:7.1f} s   {verdict('nothing changed', same, cold)}")

        chapter, section = EDITED
        edit = repo / "content" / str(a.year) / chapter / f"{section}.en.md"
        edit.parent.mkdir(parents=True, exist_ok=True)
        edit.write_text(EDIT, encoding="utf-8")
        edited, _, manifest = build_once(py, repo, a.year, env)
        eds = manifest["editions"]
        zh = eds.get("zh", {})
        zh_laid = zh.get("parts", {}).get("laid out", 0) if zh.get("status") != "cached" or zh.get("parts") else 0
        print(f"edit (one English paragraph):    {edited:7.1f} s   {verdict('edit', edited, cold)}")
        print("  editions: " + "; ".join(f"{k} {v.get('status')}"
                                         + (f" ({v['parts']['laid out']} of {v['parts']['of']} parts laid out)"
                                            if v.get("parts") and v.get("status") != "cached" else "")
                                         for k, v in eds.items()))
        print(f"  Chinese edition laid out again: {'no (met)' if zh_laid == 0 else f'yes, {zh_laid} parts (MISSED)'}")

        nb = repo / "notebooks" / f"{CHAPTER_CHANGED}.ipynb"
        doc = json.loads(nb.read_text(encoding="utf-8"))
        doc["cells"].append({"cell_type": "markdown", "metadata": {}, "source": ["Benchmark edit."]})
        nb.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        one, _, _ = build_once(py, repo, a.year, env)
        print(f"one notebook changed:            {one:7.1f} s   {verdict('one notebook changed', one, cold)}")

        print(f"peak memory of the cold build:   {peak:7.2f} GB  (target <= {MAX_PEAK_GB:.0f} GB): "
              f"{'met' if peak <= MAX_PEAK_GB else 'MISSED'}")
        for pdf in sorted((repo / "output" / str(a.year)).glob("*.pdf")):
            mb = pdf.stat().st_size / 1e6
            print(f"{pdf.name:32s} {mb:7.2f} MB  (target <= {MAX_PDF_MB:.0f} MB): {'met' if mb <= MAX_PDF_MB else 'MISSED'}")
    finally:
        if a.keep:
            print(f"scratch kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
