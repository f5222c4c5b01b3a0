# Every target uses .venv/ and creates it when missing. No target hides a failure.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_TOOLS := tools/node/node_modules/.bin
export RUFF_NO_CACHE := true
export REDOCLY_TELEMETRY := off
export OPTIC_TELEMETRY_LEVEL := off

.PHONY: install generate check-drift lint typecheck contract-lint contract-diff test demo serve upstream-workspace fuzz bench node-tools clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

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
	$(NODE_TOOLS)/redocly lint contracts/openapi.yaml --config contracts/redocly.yaml

# Breaking-change gate (our schema-aware check + optic + the version rule):
#   make contract-diff BASE=origin/main          contracts/ against a git ref
#   make contract-diff OLD=a.yaml NEW=b.yaml     two OpenAPI files (ARGS=--json for a report)
BASE ?= HEAD
contract-diff: $(STAMP) node-tools
	$(PY) tools/contract_diff.py $(if $(OLD),--old $(OLD) --new $(NEW),--base $(BASE)) $(ARGS)

test: $(STAMP) node-tools
	$(MAKE) --no-print-directory check-drift
	$(MAKE) --no-print-directory contract-lint
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory typecheck
	bash tools/ensure_browser.sh $(PY)
	$(PY) -m pytest

demo: $(STAMP)
	@$(PY) tools/demo.py $(ARGS)

serve: $(STAMP)
	$(VENV)/bin/kitty-mock-saas serve --host 127.0.0.1 --port 8765 $(ARGS)

# A spec-kitty-cli 3.2.7 workspace wired to the mock of `make serve`: make upstream-workspace DIR=/tmp/sk
upstream-workspace: $(STAMP)
	$(PY) -m tests.interop.workspace_cli $(DIR) --url http://127.0.0.1:8765

# A longer schemathesis run (CLI, all phases) against a live mock on 127.0.0.1.
fuzz: $(STAMP)
	$(PY) tools/fuzz_live.py --max-examples 200 --max-time 300 $(ARGS)

# Benchmarks: writes bench/results.md (ARGS=--quick for a short run).
bench: $(STAMP)
	$(PY) -m bench.run $(ARGS)

clean:
	rm -rf $(VENV) tools/node/node_modules .pytest_cache .mypy_cache .hypothesis .schemathesis
