# PeLED Bench — `make run` starts the app, `make test` runs every test.
# Both create .venv and install the pinned requirements on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501

.PHONY: run test test-fast test-browser test-long lint format bench bench-quick bench-spectra bench-sessions clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/activate
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# MALLOC_ARENA_MAX=1: the analysis's row threads allocate from glibc's main
# arena, whose freed memory goes back to the system when the last session
# ends (docs/deploying.md, "The upload limit").
run: $(VENV)/.installed
	MALLOC_ARENA_MAX=$${MALLOC_ARENA_MAX:-1} $(BIN)/python -m streamlit run app.py --server.address localhost --server.port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

# Everything but the browser tests (no Chromium, no server): the quick loop.
test-fast: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -m "not browser"

# Only the end-to-end tests in headless Chromium (tests/e2e; skipped without it).
test-browser: $(VENV)/.installed-dev
	$(BIN)/python -m pytest tests/e2e

# The long runs: 5000 hypothesis examples per reader, 60 MB J-V-L and lifetime files,
# every figure builder at every preset (the figure-text test, ~9 min).
test-long: $(VENV)/.installed-dev
	HYPOTHESIS_PROFILE=long PELED_FIGURE_TEXT=all $(BIN)/python -m pytest tests/core/io/test_property_readers.py tests/test_hostile_inputs.py tests/core/figures/test_figures_text.py

# Style, the layering contracts (pyproject.toml [tool.importlinter]) and types in core/.
lint: $(VENV)/.installed-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The benchmark suite (benchmarks/run_all.py): CLI, readers, memory, analysis,
# figures and a page session, each beside a bare baseline from the same run;
# prints a Markdown table with the machine's load, saves test-output/bench/.
# MALLOC_ARENA_MAX=1 as `make run` starts the server (the CLI sets its own).
bench: $(VENV)/.installed-dev
	MALLOC_ARENA_MAX=$${MALLOC_ARENA_MAX:-1} $(BIN)/python benchmarks/run_all.py

# Every section once on tiny data (a smoke test; tests/benchmarks runs it).
bench-quick: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run_all.py --quick

# spectral_metrics against a colour-science loop; sessions in real browsers.
bench-spectra: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench_spectra.py

bench-sessions: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench_sessions.py

clean:
	rm -rf $(VENV) .pytest_cache
