# KB Portal — the two commands of the README are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The Nu HTML Checker that tests/test_html_validity.py runs (on Java): the
# vnu-jar npm package of the checker's own maintainers, at the version the
# HTML audit uses (the PyPI copies lag behind and miss newer ARIA rules).
VNU_VERSION ?= 26.9.27
VNU_JAR := $(VENV)/vnu/node_modules/vnu-jar/build/dist/vnu.jar

.PHONY: run test prod-local lint format check messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

## Set up and start the portal on SQLite with demo data (http://127.0.0.1:8000).
run: $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

$(VNU_JAR): Makefile | $(BIN)/python
	@command -v npm >/dev/null || { echo "npm is needed to install vnu.jar: apt-get install -y npm" >&2; exit 1; }
	npm install --silent --prefix $(VENV)/vnu --no-save --no-audit --no-fund --ignore-scripts vnu-jar@$(VNU_VERSION)
	touch $@

## Try production mode locally: DEBUG=0 under gunicorn on plain http://127.0.0.1:8000,
## with the development SQLite database and demo data (README: «Production»).
prod-local: $(VENV)/.installed
	export DEBUG=0 ALLOWED_HOSTS=$(HOST),localhost \
	       SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 \
	       SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" && \
	$(BIN)/python manage.py migrate --noinput && \
	DEBUG=1 $(BIN)/python manage.py seed_demo && \
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0 && \
	exec $(BIN)/gunicorn kb_portal.wsgi -w 1 --threads 4 -b $(HOST):$(PORT)

## Run the whole test suite (DATABASE_URL picks the database; SQLite by default).
test: $(VENV)/.installed $(VNU_JAR)
	$(BIN)/python -m pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=kb_portal.test_settings

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Re-extract and compile the Russian translations.
messages: $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py makemessages -l ru --no-obsolete --ignore=.venv --ignore=bench --ignore=tests
	DEBUG=1 $(BIN)/python manage.py compilemessages -l ru --ignore=.venv

bench: $(VENV)/.installed
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/search.py --articles 10000
	$(BIN)/python bench/ideas.py
	$(BIN)/python bench/feedback_import.py --rows 100000
	$(BIN)/python bench/kb_import.py --files 1000
	$(BIN)/python bench/dashboard.py --responses 100000

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
