# Two commands matter: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SCALE ?= small
SAMPLES ?= $(abspath ../shared/samples)

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/datasync-tui --demo

lint: $(STAMP)
	$(BIN)/ruff check --output-format concise datasync_tui connectors tests bench
	$(BIN)/ruff format --check datasync_tui connectors tests bench
	$(BIN)/lint-imports --no-cache

test: lint
	DATASYNC_SAMPLES=$${DATASYNC_SAMPLES:-$(SAMPLES)} $(BIN)/python -m pytest -q

# Every benchmark prints its figures beside its peer's, measured in the same run.
BENCHES := bench bench.oneroster_api bench.sif bench.rules bench.tui_startup bench.explore bench.fix bench.history

bench: $(STAMP)
	@for b in $(BENCHES); do \
	  if [ "$$b" != bench ] && [ ! -f "$$(echo $$b | tr . /).py" ]; then continue; fi; \
	  echo; echo "=== $$b (scale $(SCALE)) ==="; \
	  $(BIN)/python -m $$b --scale $(SCALE) || exit 1; \
	done

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
