# Two commands for a newcomer: `make run` and `make test`. Both set everything up first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium

# A Python >= 3.12: plain python3.13/python3.12 on PATH first, then pyenv's.
PYTHON_BOOT := $(shell for v in 3.13 3.12; do \
  if command -v python$$v >/dev/null 2>&1 && python$$v -c 'import sys; assert sys.version_info >= (3,12)' >/dev/null 2>&1; then echo python$$v; exit; fi; \
  if command -v pyenv >/dev/null 2>&1; then p=$$(pyenv root)/versions; for d in $$(ls -d $$p/$$v* 2>/dev/null | sort -r); do [ -x $$d/bin/python$$v ] && echo $$d/bin/python$$v && exit; done; fi; \
done)

.PHONY: run test bench setup browser clean

$(PY):
	@if [ -z "$(PYTHON_BOOT)" ]; then echo "error: Python >= 3.12 not found (install python3.12 or python3.13)"; exit 1; fi
	$(PYTHON_BOOT) -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dask]'
	touch $(STAMP)

setup: $(STAMP)

# Debian's chromium for the browser tests (never a downloaded browser).
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "error: $(CHROMIUM) missing; install Debian's chromium (sudo apt-get install chromium)"; exit 1; fi; fi

# Compile the month step once for this version of the code (cached in .venv/var/cache), so the app's
# first page does not wait for the compiler.
run: $(STAMP)
	$(PY) -c "from model import worker; worker.warm()"
	$(PY) -m streamlit run app.py --browser.gatherUsageStats false

test: $(STAMP) browser
	$(PY) -m ruff check .
	@tmp=$$(mktemp -d); HOME=$$tmp/home TMPDIR=$$tmp/tmp; mkdir -p $$HOME $$TMPDIR; \
	HOME=$$HOME TMPDIR=$$TMPDIR $(PY) -m pytest -q -p no:cacheprovider; rc=$$?; rm -rf $$tmp; exit $$rc

bench: $(STAMP)
	$(PY) bench/bench_engine.py
	$(PY) bench/bench_costs.py
	$(PY) bench/bench_batch.py
	$(PY) bench/bench_app.py
	$(PY) bench/bench_seek.py

clean:
	rm -rf $(VENV) .pytest_cache
