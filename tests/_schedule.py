"""How ``make test-fast`` shares the tests out between its workers (``--dist loadscope``).

Each module is one unit of work, run whole in one worker, so that no module fixture is made twice
(a --data-only run, written downloads, rendered profiles, every chart's inputs); the modules of
the narrative claims, which share the session fixtures of tests/claimcheck.py, are one unit
together. A worker that runs short of work is given the heaviest unit left (longest first, the
rule that keeps two workers finishing together): its weight is its seconds in :data:`SECONDS`,
else a tenth of a second per test.

This is xdist's loadscope scheduling with that grouping and that order (xdist's own order is by
the number of tests, which sends a few slow tests last), installed through xdist's
``pytest_xdist_make_scheduler`` hook (tests/conftest.py). ``make test`` uses ``--dist loadfile``.
"""
from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling

#: units made of several modules
GROUPS = {m: "claims" for m in ("tests/test_claims.py", "tests/test_claims_audit.py", "tests/test_claims_gii.py",
                                 "tests/test_claims_focus.py", "tests/test_claims_report.py")}

#: CPU seconds of the slowest units in make test-fast (2 cores, 2026-12-04); only their order matters
SECONDS = {
    "tests/test_faults.py": 70, "tests/test_chart_geometry.py": 55, "tests/test_downloads.py": 20,
    "tests/test_profiles.py": 14, "tests/test_malformed_inputs.py": 12, "tests/test_charts.py": 11,
    "claims": 10, "tests/test_hostile.py": 8, "tests/test_cli.py": 7, "tests/test_edition.py": 6,
    "tests/test_annual.py": 4, "tests/test_chapters_gii.py": 4, "tests/test_narrative.py": 4,
    "tests/test_audit.py": 4,
}


def unit_of(nodeid: str) -> str:
    """The unit of work a test belongs to: its module, or its modules' group."""
    module = nodeid.split("::", 1)[0]
    return GROUPS.get(module, module)


def heaviest(queue: dict[str, dict]) -> str:
    """The unit of ``queue`` (unit -> its tests) to send next."""
    return max(queue, key=lambda unit: SECONDS.get(unit, 0.1 * len(queue[unit])))


class HeaviestFirst(LoadScopeScheduling):
    """Loadscope scheduling by :func:`unit_of`, the heaviest unit first."""

    def _split_scope(self, nodeid: str) -> str:
        return unit_of(nodeid)

    def _assign_work_unit(self, node) -> None:
        # xdist sends the first unit of its ordered queue: put the heaviest there
        self.workqueue.move_to_end(heaviest(self.workqueue), last=False)
        super()._assign_work_unit(node)
