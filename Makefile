# OPG Protocol — every target bootstraps what it needs (idempotent; safe on a fresh clone).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
SOLC_VERSION := 0.8.28
export SOLCX_BINARY_PATH := $(CURDIR)/.solc
export PATH := $(CURDIR)/node_modules/.bin:$(CURDIR)/$(VENV)/bin:$(PATH)
APE := $(VENV)/bin/ape
# A free local port per make invocation, so parallel runs never share (or kill) one Anvil.
FREE_PORT = $(shell $(PYTHON) -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

.PHONY: env bootstrap compile test unit slither lint demo bench deploy clean

## Set-up: Python venv (pinned), npm toolchain (anvil, solc-js, OpenZeppelin), solc wrapper.
bootstrap: $(VENV)/.stamp node_modules/.stamp .solc/solc-v$(SOLC_VERSION)

$(VENV)/.stamp: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements.lock
	$(VENV)/bin/pip install -q --no-deps -e .
	touch $@

node_modules/.stamp: package.json package-lock.json
	# Not `npm ci`: npm 11 leaves anvil's other-platform optional packages out of the lock file and then
	# `npm ci` refuses it. package.json pins exact versions; `npm install` honours the lock file.
	npm install --no-fund --no-audit --loglevel=error
	touch $@

.solc/solc-v$(SOLC_VERSION): tools/solcjs/solc.js node_modules/.stamp
	mkdir -p .solc
	ln -sf ../tools/solcjs/solc.js $@
	$@ --version | grep -q "Version: $(SOLC_VERSION)"

compile: bootstrap
	$(APE) compile

## The test command (CI runs exactly this): lint, static analysis, then the Ape test suite on Anvil.
test: bootstrap lint slither unit

unit: bootstrap
	APE_FOUNDRY_HOST=http://127.0.0.1:$(FREE_PORT) $(APE) test tests -p no:cacheprovider

lint: bootstrap
	$(VENV)/bin/ruff check .

slither: bootstrap
	$(VENV)/bin/python tools/slither_gate.py

## The main job: a full job lifecycle on a local chain.
demo: compile
	$(VENV)/bin/opg demo

bench: bootstrap
	APE_FOUNDRY_HOST=http://127.0.0.1:$(FREE_PORT) $(APE) run bench

clean:
	rm -rf .build contracts/.cache .solc

## `source <(make -s env)`: the environment the Makefile uses, for running ape / opg by hand.
env:
	@echo "export SOLCX_BINARY_PATH=$(CURDIR)/.solc PATH=$(CURDIR)/node_modules/.bin:$(CURDIR)/$(VENV)/bin:\$$PATH"
