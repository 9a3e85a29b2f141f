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
# The suite's processes (pytest-xdist: a test file runs whole on one, and the files that drive Chromium all on
# the same one). 0, the default and what CI runs for `make test`: one process; 2 saves a minute or two there.
# `make test-clock` (no browser tests) runs on CLOCK_WORKERS, two: nearly twice as fast on two cores.
PYTEST_WORKERS ?= 0
CLOCK_WORKERS  ?= 2
BENCH_ARGS  ?=

# What gets installed: the hash-locked files compiled from requirements*.in by `make lock`, with
# pip checking every file's hash. `make test-upstream` swaps in the loose .in files instead.
REQUIREMENTS      ?= requirements.txt
TEST_REQUIREMENTS ?= requirements-test.txt
PIP_INSTALL       ?= install --require-hashes --no-deps
# Pinned tools that write the locks (`make lock`); they live in their own venv under .cache/.
PIP_TOOLS         := pip-tools==7.6.2
LOCK_VENV         := .cache/lock-venv
LOCK_INDEX        ?= https://pypi.org/simple

# Stamp files record which requirements are installed; they are rebuilt
# (pip re-run) whenever the requirement files change.
REQ_STAMP      := $(VENV)/.requirements.stamp
TEST_REQ_STAMP := $(VENV)/.requirements-test.stamp
# The quality gate's offline checkers from npm (vnu-jar, lighthouse), pinned by tools/package-lock.json.
TOOLS_STAMP    := tools/node_modules/.installed.stamp

# The tests launch this Chromium through Playwright.
export CHROMIUM_PATH := $(CHROMIUM)

.PHONY: help venv messages build check serve test test-clock test-upstream lock bench bench-search bench-map bench-slow bench-import chromium java tools map-vendor hugo clean

help: ## List the targets
	@echo "Usage: make <target> [PYTEST_ARGS=...] [BENCH_ARGS=...] [HOST=...] [PORT=...]"
	@echo
	@grep -E '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "} {printf "  %-12s %s\n", $$1, $$2}'

venv: $(REQ_STAMP) ## Create .venv and install runtime requirements

$(PY):
	$(PYTHON) -m venv $(VENV)

$(REQ_STAMP): $(REQUIREMENTS) | $(PY)
	$(PIP) $(PIP_INSTALL) -r $(REQUIREMENTS)
	@touch $@

$(TEST_REQ_STAMP): $(TEST_REQUIREMENTS) $(REQ_STAMP) | $(PY)
	$(PIP) $(PIP_INSTALL) -r $(TEST_REQUIREMENTS)
	@touch $@

# Rewrites requirements.txt and requirements-test.txt from the .in files: the newest versions the
# ranges allow, each with the hashes of every file PyPI has for it. Commit the result.
lock: ## Refresh the hash-locked requirements*.txt from requirements*.in (pip-tools)
	@test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && \
		$(LOCK_VENV)/bin/python -m pip --disable-pip-version-check install -q $(PIP_TOOLS); }
	PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet \
		--generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
		--index-url $(LOCK_INDEX) --upgrade -o requirements.txt requirements.in
	PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet \
		--generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
		--index-url $(LOCK_INDEX) --upgrade -c requirements.txt -o requirements-test.txt \
		requirements.in requirements-test.in

# The suite on other days: the system clock moved a year ahead and a year behind for the tests and every
# process they start (Debian's datefudge, which moves the wall clock only: the monotonic clock that
# timeouts and sleeps measure stays real; libfaketime's faked monotonic clock makes those hang or fail).
# The browser tests fix the page's clock themselves.
CLOCK_SHIFTS ?= +365 -365
test-clock: $(TEST_REQ_STAMP) tools ## Run the suite (browser tests aside) with the clock a year ahead and behind
	@command -v datefudge >/dev/null 2>&1 || $(MAKE) --no-print-directory apt-datefudge
	@for days in $(CLOCK_SHIFTS); do \
		when=$$(date -u -d "$$days days" '+%F %T'); \
		echo "== the suite with the clock at $$when UTC ($$days days)"; \
		datefudge "$$when" $(PY) -m pytest -n $(CLOCK_WORKERS) --dist loadgroup -m "not browser" -q -p no:cacheprovider $(PYTEST_ARGS) || exit 1; \
	done

.PHONY: apt-datefudge
apt-datefudge:
	$(call apt_install,datefudge)

# The weekly upstream check (.github/workflows/upstream.yml): the newest versions the .in ranges
# allow, in a venv of their own, then the whole suite. Breakage upstream shows up here first.
test-upstream: ## Run the suite with the newest versions requirements*.in allow (in .venv-upstream)
	$(MAKE) --no-print-directory test VENV=.venv-upstream REQUIREMENTS=requirements.in \
		TEST_REQUIREMENTS=requirements-test.in PIP_INSTALL="install --upgrade"

