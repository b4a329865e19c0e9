# 效能考核 — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# setuptools < 81 must also reach pip's isolated build environments (xstatic-bootstrap's
# sdist imports pkg_resources), and only PIP_CONSTRAINT does that.
export PIP_CONSTRAINT := $(CURDIR)/constraints.txt
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run run-year-end serve test test-dates setup install messages migrate fonts demo system-app-deps system-test-deps test-tools lint bench clean

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

messages: install var/secret-key
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0

# A random key for this checkout, used by commands, make run, tests and benchmarks when
# SECRET_KEY is not set; the web server (efficiency.wsgi) never uses it (see README).
var/secret-key:
	mkdir -p var
	umask 077; $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

migrate: install var/secret-key
	mkdir -p staticfiles
	$(PY) manage.py migrate --noinput --verbosity 0

setup: install messages migrate

# The CJK fonts the PDF reports embed (Noto SC, OFL), fetched once with npm into var/fonts.
fonts: install
	$(PY) -m efficiency.reports.fonts install --optional

demo: setup fonts system-app-deps
	$(PY) manage.py load_demo --if-empty

# The development server and the task worker (ZIPs, reminders): Ctrl-C stops both.
run: demo
	$(PY) manage.py demo_accounts
	sh scripts/run.sh $(PY) $(HOST):$(PORT)

# The same office on 29 January 2027, its year 2026 decided and notified, in a database of its
# own (var/demo-year-end.sqlite3), so it sits beside the default demo rather than replacing it.
run-year-end: YEAR_END_DB := sqlite:///$(CURDIR)/var/demo-year-end.sqlite3
run-year-end: setup fonts system-app-deps
	DATABASE_URL=$(YEAR_END_DB) $(PY) manage.py migrate --noinput --verbosity 0
	DATABASE_URL=$(YEAR_END_DB) $(PY) manage.py load_demo --year-end --if-empty
	DATABASE_URL=$(YEAR_END_DB) $(PY) manage.py demo_accounts
	DATABASE_URL=$(YEAR_END_DB) sh scripts/run.sh $(PY) $(HOST):$(PORT)

# The app as in production: gunicorn, DEBUG off, collected static files, the task worker;
# SECRET_KEY must be set (README, "Production").
serve: setup fonts system-app-deps
	HOST=$(HOST) PORT=$(PORT) sh scripts/serve.sh

# What the app needs from Debian (HarfBuzz's subsetter for fast PDFs), and for the tests also
# Chromium and a Chinese font: installed when we are root, otherwise the apt-get line is printed.
system-app-deps:
	@sh scripts/system-deps.sh app

system-test-deps:
	@sh scripts/system-deps.sh test

# axe-core for the browser tests' accessibility checks, pinned by package-lock.json.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

test-tools: node_modules/axe-core/axe.min.js

test: setup system-test-deps fonts test-tools
	$(PY) -m ruff check .
	$(PY) manage.py makemigrations --check --dry-run --verbosity 0
	$(PY) -m pytest $(PYTEST_ARGS)

# The tests that depend on the calendar, as if today were each of these days: the first and
# last days of the demo year, its middle, and a day of the year after.
TEST_DATES ?= 2026-01-02 2026-06-30 2026-12-31 2027-03-15
test-dates: setup
	@for day in $(TEST_DATES); do \
		echo "== calendar-sensitive tests on $$day =="; \
		EFFICIENCY_TEST_TODAY=$$day $(PY) -m pytest -m calendar -q || exit 1; \
	done

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache node_modules
