# nianbao: `make site` builds the portal from reports/ into site/; `make test` runs every test
# (ruff, mypy --strict, pytest); `make test-fast` the quick subset for the edit-test loop.
# Both create the virtualenv they need (.venv) on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: site test test-fast serve lint typecheck format bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/nianbao build --reports reports --out site

test: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# The edit-test loop: no browser, no format fixtures, no whole-site builds, a tenth of the
# property tests' examples. `make test` stays the full suite.
test-fast: $(STAMP)
	$(BIN)/ruff check generator tests bench
	NIANBAO_FAST_TESTS=1 $(BIN)/python -m pytest -q -m "not browser and not slow and not formats" $(PYTEST_ARGS)

serve: $(STAMP)
	$(BIN)/nianbao serve --reports reports --out site

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/mypy

typecheck: $(STAMP)
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format generator tests bench
	$(BIN)/ruff check --fix generator tests bench

bench: $(STAMP)
	$(BIN)/python bench/parse.py
	$(BIN)/python bench/scale.py --reports 200

clean:
	rm -rf site .site-build-* .pytest_cache
