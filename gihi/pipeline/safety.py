"""What keeps a build from harming what it does not own (``docs/validation.md``, "The command line"):

* :func:`output_problems` — an output directory that is, contains or lies inside the data
  directory or the repository's own folders, that is a file, or that cannot be written, is refused
  before anything is done;
* :func:`build_lock` — one build at a time per output directory and year (``fcntl``; a lock left
  by a killed build is free again, since the kernel releases it with the process);
* :func:`clear_debris` — what a killed build leaves (temporary and set-aside directories of
  :func:`gihi.core.files.staged` and of the swap) is removed by the next one; nothing else is
  touched;
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
PROTECTED = ("data", "notebooks", "templates", "content", "gihi", "tests", "docs")
#: leftovers of gihi.core.files.staged (".<name>.tmp-xxxx", ".<name>.old-xxxx"), of
#: gihi.pipeline.build.swap_in (".<year>.old") and of atomic writes (".<name>.xxxx.tmp")
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
    guarded = [(Path(os.path.realpath(data_dir)), "the data directory")]
    guarded += [(Path(os.path.realpath(ROOT / p)), f"the repository's {p}/") for p in PROTECTED]
    guarded.append((Path(os.path.realpath(ROOT)), "the repository"))
    problems = []
    for path, what in guarded:
        how = _overlap(out, path)
        if how and not (what == "the repository" and how == "lies inside"):
            problems.append(f"--output-dir {output_dir} {how} {what} ({path}); choose a directory apart from it, "
                            f"such as the repository's output/")
    if problems:
        return problems[:1]
    if out.exists() and not out.is_dir():
        return [f"--output-dir {output_dir} is a file, not a directory"]
    year_dir = out / str(year)
    if year_dir.exists() and not year_dir.is_dir():
        return [f"{year_dir} is a file; the outputs of {year} go in a directory of that name (move the file away)"]
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
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield path
    finally:
        os.close(fd)   # releases the lock


def clear_debris(output_dir: Path, year: int) -> list[Path]:
    """Remove what a killed build left in ``<output_dir>`` for ``year``: temporary and set-aside
    directories and files (names of :data:`DEBRIS`) directly inside ``<output_dir>``,
    ``<output_dir>/<year>`` and ``<output_dir>/.build/<year>`` (and one level below, where the
    data step stages ``data/`` and ``edition/``). Returns what was removed."""
    output_dir = Path(output_dir)
    removed = []
    for base in (output_dir, output_dir / str(year), output_dir / STAGING, output_dir / STAGING / str(year)):
        if not base.is_dir() or base.is_symlink():
            continue
        for p in sorted(base.iterdir()):
            if DEBRIS.match(p.name) and not p.is_symlink():
                if p.is_dir():
                    shutil.rmtree(p, ignore_errors=True)
                else:
                    p.unlink(missing_ok=True)
                removed.append(p)
    return removed


def die_with_parent() -> None:
    """In a worker process: end (SIGTERM) when the process that started it dies (Linux)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):   # pragma: no cover - not Linux
        pass
    if os.getppid() == 1:               # the parent died before prctl took effect
        os._exit(1)


__all__ = ["output_problems", "build_lock", "BuildLocked", "clear_debris", "die_with_parent", "DEBRIS"]
