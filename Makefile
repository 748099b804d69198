# The two commands in the README, and a few more. Everything runs from .venv, made on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export COUNCIL_DATABASE_URL ?= sqlite:///./council.db

.PHONY: run test lint typecheck security pytest oidc-provider messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

## run: install, migrate the SQLite database, load demo data the first time, serve on :8000
run: $(VENV)/.installed
	$(BIN)/council migrate
	$(BIN)/council demo --if-empty
	@echo "Serving on http://127.0.0.1:8000 (Ctrl-C to stop)"
	$(BIN)/council serve --host 127.0.0.1 --port 8000

## test: install the dev extras, then lint, type-check, scan and run the whole suite
test: $(VENV)/.installed-dev lint typecheck security pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check council tests alembic
	$(BIN)/ruff format --check council tests

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy council

security: $(VENV)/.installed-dev
	$(BIN)/bandit -r council -ll -q

# The real OpenID Connect provider the tests sign in against (pinned in tests/oidc/package-lock.json),
# installed again only when the lock file changes. Without npm the OIDC tests skip with a reason,
# except in CI (.ci/run installs node first).
OIDC_STAMP := tests/oidc/node_modules/.council-installed

$(OIDC_STAMP): tests/oidc/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/oidc --no-audit --no-fund --silent && touch $@; \
	else \
		echo "node/npm not found: the OpenID Connect tests will be skipped"; \
	fi

oidc-provider: $(OIDC_STAMP)

pytest: $(VENV)/.installed-dev oidc-provider
	$(BIN)/pytest

clean:
	rm -rf $(VENV) council.db council.db-wal council.db-shm tests/oidc/node_modules
