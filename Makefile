# The two commands in the README, and a few more. Everything runs from .venv, made on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export COUNCIL_DATABASE_URL ?= sqlite:///./council.db
# `make run PORT=8010` serves on another port.
PORT ?= 8000

.PHONY: run test lint typecheck security pytest oidc-provider messages translations audit bench profile clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

## translations: compile the .po catalogues to the .mo files the app reads
translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d council/translations -D messages

## messages: extract every translatable string and merge it into the uk and ru catalogues
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext --no-location --sort-output \
		--project=council --copyright-holder="council contributors" \
		--ignore-dirs=".* node_modules tests" -o council/translations/messages.pot .
	$(BIN)/pybabel update -i council/translations/messages.pot -d council/translations \
		-D messages --no-fuzzy-matching --ignore-obsolete

## run: install, migrate the SQLite database, load demo data the first time, serve on :$(PORT)
run: export COUNCIL_BASE_URL ?= http://127.0.0.1:$(PORT)
run: $(VENV)/.installed translations
	$(BIN)/council migrate
	$(BIN)/council demo --if-empty
	@echo "Serving on http://127.0.0.1:$(PORT) (Ctrl-C to stop)"
	$(BIN)/council serve --host 127.0.0.1 --port $(PORT)

## test: install the dev extras, then lint, type-check, scan and run the whole suite
test: $(VENV)/.installed-dev lint typecheck security pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check council tests tools bench alembic setup.py
	$(BIN)/ruff format --check council tests tools bench setup.py

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

pytest: $(VENV)/.installed-dev translations oidc-provider
	$(BIN)/pytest

## audit: Lighthouse scores (mobile) for the pages members rely on; needs Node and Chromium
tools/lighthouse/node_modules/.bin/lighthouse: tools/lighthouse/package-lock.json
	# npm ci refuses this lock: a dependency of lighthouse asks for third-party-web@"latest".
	npm install --prefix tools/lighthouse --no-audit --no-fund --no-save
	touch $@

audit: $(VENV)/.installed-dev translations tools/lighthouse/node_modules/.bin/lighthouse
	$(BIN)/python -m tools.audit

## bench: the performance benchmark (wrk from Debian's packages); writes bench/results.md
# PostgreSQL: databases of the benchmark's own, bench8_small and bench8_large (created if missing,
# emptied before and after); BENCH_PG_URL= (empty) measures SQLite only.
BENCH_PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/bench8
bench: $(VENV)/.installed-dev translations
	@command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }
	BENCH_PG_URL="$(BENCH_PG_URL)" $(BIN)/python -m bench.run $(BENCH_ARGS)

## profile: where one page's time goes, e.g. make profile PAGE="a section's" (SIZE=large, N=100)
PAGE ?= a section's
SIZE ?= small
N ?= 50
profile: $(VENV)/.installed-dev translations
	$(BIN)/python -m tools.profile "$(PAGE)" --size $(SIZE) -n $(N) $(if $(WHO),--who $(WHO))

clean:
	rm -rf $(VENV) council.db council.db-wal council.db-shm tests/oidc/node_modules
