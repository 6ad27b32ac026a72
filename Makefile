# Two commands set everything up on a fresh machine (README.md):
#   make run    the portal with demo data at http://127.0.0.1:8000
#   make test   the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
HOUSEHOLDS ?=
SIZE ?= 100000

.PHONY: run test setup assets migrate demo worker beat lint format messages check clean bench

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

static/vendor/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	mkdir -p static/vendor
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map static/vendor/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map static/vendor/
	cp node_modules/chart.js/dist/chart.umd.min.js static/vendor/
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/
	touch $@

setup: $(VENV)/.installed static/vendor/.installed
assets: static/vendor/.installed

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo $(if $(HOUSEHOLDS),--households $(HOUSEHOLDS))

run: demo
	@echo "Portal: http://$(HOST)/  (Ctrl-C to stop)"
	$(PY) manage.py runserver $(HOST)

test: setup
	$(PY) -m pytest

worker: setup
	$(VENV)/bin/celery -A povertyportal worker --loglevel=INFO

beat: setup
	$(VENV)/bin/celery -A povertyportal beat --loglevel=INFO --schedule var/celerybeat-schedule

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Regenerate the English catalogue after changing strings (needs GNU gettext); commit the .po and
# .mo files so that machines without gettext get translations.
messages: setup
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=static/vendor --ignore=tests --ignore=bench
	$(PY) manage.py compilemessages -l en --ignore=.venv

check: setup
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Every benchmark of bench/ on a fresh SIZE-household PostgreSQL database bench_run_SIZE (see
# bench/README.md); results appended to bench/results/bench-SIZE.txt.
bench: setup
	$(PY) bench/run.py $(SIZE)

clean:
	rm -rf $(VENV) node_modules static/vendor
