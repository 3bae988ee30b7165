"""What keeps a build from harming what it does not own (``docs/validation.md``, "The command line"):

* :func:`output_problems` — an output directory that is, contains or lies inside the data
  directory or the repository's own folders, that is a file, or that cannot be written, is refused
  before anything is done;
* :func:`build_lock` — one build at a time per output directory and year (``fcntl``; a lock left
  by a killed build is free again, since the kernel releases it with the process);
* :func:`clear_debris` — what a killed build leaves (temporary and set-aside directories of
  :func:`gihi.core.files.staged` and of the swap) is removed by the next one, or, for the last good
  outputs set aside by an interrupted swap, put back; only names the build itself makes, only in
  the directories it owns, and only for its year;
* :func:`die_with_parent` — worker processes end when the build that started them ends, however it
  ends (Linux: ``prctl(PR_SET_PDEATHSIG)``; kernels watch their parent themselves).
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import re
import shutil
import signal
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from gihi.core.paths import ROOT, STAGING

#: the repository's own folders, never an output directory (nor inside one, nor around one)
PROTECTED = ("data", "notebooks", "templates", "content", "gihi", "tests", "docs", "reconstruction", "benchmarks",
             "scripts", ".git")
#: leftovers of gihi.core.files.staged (".<name>.tmp-xxxx", ".<name>.old-xxxx"), of
#: gihi.pipeline.build.swap_in (".<year>.old") and of atomic writes (".<name>.xxxx.tmp"); removed
#: only inside the directories a build owns (<output>/<year>/ and <output>/.build/<year>/)
DEBRIS = re.compile(r"^\..+\.(tmp|old)-[A-Za-z0-9_]+$|^\.\d{4}\.old$|^\..+\.tmp$")


class BuildLocked(RuntimeError):
    """Another build holds the lock of this output directory and year."""

    def __init__(self, path: Path, pid: str):
        self.path, self.pid = path, pid
        super().__init__(f"another build (process {pid or 'unknown'}) is running into this output directory "
                         f"(lock {path}); wait for it, or run with --wait")


def _overlap(a: Path, b: Path) -> str | None:
    if a == b:
        return "is"
    if a.is_relative_to(b):
        return "lies inside"
    if b.is_relative_to(a):
        return "contains"
    return None


def output_problems(output_dir: Path, data_dir: Path, year: int, shown: str | None = None) -> list[str]:
    """Why ``output_dir`` must not be written (an empty list: it may); ``shown``: the path as the
    user gave it, for the message."""
    out = Path(os.path.realpath(output_dir))
    output_dir = shown or output_dir
    guarded = [(Path(os.path.realpath(data_dir)), "the data directory"), (Path(os.path.realpath(ROOT)), "the repository")]
    guarded += [(Path(os.path.realpath(ROOT / p)), f"the repository's {p}/") for p in PROTECTED]
    problems = []
    for path, what in guarded:
        how = _overlap(out, path)
        if how and not (what == "the repository" and how == "lies inside"):   # output/ is in the repository
            problems.append(f"--output-dir {output_dir} {how} {what} ({path}); choose a directory apart from it, "
                            f"such as the repository's output/")
    if problems:
        return problems[:1]
    if out.exists() and not out.is_dir():
        return [f"--output-dir {output_dir} is a file, not a directory"]
    year_dir = out / str(year)
    owned = ((year_dir, f"the outputs of {year}"), (out / STAGING, "the build's working directory"),
             (out / STAGING / str(year), f"the build's working copy of {year}"))
    for sub, what in owned:
        # a link would let the build replace or delete what it points to (the data, say)
        if sub.is_symlink():
            return [f"{sub} is a symbolic link; expected a directory ({what}, which the build replaces as a "
                    f"whole; remove the link)"]
        if sub.exists() and not sub.is_dir():
            return [f"{sub} is a file; {what} go in a directory of that name (move the file away)"
                    if sub == year_dir else f"{sub} is a file; expected a directory ({what}; move the file away)"]
    lock = out / f".{int(year)}.lock"
    if lock.is_symlink() or (lock.exists() and not lock.is_file()):
        return [f"{lock} is not a plain file; expected the build's lock file (remove it)"]
    probe = out
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK):
        return [f"--output-dir {output_dir} cannot be written ({probe} is not a writable directory)"]
    for sub in (year_dir, out / STAGING):
        if sub.exists() and not os.access(sub, os.W_OK | os.X_OK):
            return [f"{sub} cannot be written (check its permissions)"]
    return []


@contextmanager
def build_lock(output_dir: Path, year: int, *, wait: bool = False, poll: float = 0.5) -> Iterator[Path]:
    """Hold ``<output_dir>/.<year>.lock`` for the duration; raises :class:`BuildLocked` naming the
    process that holds it (or, with ``wait``, waits for it)."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    path = output_dir / f".{int(year)}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    held = False
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if not wait:
                    raise BuildLocked(path, os.pread(fd, 32, 0).decode("ascii", "replace").strip()) from None
                time.sleep(poll)
        held = True
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield path
    finally:
        if held:   # the pid goes with the lock: every build, finished or interrupted, leaves the file empty
            os.ftruncate(fd, 0)
        os.close(fd)   # releases the lock


