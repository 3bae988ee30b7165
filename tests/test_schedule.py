"""The fast target's work units and their order (tests/_schedule.py)."""
from pathlib import Path

from _schedule import GROUPS, SECONDS, heaviest, unit_of

ROOT = Path(__file__).resolve().parents[1]


def test_every_named_module_exists():
    named = set(GROUPS) | {u for u in SECONDS if u.endswith(".py")}
    assert sorted(m for m in named if not (ROOT / m).is_file()) == []


def test_units():
    assert unit_of("tests/test_faults.py::test_fault[values-infinite]") == "tests/test_faults.py"
    assert unit_of("tests/test_claims_gii.py::test_x[a::b]") == unit_of("tests/test_claims.py::test_y") == "claims"


def test_the_heaviest_unit_goes_first():
    queue = {"tests/test_index.py": {f"tests/test_index.py::t{i}": False for i in range(30)},   # 3 s
             "tests/test_tiny.py": {"tests/test_tiny.py::t": False},                            # 0.1 s
             "tests/test_faults.py": {"tests/test_faults.py::t": False}}                        # SECONDS
    order = []
    while queue:
        order.append(heaviest(queue))
        del queue[order[-1]]
    assert order == ["tests/test_faults.py", "tests/test_index.py", "tests/test_tiny.py"]
