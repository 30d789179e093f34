# Two commands: `make run` (the demo: local Kafka + worker + sample replay + alerts)
# and `make test` (the whole suite against a real broker the run starts itself).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The mypyc build of the hot stages (scripts/compile_stages.py; streams/compiled.py loads it while it
# matches the sources, so an edited stage runs as pure Python until this is rebuilt).
COMPILED := $(VENV)/livewire-compiled/manifest.json

.PHONY: run test check venv clean sysdeps-prometheus sysdeps-chromium

venv: $(STAMP) $(COMPILED)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $(STAMP)

$(COMPILED): $(STAMP) $(wildcard streams/stages/*.py) streams/models.py streams/compiled.py scripts/compile_stages.py
	$(BIN)/python scripts/compile_stages.py

run: $(STAMP) $(COMPILED)
	$(BIN)/livewire run

check: $(STAMP)
	$(BIN)/ruff format --check streams tests scripts/check_gold.py
	$(BIN)/ruff check streams tests scripts/check_gold.py
	$(BIN)/mypy streams scripts/check_gold.py
	$(BIN)/lint-imports
	$(BIN)/livewire schemas check

test: $(STAMP) $(COMPILED) check sysdeps-prometheus sysdeps-chromium
	LIVEWIRE_REQUIRE_KAFKA=$${LIVEWIRE_REQUIRE_KAFKA:-$${CI:+1}} $(BIN)/python -m pytest -q

# Prometheus for tests/integration/test_prometheus.py. CI runs as root on a fresh
# Debian machine; elsewhere a missing binary only skips that test (fails it under CI=true).
sysdeps-prometheus:
	@command -v prometheus >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends prometheus >/dev/null; }

# The browser test drives Debian's Chromium through Debian's chromedriver (no browser downloads).
# CI runs as root on a fresh machine: install them there; elsewhere say what is missing.
sysdeps-chromium:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "sysdeps-chromium: apt-get install chromium chromium-driver"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null; \
	  else \
	    echo "sysdeps-chromium: not root, cannot install chromium chromium-driver; the browser test will skip"; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) .state .pytest_cache .mypy_cache .ruff_cache