def clear_debris(output_dir: Path, year: int) -> list[Path]:
    """Clear what a killed build of ``year`` left in ``<output_dir>`` (call it holding the lock).

    * ``<output_dir>/.<year>.old`` — the last good outputs, set aside by an interrupted
      :func:`gihi.pipeline.build.swap_in`: put back when ``<output_dir>/<year>`` is missing (the
      swap stopped between its two renames), removed when it is there (it stopped after them);
    * ``<output_dir>/.build/.<year>.tmp-…``, ``.<year>.old…``;
    * temporary and set-aside files and directories (names of :data:`DEBRIS`) anywhere inside
      ``<output_dir>/<year>`` and ``<output_dir>/.build/<year>``, the directories the build owns.

    Nothing else is touched: other years' leftovers belong to their own builds, and files of
    other programs in ``<output_dir>`` are not the build's business. Links are removed, never
    followed. Returns what was removed (or put back)."""
    output_dir = Path(output_dir)
    y = str(int(year))
    removed: list[Path] = []
    live, old = output_dir / y, output_dir / f".{y}.old"
    if old.is_symlink() or old.is_file():
        old.unlink()
        removed.append(old)
    elif old.is_dir():
        if not live.exists() and not live.is_symlink():
            os.replace(old, live)          # the last good outputs, back where they were
        else:
            shutil.rmtree(old, ignore_errors=True)
        removed.append(old)
    stage_root = output_dir / STAGING
    mine = re.compile(rf"^\.{y}\.(tmp|old)(-[A-Za-z0-9_]+)?$")
    if stage_root.is_dir() and not stage_root.is_symlink():
        for p in sorted(stage_root.iterdir()):
            if mine.match(p.name):
                _remove(p)
                removed.append(p)
    for base in (live, stage_root / y):
        if base.is_dir() and not base.is_symlink():
            removed += _sweep(base)
    return removed


def discard_stage(output_dir: Path, year: int) -> None:
    """Remove the working copy ``<output_dir>/.build/<year>`` of an interrupted build (and
    ``.build/`` itself when nothing else is in it)."""
    stage_root = Path(output_dir) / STAGING
    if stage_root.is_dir() and not stage_root.is_symlink():
        _remove(stage_root / str(int(year)))
        try:
            stage_root.rmdir()
        except OSError:
            pass


def _remove(p: Path) -> None:
    if p.is_dir() and not p.is_symlink():
        shutil.rmtree(p, ignore_errors=True)
    else:
        p.unlink(missing_ok=True)


def _sweep(base: Path) -> list[Path]:
    """Remove every entry named like :data:`DEBRIS` under ``base`` (links are not followed)."""
    removed = []
    for here, dirs, files in os.walk(base, followlinks=False):
        for name in [*dirs, *files]:
            if DEBRIS.match(name):
                p = Path(here) / name
                _remove(p)
                removed.append(p)
        dirs[:] = [d for d in dirs if not DEBRIS.match(d)]
    return sorted(removed)


def die_with_parent() -> None:
    """In a worker process: end (SIGTERM) when the process that started it dies (Linux)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):   # pragma: no cover - not Linux
        pass
    if os.getppid() == 1:               # the parent died before prctl took effect
        os._exit(1)


__all__ = ["output_problems", "build_lock", "BuildLocked", "clear_debris", "discard_stage", "die_with_parent",
           "DEBRIS"]
