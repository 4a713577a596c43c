# One entry point for humans and CI. `make help` lists the targets.
#
# Every target that runs a tool depends on the install stamp, so on a fresh clone
# `make test` installs first, and later runs skip pip until pyproject.toml changes.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# `python -m pytest` puts the repo root on sys.path, so tests.support imports
# whatever the pytest configuration says.
PYTEST := $(PY) -m pytest
STAMP := $(VENV)/.phirewall-installed
PACKAGES := pipeline processors schemas tests/support

.PHONY: help install run format lint typecheck unit integration test bench broker

help:
	@echo "make install      create $(VENV) if missing and install phirewall with test and dev extras"
	@echo "make run          redact a sample of synthetic healthcare logs with phirewall redact"
	@echo "make format       sort imports and format the code with ruff"
	@echo "make lint         ruff check and ruff format --check"
	@echo "make typecheck    mypy on $(PACKAGES)"
	@echo "make unit         unit tests (tests/unit)"
	@echo "make integration  integration tests on a real Kafka broker (tests/integration)"
	@echo "make test         the whole suite (tests)"
	@echo "make bench        benchmarks (benchmarks/run.py), when there are any"
	@echo "make broker       run the self-hosted Kafka broker in the foreground"

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check --quiet -e '.[test,dev]'
	@touch $@

# The main job until the Kafka stack runs here: synthetic logs through
# `phirewall redact`. A throwaway key is made when none is set, so tokens then
# differ from run to run; set PHIREWALL_TOKEN_KEY to keep them stable.
RUN_COUNT ?= 20
run: $(STAMP)
	@key="$${PHIREWALL_TOKEN_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_hex(32))')}"; \
	$(VENV)/bin/phirewall generate --count $(RUN_COUNT) --phi-ratio 0.5 \
	| PHIREWALL_TOKEN_KEY="$$key" $(VENV)/bin/phirewall redact

format: $(STAMP)
	$(PY) -m ruff check --select I --fix .
	$(PY) -m ruff format .

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: $(STAMP)
	$(PY) -m mypy $(PACKAGES)

unit: $(STAMP)
	$(PYTEST) tests/unit

integration: $(STAMP)
	$(PYTEST) tests/integration

test: $(STAMP)
	$(PYTEST) tests

bench: $(STAMP)
	$(PY) -m benchmarks.evaluate
	$(PY) -m benchmarks.throughput

broker: $(STAMP)
	$(PY) -m tests.support.kafka_broker run
