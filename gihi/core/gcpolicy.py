"""The garbage collector's settings for a batch process: a build, a test run.

Such a process holds large heaps (every imported library, an edition and its results, figures,
a PDF's layout), and the cyclic collector's full passes scan all of it: with Python's default
thresholds (700, 10, 10) they took a tenth to a fifth of the data stage, the PDF renders and the
validation runs. :func:`for_batch` makes young collections rarer and leaves every object alive at
that moment (the imported modules, which live as long as the process) out of the scans; a
process forked afterwards (the build's edition and profile workers) inherits both, and the
frozen objects' pages stay shared with it (the use ``gc.freeze`` is documented for).

It changes when memory is reclaimed, never what is computed: the outputs are the same bytes.
"""
from __future__ import annotations

import gc

#: (generation 0, 1, 2) thresholds: a young collection after 10,000 net allocations, not 700
THRESHOLDS = (10_000, 50, 50)


def for_batch() -> None:
    """Rarer collections; what is alive now (call it once the libraries are imported) frozen."""
    gc.set_threshold(*THRESHOLDS)
    gc.collect()
    gc.freeze()
