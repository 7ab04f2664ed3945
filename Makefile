# Sunlit (阳光政务) — the two commands of the quick start are `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export AWS_DEFAULT_REGION ?= us-east-1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test lint typecheck architecture unit integration e2e package bench replay-dlq clean setup browser

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)

## run: the whole system locally on embedded moto, demo city included (Ctrl-C stops it)
run: $(STAMP)
	$(BIN)/python -m devstack

## test: lint, type-check, architecture contracts, unit, integration (moto) and end-to-end (started stack + Chromium)
test: $(STAMP) browser
	$(BIN)/ruff check app.py chalicelib devstack infra tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest -q tests/unit tests/integration tests/e2e

lint: $(STAMP)
	$(BIN)/ruff check app.py chalicelib devstack infra tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

## architecture: the import-linter contracts in pyproject.toml (layers, no cycles, pure domain)
architecture: $(STAMP)
	$(BIN)/lint-imports --no-cache

unit: $(STAMP)
	$(BIN)/pytest -q tests/unit

integration: $(STAMP)
	$(BIN)/pytest -q tests/integration

e2e: $(STAMP) browser
	$(BIN)/pytest -q tests/e2e

## browser: Debian's Chromium and CJK fonts for the hall's browser tests (Playwright cannot download one here)
browser:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; fi; \
	fi

## package: CloudFormation for AWS (chalice package --merge-template, bytecode shipped), checked by cfn-lint
package: $(STAMP)
	rm -rf build/package && mkdir -p build
	$(BIN)/python infra/build.py build/merge-template.json
	$(BIN)/python infra/bytecode.py
	$(BIN)/chalice package --stage prod --merge-template build/merge-template.json build/package
	$(BIN)/python infra/bytecode.py --zip build/package/deployment.zip
	$(BIN)/cfn-lint build/package/sam.json

## bench: performance evidence (ratios against floors measured in the same run)
bench: $(STAMP)
	$(BIN)/python -m bench

## replay-dlq: re-deliver records parked in the stream dead-letter queue of a running stack
replay-dlq: $(STAMP)
	$(BIN)/python -m devstack.replay

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