# The interface text: extracted from the templates and code into messages.pot, then added (untranslated) to
# each language's catalog, whose translations are kept. The build compiles the catalogs itself.
LOCALES := templates/locales
messages: $(REQ_STAMP) ## Update the interface text catalogs (templates/locales/) from the templates and code
	$(VENV)/bin/pybabel -q extract -F $(LOCALES)/babel.cfg -o $(LOCALES)/messages.pot --no-location --sort-output \
		--omit-header --width 116 .
	$(VENV)/bin/pybabel -q update -i $(LOCALES)/messages.pot -d $(LOCALES) --width 116 --no-fuzzy-matching \
		--ignore-pot-creation-date

build: $(REQ_STAMP) ## Build the site into output/
	$(PY) build.py build

check: $(REQ_STAMP) ## Validate content/ without writing output
	$(PY) build.py check

serve: $(REQ_STAMP) ## Build and serve with live reload (default http://127.0.0.1:8000)
	$(PY) build.py serve --host $(HOST) --port $(PORT)

test: $(TEST_REQ_STAMP) chromium tools ## Install test requirements, Chromium and the checkers, run pytest
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

bench: $(TEST_REQ_STAMP) chromium hugo ## Benchmark build speed at 1,000/10,000/100,000 listings (BENCH_ARGS="--sizes 1000,10000 --repeat 3")
	$(PY) -m bench.bench_build $(BENCH_ARGS)

bench-search: $(TEST_REQ_STAMP) chromium ## Benchmark search on 100,000 synthetic listings (BENCH_ARGS="--listings N")
	$(PY) -m bench.bench_search $(BENCH_ARGS)

bench-map: $(TEST_REQ_STAMP) chromium ## Measure the map: bytes when opened, and 100,000 listings on it (BENCH_ARGS="--listings N")
	$(PY) -m bench.bench_map $(BENCH_ARGS)

bench-slow: $(TEST_REQ_STAMP) chromium ## Measure the starter site's directory on a slow phone connection: files fetched, time to results (BENCH_ARGS="--repeat 5")
	$(PY) -m bench.bench_slow $(BENCH_ARGS)

bench-import: $(REQ_STAMP) ## Benchmark importing a 2,000-meeting feed, building, and a 20-meeting re-sync (BENCH_ARGS="--meetings N --repeat N")
	$(PY) -m bench.bench_import $(BENCH_ARGS)

# Runs apt-get install for $(1) as root (or through sudo); explains and fails without apt-get.
define apt_install
	@if ! command -v apt-get >/dev/null 2>&1; then \
		echo "*** apt-get is unavailable: install $(1) yourself." >&2; exit 1; \
	elif [ "$$(id -u)" = 0 ]; then SUDO=; \
	elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	else echo "*** Installing $(1) needs root, and sudo is unavailable." >&2; exit 1; fi; \
	echo "Installing $(1) with apt-get..."; \
	$$SUDO apt-get update && \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=600 $(1)
endef

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

# The Nu HTML Checker runs on Java (17 here); Debian's headless JRE is enough.
java: ## Install Java (default-jre-headless) if missing, for the HTML checker
	@command -v java >/dev/null 2>&1 || $(MAKE) --no-print-directory apt-java

.PHONY: apt-java apt-node
apt-java:
	$(call apt_install,default-jre-headless)

apt-node:
	$(call apt_install,nodejs npm)

# npm ci installs exactly the locked versions; --ignore-scripts skips vnu-jar's postinstall, which
# would fetch a Java runtime from the internet (the installed Java is used instead).
tools: $(TOOLS_STAMP) java ## Install the HTML checker (vnu), Lighthouse 12 and the map's packages into tools/ (npm), and Java

$(TOOLS_STAMP): tools/package.json tools/package-lock.json
	@command -v npm >/dev/null 2>&1 || $(MAKE) --no-print-directory apt-node
	cd tools && npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

# The map's libraries and US atlas, bundled from the packages tools/package-lock.json pins (commit the result).
map-vendor: $(TOOLS_STAMP) ## Remake templates/static/vendor/ (the map's code and atlas) from tools/package-lock.json
	node tools/map/bundle.mjs

# Installs Debian's Hugo for the build benchmark's comparison when missing; without it
# (or without root) `make bench` still runs and says Hugo was skipped.
hugo: ## Install Debian's hugo if missing (used by make bench)
	@command -v hugo >/dev/null 2>&1 || $(MAKE) --no-print-directory apt-hugo || \
		echo "*** Could not install hugo; the benchmark skips the Hugo comparison." >&2

.PHONY: apt-hugo
apt-hugo:
	$(call apt_install,hugo)

clean: ## Remove output/ and caches (keeps .venv)
	rm -rf output .build-cache .pytest_cache .cache
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +
	find . -path ./$(VENV) -prune -o -type f -name '*.pyc' -exec rm -f {} +
