# Two commands a newcomer needs: `make run` and `make test`. Everything else is for operators.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# make run shows the service's own 403/404/500 pages; `make run DEBUG=true` shows Django's debug page.
DEBUG ?= false

.PHONY: run test lint format check messages bench clean

# Installs with uv (pinned in requirements-dev.txt): a fresh clone's packages in about 20 s where
# pip took about 100 s. The venv is made without pip (ensurepip alone took up to a minute here);
# uv is put into it by the system's pip, or, where Python has none, by the venv's own ensurepip.
UV_VERSION := $(shell sed -n 's/^uv==//p' requirements-dev.txt)
$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv --without-pip $(VENV)
	test -x $(BIN)/uv || $(PYTHON) -m pip --python $(BIN)/python install --quiet uv==$(UV_VERSION) \
		|| { $(BIN)/python -m ensurepip --default-pip && $(BIN)/python -m pip install --quiet uv==$(UV_VERSION); }
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements-dev.txt
	touch $(STAMP)

var:
	mkdir -p var

# axe-core for the accessibility sweep of tests/browser/test_every_page.py (npm, into var/, not git).
AXE_VERSION := 4.11.0
AXE := var/axe/node_modules/axe-core/axe.min.js
$(AXE):
	mkdir -p var/axe
	npm install --prefix var/axe --no-audit --no-fund --no-save --silent axe-core@$(AXE_VERSION)

run: $(STAMP) var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_catalog
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py load_demo_results
	@echo "Tjänsten startar på http://$(HOST):$(PORT)/"
	DJANGO_DEBUG=$(DEBUG) $(BIN)/python manage.py runserver --insecure $(HOST):$(PORT)

test: $(STAMP) $(AXE)
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=finsam.settings.test
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: $(STAMP)
	DJANGO_SECRET_KEY=$$(python3 -c 'import secrets; print(secrets.token_urlsafe(64))') \
	DJANGO_ALLOWED_HOSTS=example.org DATABASE_URL=sqlite:///var/deploy-check.sqlite3 \
	$(BIN)/python manage.py check --deploy --fail-level WARNING --settings=finsam.settings.production

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l sv --no-obsolete --ignore=.venv --ignore=var --ignore=tests
	$(BIN)/python manage.py compilemessages -l sv --ignore=.venv

# Benchmarks at national scale against the local PostgreSQL and Redis (see bench/README.md).
# Small by default; `make bench BENCH_ASSOCIATIONS=80` is the national data set.
BENCH_DB ?= finsam_bench
BENCH_ASSOCIATIONS ?= 10
BENCH_BROKER ?= redis://127.0.0.1:6379/9
BENCH_ENV = DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_DB) CELERY_BROKER_URL=$(BENCH_BROKER)
bench: $(STAMP)
	psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $(BENCH_DB) WITH (FORCE)" postgres
	psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $(BENCH_DB)" postgres
	$(BENCH_ENV) $(BIN)/python manage.py migrate --noinput -v0
	$(BENCH_ENV) $(BIN)/python bench/seed_national.py --associations $(BENCH_ASSOCIATIONS)
	$(BENCH_ENV) $(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
