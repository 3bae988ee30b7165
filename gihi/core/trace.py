"""Counting what a build does, for the tests that check it: each input file is parsed once and
each expensive result is computed once per build, in whatever process it happens.

Set ``GIHI_TRACE`` to a file path and every :func:`event` appends one line ``kind<TAB>name<TAB>pid``
to it (an ``O_APPEND`` write of one short line: lines from parallel processes do not mix). Child
processes (chapter kernels, render workers) inherit the variable. Unset, :func:`event` does
nothing.
"""
from __future__ import annotations

import os

ENV = "GIHI_TRACE"
PARSE = "parse"        # an input file read and parsed (gihi.model)
COMPUTE = "compute"    # a result computed (gihi.model.edition.Edition.result)


def event(kind: str, name: str) -> None:
    """Record one event when ``GIHI_TRACE`` is set."""
    path = os.environ.get(ENV)
    if not path:
        return
    line = f"{kind}\t{name}\t{os.getpid()}\n".encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def read(path: str | os.PathLike) -> list[tuple[str, str, int]]:
    """The events recorded in ``path``: ``(kind, name, pid)``."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            kind, name, pid = line.rstrip("\n").split("\t")
            out.append((kind, name, int(pid)))
    return out
