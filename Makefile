# GIHI report builder. Fresh machine: `make build` or `make test`; each sets
# itself up (Debian packages, .venv with pinned dependencies) on first use.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

YEAR ?= 2023
ARGS ?=
PYTEST_ARGS ?=

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: venv system-deps build data test test-fast clean

# Debian packages are checked on every run (cheap: dpkg -s) and installed
# only when missing. The venv is (re)installed only when the stamp is missing
# or older than pyproject.toml / requirements.lock.
venv: $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

$(STAMP): pyproject.toml requirements.lock | system-deps
	@py=; \
	for cand in python3.11 python3; do \
	  if command -v "$$cand" >/dev/null 2>&1 && \
	     "$$cand" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then \
	    py="$$cand"; break; \
	  fi; \
	done; \
	if [ -z "$$py" ]; then \
	  echo "error: Python 3.11 not found (need python3.11, or python3 being 3.11)" >&2; exit 1; \
	fi; \
	if [ -x $(PY) ] && $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then \
	  echo "venv: reusing $(VENV)"; \
	else \
	  echo "venv: creating $(VENV) with $$(command -v $$py)"; \
	  "$$py" -m venv --clear $(VENV); \
	fi
	$(PY) -m pip install -c requirements.lock -e '.[test]'
	touch $(STAMP)

build: venv
	$(PY) report_build.py --year $(YEAR) $(ARGS)

data: venv
	$(PY) report_build.py --year $(YEAR) --data-only $(ARGS)

# --dist loadfile: a test module runs in one worker, so its module-scoped builds are made once
test: venv
	$(PY) -m pytest -n 2 --dist loadfile -q $(PYTEST_ARGS)

# everything but the end-to-end builds (tests marked e2e): the unit and integration tests, a
# module per worker at a time, the heaviest first, so that no module fixture is made twice
# (--dist loadscope, as tests/_schedule.py orders it)
test-fast: venv
	$(PY) -m pytest -n 2 --dist loadscope -q -m "not e2e" $(PYTEST_ARGS)

clean:
	rm -rf output/
