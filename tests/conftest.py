"""Shared fixtures of the test suite. Each group of fixtures is under its own header; add yours
under a header of your own."""
from __future__ import annotations

import pytest

# ================================================================================================
# the test session
#
# * the garbage collector: as in a build (gihi.core.gcpolicy), once the tests are collected
#   (the imported modules frozen out of the scans; fewer young collections). With Python's
#   defaults the collector took about a fifth of the fault-injection cases' time.
# * ``--dist loadscope`` (make test-fast): a module per unit of work, the heaviest first
#   (tests/_schedule.py).
# ================================================================================================

def pytest_collection_finish(session):
    from gihi.core.gcpolicy import for_batch
    for_batch()


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") == "loadscope":
        from _schedule import HeaviestFirst
        return HeaviestFirst(config, log)
    return None


# ================================================================================================
# model / analysis fixtures
#
# * ``real_edition`` — the 2023 edition of the repository's data/, opened once per session
#   (``open_edition(2023)``); ``real_computed`` — the same object after
#   :func:`gihi.pipeline.data_stage.compute_all` (every result computed once). Tests must not
#   modify either (results are memoised on the edition; the analyses return copies).
# * ``synthetic_root`` / ``synthetic`` — the default synthetic edition of tests/factory.py
#   (make_data(..., focus=True, gii=True): every input a complete edition has), written and
#   opened once per session; ``synthetic_computed`` — after compute_all. Read-only as well.
# * ``ui_strings`` (autouse) — opening an edition makes its UI strings the process's catalogue
#   (gihi.model.strings.activate); the catalogue active before each test is put back after it,
#   so a test that opens an edition with other strings cannot change what later tests see.
# ================================================================================================

YEAR_2023 = 2023


@pytest.fixture(autouse=True)
def ui_strings():
    from gihi.model import strings
    before = strings._ACTIVE
    yield
    strings._ACTIVE = before


@pytest.fixture(scope="session")
def real_edition():
    from gihi import open_edition
    return open_edition(YEAR_2023)


@pytest.fixture(scope="session")
def real_computed(real_edition):
    from gihi.pipeline.data_stage import compute_all
    return compute_all(real_edition)


@pytest.fixture(scope="session")
def synthetic_root(tmp_path_factory):
    from factory import make_data
    return make_data(tmp_path_factory.mktemp("synthetic") / "data", focus=True, gii=True)


@pytest.fixture(scope="session")
def synthetic(synthetic_root):
    from factory import YEAR
    from gihi import open_edition
    return open_edition(YEAR, synthetic_root)


@pytest.fixture(scope="session")
def synthetic_computed(synthetic):
    from gihi.pipeline.data_stage import compute_all
    return compute_all(synthetic)


# ================================================================================================
# narrated numbers (tests/claimcheck.py; issue 18)
#
# * ``truth`` — the independent values of every 2023 narrative number (claimcheck.truth_of)
# * ``marked`` — every 2023 section rendered with its Facts marked (claimcheck.marked_sections)
# * ``city_of_name`` — printed city name (zh or en) -> id
# ================================================================================================

@pytest.fixture(scope="session")
def truth(real_computed):
    from claimcheck import truth_of
    return truth_of(real_computed)


@pytest.fixture(scope="session")
def marked(real_edition):
    from claimcheck import marked_sections
    return marked_sections(real_edition)


@pytest.fixture(scope="session")
def city_of_name(real_edition):
    from claimcheck import names_of
    return names_of(real_edition)
