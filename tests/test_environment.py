"""pyproject.toml, environment.yml and requirements.lock must agree on pins."""

from pathlib import Path

import pytest

from _envcheck import (
    conda_pins,
    lock_pins,
    normalise_name,
    pin_mismatches,
    pyproject_pins,
    unpinned_specs,
)

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
ENVIRONMENT = ROOT / "environment.yml"
LOCK = ROOT / "requirements.lock"


# --- the real files ---------------------------------------------------------

def test_pyproject_specs_all_exact_pins():
    assert unpinned_specs(PYPROJECT) == []


def test_pyproject_has_main_and_test_pins():
    pins = pyproject_pins(PYPROJECT)
    assert {"weasyprint", "pandas", "jinja2", "pyyaml"} <= pins.keys()
    assert {"pytest", "pytest-xdist", "psutil", "pypdfium2"} <= pins.keys()
    assert pins.keys() - pyproject_pins(PYPROJECT, extras=()).keys() == {"pytest", "pytest-xdist", "psutil", "pypdfium2"}


def test_environment_yml_matches_pyproject():
    problems = pin_mismatches(
        pyproject_pins(PYPROJECT), conda_pins(ENVIRONMENT),
        labels=("pyproject.toml", "environment.yml"),
    )
    assert not problems, "\n".join(problems)


def test_environment_yml_is_python_311():
    assert conda_pins(ENVIRONMENT, include_tooling=True)["python"] == "3.11"


def test_lock_agrees_with_pyproject():
    problems = pin_mismatches(
        pyproject_pins(PYPROJECT), lock_pins(LOCK),
        labels=("pyproject.toml", "requirements.lock"), symmetric=False,
    )
    assert not problems, "\n".join(problems)


def test_lock_excludes_project_and_editables():
    assert "gihi" not in lock_pins(LOCK)
    lines = [ln.strip() for ln in LOCK.read_text(encoding="utf-8").splitlines()]
    assert not [ln for ln in lines if ln.startswith("-e") or ln.startswith("--editable")]


# --- the checker itself can fail ---------------------------------------------

PYPROJECT_TEXT = """\
[project]
name = "demo"
version = "0.1.0"
dependencies = ["Jinja2==3.1.6", "PyYAML==6.0.3", "numpy==2.4.6"]

[project.optional-dependencies]
test = ["pytest==9.2.0"]
"""

ENVIRONMENT_TEXT = """\
name: demo
channels: [conda-forge]
dependencies:
  - python=3.11
  - pip
  - python-duckdb=2.0.0
  - pip:
      - jinja2==3.1.5
      - pyyaml==6.0.3
      - pytest==9.2.0
      - -e .
"""


@pytest.fixture
def mismatched(tmp_path):
    (tmp_path / "pyproject.toml").write_text(PYPROJECT_TEXT, encoding="utf-8")
    (tmp_path / "environment.yml").write_text(ENVIRONMENT_TEXT, encoding="utf-8")
    (tmp_path / "requirements.lock").write_text(
        "# header\nJinja2==3.1.6\nPyYAML==6.0.2  # comment\nextra-pkg==1.0\n",
        encoding="utf-8",
    )
    return tmp_path


def test_parsers_read_the_copies(mismatched):
    assert pyproject_pins(mismatched / "pyproject.toml") == {
        "jinja2": "3.1.6", "pyyaml": "6.0.3", "numpy": "2.4.6", "pytest": "9.2.0",
    }
    assert conda_pins(mismatched / "environment.yml") == {
        "duckdb": "2.0.0", "jinja2": "3.1.5", "pyyaml": "6.0.3", "pytest": "9.2.0",
    }
    assert lock_pins(mismatched / "requirements.lock") == {
        "jinja2": "3.1.6", "pyyaml": "6.0.2", "extra-pkg": "1.0",
    }


def test_mismatch_reported_both_ways(mismatched):
    problems = pin_mismatches(
        pyproject_pins(mismatched / "pyproject.toml"),
        conda_pins(mismatched / "environment.yml"),
        labels=("pyproject", "env"),
    )
    assert problems == [
        "duckdb: pinned in env (2.0.0) but missing from pyproject",
        "jinja2: pyproject has 3.1.6, env has 3.1.5",
        "numpy: pinned in pyproject (2.4.6) but missing from env",
    ]


def test_lock_mismatch_reported_one_way(mismatched):
    problems = pin_mismatches(
        pyproject_pins(mismatched / "pyproject.toml"),
        lock_pins(mismatched / "requirements.lock"),
        labels=("pyproject", "lock"), symmetric=False,
    )
    assert problems == [
        "numpy: pinned in pyproject (2.4.6) but missing from lock",
        "pytest: pinned in pyproject (9.2.0) but missing from lock",
        "pyyaml: pyproject has 6.0.3, lock has 6.0.2",
    ]


def test_unpinned_spec_detected(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text(
        PYPROJECT_TEXT.replace('"numpy==2.4.6"', '"numpy>=2"').replace(
            '"pytest==9.2.0"', '"pytest"'),
        encoding="utf-8",
    )
    assert unpinned_specs(path) == ["numpy>=2", "pytest"]
    with pytest.raises(ValueError, match="numpy>=2"):
        pyproject_pins(path)


def test_name_normalisation():
    assert normalise_name("PyYAML") == "pyyaml"
    assert normalise_name("typing_extensions") == "typing-extensions"
    assert normalise_name("pdfminer.six") == "pdfminer-six"
    assert pin_mismatches({"Jinja2": "3.1.6"}, {"jinja2": "3.1.6"}) == []
