# Developer and CI entry points for the site generator. Run `make` for the list.
# GNU make; recipes are indented with tabs.

.DEFAULT_GOAL := help

PYTHON      ?= python3
VENV        := .venv
PY          := $(VENV)/bin/python
PIP         := $(PY) -m pip --disable-pip-version-check
HOST        ?= 127.0.0.1
PORT        ?= 8000
CHROMIUM    ?= /usr/bin/chromium
PYTEST_ARGS ?=
BENCH_ARGS  ?=

# Stamp files record which requirements are installed; they are rebuilt
# (pip re-run) whenever the requirement files change.
REQ_STAMP      := $(VENV)/.requirements.stamp
TEST_REQ_STAMP := $(VENV)/.requirements-test.stamp

# The tests launch this Chromium through Playwright.
export CHROMIUM_PATH := $(CHROMIUM)

.PHONY: help venv build check serve test bench bench-search chromium hugo clean

help: ## List the targets
	@echo "Usage: make <target> [PYTEST_ARGS=...] [BENCH_ARGS=...] [HOST=...] [PORT=...]"
	@echo
	@grep -E '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "} {printf "  %-12s %s\n", $$1, $$2}'

venv: $(REQ_STAMP) ## Create .venv and install runtime requirements

$(PY):
	$(PYTHON) -m venv $(VENV)

$(REQ_STAMP): requirements.txt | $(PY)
	$(PIP) install -r requirements.txt
	@touch $@

$(TEST_REQ_STAMP): requirements-test.txt $(REQ_STAMP) | $(PY)
	$(PIP) install -r requirements-test.txt
	@touch $@

build: $(REQ_STAMP) ## Build the site into output/
	$(PY) build.py build

check: $(REQ_STAMP) ## Validate content/ without writing output
	$(PY) build.py check

serve: $(REQ_STAMP) ## Build and serve with live reload (default http://127.0.0.1:8000)
	$(PY) build.py serve --host $(HOST) --port $(PORT)

test: $(TEST_REQ_STAMP) chromium ## Install test requirements and Chromium, run pytest
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(TEST_REQ_STAMP) chromium hugo ## Benchmark build speed at 1,000/10,000/100,000 listings (BENCH_ARGS="--sizes 1000,10000 --repeat 3")
	$(PY) -m bench.bench_build $(BENCH_ARGS)

bench-search: $(TEST_REQ_STAMP) chromium ## Benchmark search on 100,000 synthetic listings (BENCH_ARGS="--listings N")
	$(PY) -m bench.bench_search $(BENCH_ARGS)

# Installs Debian's Chromium when missing (never `playwright install`).
# Without apt-get it only explains; the browser tests then skip, or fail under CI.
chromium: ## Install Debian's Chromium if missing (CHROMIUM=/usr/bin/chromium)
	@if [ -x "$(CHROMIUM)" ]; then \
		exit 0; \
	elif ! command -v apt-get >/dev/null 2>&1; then \
		echo "*** $(CHROMIUM) is missing and apt-get is unavailable." >&2; \
		echo "*** Install Chromium yourself and run: make test CHROMIUM=/path/to/chromium" >&2; \
		echo "*** (browser tests are skipped without it, and fail when CI is set)." >&2; \
	else \
		if [ "$$(id -u)" = 0 ]; then SUDO=; \
		elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
		else echo "*** Installing Chromium needs root, and sudo is unavailable." >&2; exit 1; fi; \
		echo "Installing Chromium with apt-get ($(CHROMIUM) is missing)..."; \
		$$SUDO apt-get update && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -o DPkg::Lock::Timeout=600 chromium; \
	fi

# Installs Debian's Hugo for the build benchmark's comparison when missing; without it
# (or without root) `make bench` still runs and says Hugo was skipped.
hugo: ## Install Debian's hugo if missing (used by make bench)
	@if command -v hugo >/dev/null 2>&1; then \
		exit 0; \
	elif ! command -v apt-get >/dev/null 2>&1; then \
		echo "*** hugo is missing and apt-get is unavailable; the benchmark skips the Hugo comparison." >&2; \
	else \
		if [ "$$(id -u)" = 0 ]; then SUDO=; \
		elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
		else echo "*** Installing hugo needs root; the benchmark skips the Hugo comparison." >&2; exit 0; fi; \
		echo "Installing hugo with apt-get (for the build benchmark)..."; \
		$$SUDO apt-get update && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -o DPkg::Lock::Timeout=600 hugo || \
		echo "*** Could not install hugo; the benchmark skips the Hugo comparison." >&2; \
	fi

clean: ## Remove output/ and caches (keeps .venv)
	rm -rf output .pytest_cache .cache
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +
	find . -path ./$(VENV) -prune -o -type f -name '*.pyc' -exec rm -f {} +
