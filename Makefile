# Every target uses .venv/ and creates it when missing. No target hides a failure.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
# python3.11 when present, else the first python3 of 3.11 or newer (pyenv shims may name one that
# does not run, so each candidate is asked for its version).
ifndef PYTHON
PYTHON := $(shell for p in python3.11 python3 python3.13 python3.12; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { command -v $$p; break; }; \
	done)
endif
# Checked whatever PYTHON says, also when it comes from the environment.
IS_PY311 := -c 'import sys; sys.exit(sys.version_info < (3, 11))'
NEED_PYTHON := test -n "$(PYTHON)" || { echo "make: needs python3.11 (or a python3 of 3.11 or newer) on PATH" >&2; exit 1; }; \
	$(PYTHON) $(IS_PY311) 2>/dev/null || { echo "make: PYTHON=$(PYTHON) is not Python 3.11 or newer ($$($(PYTHON) --version 2>&1)); unset PYTHON or point it at one" >&2; exit 1; }
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# A .venv of another Python (made before PYTHON changed) is rebuilt, never reused.
ifneq ($(wildcard $(PY)),)
ifneq ($(shell $(PY) $(IS_PY311) >/dev/null 2>&1 && echo ok),ok)
.PHONY: $(STAMP)
endif
endif
# The locked dev environment: `make lock` writes it, `make install` and CI install with it.
LOCK := constraints.txt
LOCK_VENV := .lock-venv
NODE_TOOLS := tools/node/node_modules/.bin
export RUFF_NO_CACHE := true
export REDOCLY_TELEMETRY := off
export OPTIC_TELEMETRY_LEVEL := off

.PHONY: install lock dist generate check-drift lint typecheck contract-lint contract-diff test demo serve upstream-workspace fuzz bench node-tools clean

# Both distributions editable (the SDK at the root, the mock in mock_saas/ with its PostgreSQL
# extra) plus the pinned dev tools.
$(STAMP): pyproject.toml mock_saas/pyproject.toml $(LOCK)
	@$(NEED_PYTHON)
	@if test -x $(PY) && ! $(PY) $(IS_PY311) 2>/dev/null; then \
	  echo "make: $(VENV) runs $$($(PY) --version 2>&1); rebuilding it with $(PYTHON)"; rm -rf $(VENV); fi
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade 'pip>=25.1'
	$(PY) -m pip install --quiet -c $(LOCK) -e . -e './mock_saas[postgresql]' --group dev
	touch $(STAMP)

install: $(STAMP)

# Resolve the ranges and pins of both pyproject files in a throw-away venv and freeze the result
# into $(LOCK); commit it with the pyproject change that needed it. Versions already locked are
# kept while they still fit; `make lock UPGRADE=1` resolves everything to the newest that fits.
lock:
	@$(NEED_PYTHON)
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade 'pip>=25.1'
	$(LOCK_VENV)/bin/python -m pip install --quiet $(if $(UPGRADE),,$(if $(wildcard $(LOCK)),-c $(LOCK))) \
	  -e . -e './mock_saas[postgresql]' --group dev
	{ echo "# The dev environment, resolved by \`make lock\` on Python $$($(LOCK_VENV)/bin/python -c 'import platform; print(platform.python_version())'). Do not edit."; \
	  $(LOCK_VENV)/bin/python -m pip freeze --exclude-editable; } > $(LOCK).new
	mv $(LOCK).new $(LOCK)
	rm -rf $(LOCK_VENV)

# sdists and wheels of the SDK and the mock in dist/, checked with twine.
dist: $(STAMP)
	$(PY) tools/dist.py --outdir dist

$(NODE_TOOLS)/redocly: tools/node/package.json tools/node/package-lock.json
	cd tools/node && npm ci --no-audit --no-fund --loglevel=error
	touch $@

node-tools: $(NODE_TOOLS)/redocly

generate: $(STAMP)
	$(PY) tools/generate.py

check-drift: $(STAMP)
	$(PY) tools/check_drift.py

lint: $(STAMP)
	$(VENV)/bin/ruff check client mock_saas tools tests bench
	$(VENV)/bin/ruff format --check client mock_saas tools tests bench

typecheck: $(STAMP)
	$(VENV)/bin/mypy

contract-lint: node-tools
	$(NODE_TOOLS)/redocly lint contracts/openapi.yaml contracts/admin.yaml --config contracts/redocly.yaml

# Breaking-change gate (our schema-aware check + optic + the version rule):
#   make contract-diff BASE=origin/main          contracts/ against a git ref
#   make contract-diff OLD=a.yaml NEW=b.yaml     two OpenAPI files (ARGS=--json for a report)
BASE ?= HEAD
contract-diff: $(STAMP) node-tools
	$(PY) tools/contract_diff.py $(if $(OLD),--old $(OLD) --new $(NEW),--base $(BASE)) $(ARGS)

# Each phase timed (wall and CPU, table at the end); pytest's slowest tests listed. The tests
# run on two workers, a module's tests on one of them (its fixtures, processes included, are
# built once); PYTEST_ARGS=-n0 runs them in one process.
PYTEST_WORKERS ?= 2
test: $(STAMP) node-tools
	$(PY) tools/phases.py \
	  "drift gate=$(MAKE) --no-print-directory check-drift" \
	  "contract lint=$(MAKE) --no-print-directory contract-lint" \
	  "ruff=$(MAKE) --no-print-directory lint" \
	  "mypy=$(MAKE) --no-print-directory typecheck" \
	  "browser setup=bash tools/ensure_browser.sh $(PY)" \
	  "postgres setup=bash tools/ensure_postgres.sh $(PY)" \
	  "pytest=$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile --durations=15 $(PYTEST_ARGS)"

# The demo binds only a confirmed ticket; this is the confirmation it prints and records
# (DEMO_CONFIRM= on a terminal: the demo asks instead).
DEMO_CONFIRM ?= --confirm WEB-123
demo: $(STAMP)
	@$(PY) tools/demo.py $(DEMO_CONFIRM) $(ARGS)

serve: $(STAMP)
	$(VENV)/bin/kitty-mock-saas serve --host 127.0.0.1 --port 8765 $(ARGS)

# A spec-kitty-cli 3.2.7 workspace wired to the mock of `make serve`: make upstream-workspace DIR=/tmp/sk
upstream-workspace: $(STAMP)
	$(PY) -m tests.interop.workspace_cli $(DIR) --url http://127.0.0.1:8765

# A longer schemathesis run (CLI, all phases) against fresh mocks on 127.0.0.1, or with URL=
# against any live implementation (a staging SaaS: ARGS="--token T --team S"); reports in
# fuzz-report/.
fuzz: $(STAMP)
	$(PY) tools/fuzz_live.py --max-examples 200 --max-time 300 $(if $(URL),--url $(URL)) $(ARGS)

# Benchmarks: writes bench/results.md (ARGS=--quick for a short run).
bench: $(STAMP)
	$(PY) -m bench.run $(ARGS)

clean:
	rm -rf $(VENV) $(LOCK_VENV) dist tools/node/node_modules .pytest_cache .mypy_cache .hypothesis .schemathesis
