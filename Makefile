# The two commands: `make run` (portal on SQLite with demo data) and `make test` (every test).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
# Every package, transitive too, comes from the lock file with its hashes (`make lock` writes it
# from pyproject.toml's pins); requirements/production.txt is the image's.
LOCK := requirements/test.txt
STAMP := $(VENV)/.installed-$(shell cat $(LOCK) | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: lock run test install compilemessages messages lint format clean migrate demo worker beat bench-import bench bench-b2b bench-matchmaking

$(BIN)/python:
	@$(PYTHON) -c "import sys; assert sys.version_info[:2] == (3, 11), sys.version" || { echo "Python 3.11 is needed (make PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python $(LOCK)
	PATH="$(abspath $(BIN)):$$PATH" deploy/install.sh test
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP) compilemessages

# The French and German catalogues (locale/*/LC_MESSAGES/django.po) are compiled here, so a fresh
# clone shows them; GNU msgfmt when installed, else Babel's compiler.
compilemessages: $(STAMP)
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v0; \
	else \
		$(BIN)/pybabel -q compile -d locale -D django --statistics; \
	fi

# Collect new and changed strings into the catalogues (needs GNU gettext).
messages: $(STAMP)
	for lang in fr de; do $(BIN)/python manage.py makemessages -l $$lang --add-location=file \
		--ignore=.venv --ignore=tests --ignore=scripts --ignore=test-artifacts \
		--ignore=staticfiles --ignore=node_modules -v0; done

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
	@# On PostgreSQL the tests about the embedded SQLite database run here, on SQLite.
	@if [ -n "$$DATABASE_URL" ] && [ -z "$(PYTEST_ARGS)" ]; then \
		echo "The tests marked sqlite, on the embedded SQLite database:"; \
		env -u DATABASE_URL $(BIN)/pytest -m sqlite -p no:cacheprovider; \
	fi

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

# Write the lock files again after a pin in pyproject.toml changed.
lock: $(BIN)/python
	for lock in production test; do \
		extra=$$( [ $$lock = test ] && echo --extra=test ); \
		$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
			--no-emit-find-links --annotation-style=line $$extra -o requirements/$$lock.txt pyproject.toml; \
	done

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

bench-import: install
	$(BIN)/python scripts/bench_member_import.py

# Pages and jobs at 1 % and 100 % of the top scale (PostgreSQL from BENCH_DATABASE_URL or
# DATABASE_URL; the first run generates the data, about 8 minutes for the top scale).
bench: install
	$(BIN)/python scripts/bench.py --scales 1 100

# Scheduling the B2B meetings of a large mission: 200 participants, 1,000 accepted requests,
# 2 days x 20 tables (a throwaway database: SQLite, or PostgreSQL from DATABASE_URL).
bench-b2b: install
	$(BIN)/python scripts/bench_b2b.py

# The partner search: precision@10 of planted matches and the time of a search, at 10,000 and
# 100,000 findable members (PostgreSQL from BENCH_DATABASE_URL or DATABASE_URL; the first run
# generates the data). More: scripts/bench_matchmaking.py --members 1000000.
bench-matchmaking: install
	$(BIN)/python scripts/bench_matchmaking.py --members 10000
	$(BIN)/python scripts/bench_matchmaking.py --members 100000
