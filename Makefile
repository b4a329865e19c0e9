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

.PHONY: run test setup install messages migrate fonts demo system-test-deps test-tools lint bench clean

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

messages: install
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0

migrate: install
	mkdir -p staticfiles
	$(PY) manage.py migrate --noinput --verbosity 0

setup: install messages migrate

# The CJK fonts the PDF reports embed (Noto SC, OFL), fetched once with npm into var/fonts.
fonts: install
	$(PY) -m efficiency.reports.fonts install --optional

demo: setup fonts
	$(PY) manage.py load_demo --if-empty

run: demo
	$(PY) manage.py demo_accounts
	$(PY) manage.py runserver $(HOST):$(PORT)

# Chromium and a Chinese font for the browser tests, from Debian's packages when we are root.
system-test-deps:
	@sh scripts/system-deps.sh

# axe-core for the browser tests' accessibility checks, pinned by package-lock.json.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

test-tools: node_modules/axe-core/axe.min.js

test: setup system-test-deps fonts test-tools
	$(PY) -m ruff check .
	$(PY) manage.py makemigrations --check --dry-run --verbosity 0
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache node_modules
