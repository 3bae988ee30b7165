"""Benchmark the report build on this machine and print each figure.

Works on a scratch copy of the repository (tracked files only), so that a notebook can be
changed without touching the checkout:

1. **cold**: ``report_build.py --year 2023`` into an empty output directory (every chapter and
   the three PDFs);
2. **baseline**, side by side in the same run: the same notebooks one after another with plain
   papermill, then one WeasyPrint render of the bilingual edition;
3. **no change**: the same build again (nothing to execute or render);
4. **one notebook changed**: a markdown cell appended to one chapter notebook, then the build;
5. PDF sizes;
6. **memory**: the cold build once more, into an empty output directory, watched: the peak of
   its proportional set size summed over the process tree (shared pages counted once).

Runs 1–4 are timed unwatched: sampling the memory of every process of the tree ten times a
second took about 7 s of the cold build's two busy cores (77.8 s unwatched, 84.5 s watched).

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
TARGETS = {"cold": 45.0, "no change": 3.0, "one notebook changed": 15.0}
MAX_PDF_MB = 10.0
MAX_PEAK_GB = 2.0

BASELINE = """\
import sys, time
from pathlib import Path
import papermill as pm
root, out, year = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
sys.path.insert(0, str(root))
from gihi.report.chapters import CHAPTERS
from gihi.pipeline.execute import kernel_name
kernel = kernel_name()
(out / "baseline").mkdir(parents=True, exist_ok=True)
for ch in CHAPTERS:
    pm.execute_notebook(str(root / "notebooks" / f"{ch}.ipynb"), str(out / "baseline" / f"{ch}.ipynb"),
                        parameters={"year": year, "output_dir": str(out)}, kernel_name=kernel,
                        cwd=str(root / "notebooks"), progress_bar=False)
from gihi.publish.render import render_edition
render_edition(year, "bi", out, root / "data")
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
            time.sleep(0.1)

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
        build = [py, "report_build.py", "--year", str(a.year)]
        print(f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 1e9:.1f} GB; python {sys.version.split()[0]}")

        secs, _, res = run(build, repo, env)
        print(f"cold full build (all chapters, 3 PDFs):    {secs:6.1f} s   (target <= {TARGETS['cold']:.0f} s)")
        manifest = json.loads((repo / "output" / str(a.year) / "manifest.json").read_text(encoding="utf-8"))
        steps = manifest["timings"]["steps"]
        chapters = sum(x["seconds"] for x in steps if x["step"].startswith("chapter "))
        print(f"  of which: data {steps[0]['seconds']:.1f} s; {sum(1 for x in steps if x['step'].startswith('chapter '))} "
              f"notebooks {chapters:.1f} s of kernel time; renders "
              + ", ".join(f"{x['step'].split()[-1]} {x['seconds']:.1f} s" for x in steps if x["step"].startswith("edition ")))

        base_out = scratch / "baseline-out"
        bsecs, _, _ = run([py, "-c", BASELINE, str(repo), str(base_out), str(a.year)], repo, env)
        print(f"baseline (sequential papermill + 1 render): {bsecs:6.1f} s")
        print(f"speed-up of the cold build over baseline:   {bsecs / secs:6.2f}x (target >= 2x)")

        secs, _, res = run(build, repo, env)
        print(f"rebuild, nothing changed:                   {secs:6.1f} s   (target <= {TARGETS['no change']:.0f} s)")

        nb = repo / "notebooks" / f"{CHAPTER_CHANGED}.ipynb"
        doc = json.loads(nb.read_text(encoding="utf-8"))
        doc["cells"].append({"cell_type": "markdown", "metadata": {}, "source": ["Benchmark edit."]})
        nb.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        secs, _, res = run(build, repo, env)
        print(f"rebuild, one notebook changed:              {secs:6.1f} s   (target <= {TARGETS['one notebook changed']:.0f} s)")

        for pdf in sorted((repo / "output" / str(a.year)).glob("*.pdf")):
            mb = pdf.stat().st_size / 1e6
            print(f"{pdf.name:34s}        {mb:6.2f} MB   (target <= {MAX_PDF_MB:.0f} MB)")
        shutil.rmtree(repo / "output")
        wsecs, peak, _ = run(build, repo, env, watch=True)
        print(f"peak memory, cold build (watched: {wsecs:.1f} s): {peak:6.2f} GB   (target <= {MAX_PEAK_GB:.0f} GB)")
    finally:
        if a.keep:
            print(f"scratch kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
