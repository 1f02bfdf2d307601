# Two commands: `make run` (set up and serve the demo network) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: run test setup lint test-sqlite test-postgres test-browser messages compile-messages clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed
	mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0

run: setup
	$(PY) manage.py load_demo
	@echo "Texnopark is at http://127.0.0.1:$(PORT)/  (Ctrl+C stops it)"
	$(VENV)/bin/gunicorn config.wsgi --bind 127.0.0.1:$(PORT) --workers $${WEB_CONCURRENCY:-3} --access-logfile -

test: $(VENV)/.installed lint test-sqlite test-postgres test-browser

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run -v0

test-sqlite: $(VENV)/.installed
	$(VENV)/bin/pytest texnopark -p no:cacheprovider

test-postgres: $(VENV)/.installed
	$(PY) scripts/require_postgres.py "$(PG_TEST_URL)" && \
	DATABASE_URL="$(PG_TEST_URL)" $(VENV)/bin/pytest texnopark -p no:cacheprovider || [ $$? -eq 75 ]

test-browser: $(VENV)/.installed
	$(PY) manage.py collectstatic --noinput -v0
	$(VENV)/bin/pytest e2e -p no:cacheprovider

messages: $(VENV)/.installed
	# texnopark/core/locale holds Django's own strings: makemessages must not touch it.
	$(PY) manage.py makemessages -l uz -l uz_Cyrl -l ru -l en -l ko --no-obsolete --ignore=.venv --ignore=var \
		--ignore=e2e --ignore=texnopark/core/locale --ignore='*/tests/*'
	@echo "Translate new entries in locale/{uz,ru,ko}; then: make compile-messages"

compile-messages: $(VENV)/.installed
	$(PY) scripts/cyrillic_catalogue.py
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var
