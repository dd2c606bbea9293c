# PeLED Bench — `make run` starts the app, `make test` runs every test.
# Both create .venv and install the pinned requirements on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501

.PHONY: run test test-fast test-browser test-long lint format bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/activate
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(BIN)/python -m streamlit run app.py --server.address localhost --server.port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

# Everything but the browser tests (no Chromium, no server): the quick loop.
test-fast: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -m "not browser"

# Only the end-to-end tests in headless Chromium (tests/e2e; skipped without it).
test-browser: $(VENV)/.installed-dev
	$(BIN)/python -m pytest tests/e2e

# The long runs: 5000 hypothesis examples per reader, 60 MB J-V-L and lifetime files.
test-long: $(VENV)/.installed-dev
	HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest tests/test_property_readers.py tests/test_hostile_inputs.py

# Style, the layering contracts (pyproject.toml [tool.importlinter]) and types in core/.
lint: $(VENV)/.installed-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench_spectra.py

clean:
	rm -rf $(VENV) .pytest_cache
