# The two commands: `make run` (portal on SQLite with demo data) and `make test` (every test).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint format clean migrate demo worker beat bench-import bench

$(BIN)/python:
	@$(PYTHON) -c "import sys; assert sys.version_info[:2] == (3, 11), sys.version" || { echo "Python 3.11 is needed (make PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	@echo "ESCP Portal on http://$(HOST):$(PORT)/  (log in with one of the demo users above)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=escp_portal.settings.test
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: install
	$(BIN)/celery -A escp_portal worker -l info

beat: install
	$(BIN)/celery -A escp_portal beat -l info

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

bench-import: install
	$(BIN)/python scripts/bench_member_import.py

# Pages and jobs at 1 % and 100 % of the top scale (PostgreSQL from BENCH_DATABASE_URL or
# DATABASE_URL; the first run generates the data, about 8 minutes for the top scale).
bench: install
	$(BIN)/python scripts/bench.py --scales 1 100
