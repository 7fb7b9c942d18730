# The single entry point: `make run` serves the demo, `make test` runs every check.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/unionplan
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run setup test test-sqlite test-postgres lint audit-deps browser-deps pg-client lock bench surge clean

$(BIN)/.installed: requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(BIN)/.installed node_modules/.installed

# The demo shows the 2022 plan as it stood mid-year; unset DEMO_TODAY= for the real date.
DEMO_TODAY ?= 2022-07-20

run: setup
	$(BIN)/python manage.py migrate --noinput
	UNIONPLAN_TODAY=$(DEMO_TODAY) $(BIN)/python manage.py seed_demo
	@echo "工会专案通: http://127.0.0.1:8000  (Ctrl-C 停止)"
	@# Long work (bulletins, reminder runs) goes to a task worker beside the server, on the same
	@# SQLite file: started here, stopped when the server stops (Ctrl-C, or any other end).
	UNIONPLAN_TODAY=$(DEMO_TODAY) $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	UNIONPLAN_TODAY=$(DEMO_TODAY) $(BIN)/python manage.py runserver 127.0.0.1:8000

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -c pyproject.toml -r .

# Known vulnerabilities in the pinned packages, when PyPI's vulnerability data answers (CI).
audit-deps: setup
	@if $(BIN)/python scripts/vulndb_reachable.py; then \
	  $(BIN)/pip-audit --strict -r requirements.lock --no-deps --disable-pip --progress-spinner off; \
	else echo "pip-audit: PyPI's vulnerability data is not reachable from here; the lock file was not audited."; fi

# Debian's Chromium and a CJK font for the browser tests; installed when missing and we are root.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages chromium and fonts-noto-cjk for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else \
	    echo "NOTE: browser tests need 'apt-get install chromium fonts-noto-cjk' (run as root); they are skipped until then."; \
	  fi; \
	fi

# pg_dump and pg_restore for `manage.py backup` and its tests on PostgreSQL; installed when
# missing and we are root.
pg-client:
	@if ! command -v pg_dump >/dev/null || ! command -v pg_restore >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian package postgresql-client for the backup tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null; \
	  else \
	    echo "NOTE: backup tests on PostgreSQL need 'apt-get install postgresql-client' (run as root); they are skipped until then."; \
	  fi; \
	fi

test: setup lint browser-deps pg-client test-sqlite test-postgres

# pytest-xdist: one worker per core, each with its own test database (test_<name>_gw0, ...).
TEST_WORKERS ?= auto
test-sqlite:
	DATABASE_URL= $(BIN)/pytest -n $(TEST_WORKERS)

# Runs when PostgreSQL answers (DATABASE_URL, or the local server); in CI it must answer.
test-postgres:
	@url="$${DATABASE_URL:-$(PG_URL)}"; \
	if $(BIN)/python scripts/db_reachable.py "$$url"; then \
	  echo "== PostgreSQL: $$url"; DATABASE_URL="$$url" $(BIN)/pytest -n $(TEST_WORKERS); \
	elif [ -n "$$CI" ]; then echo "PostgreSQL is not reachable in CI: $$url"; exit 1; \
	else echo "PostgreSQL not reachable at $$url: skipped the PostgreSQL run."; fi

# Re-resolve requirements.in into the pinned lock file.
lock:
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements.lock requirements.in
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements-locust.txt requirements-locust.in

# Dashboards at 1,000 synthetic units timed against hand-written SQL (docs/benchmarks.md): on
# SQLite (var/bench.sqlite3), then on PostgreSQL (database unionplan_bench) when it answers.
# Then a province's chain of plans (about 10,000 units, BENCH_PROVINCE=0 leaves it out) in the
# same database, and both timed with the other present.
BENCH_UNITS ?= 1000
BENCH_PROVINCE ?= 1
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/unionplan_bench
bench: setup
	@mkdir -p var
	@for url in sqlite:///var/bench.sqlite3 $(BENCH_PG_URL); do \
	  case "$$url" in postgres*) \
	    if ! $(BIN)/python scripts/db_reachable.py "$$url"; then \
	      echo "PostgreSQL not reachable at $$url: skipped."; continue; fi; \
	    $(BIN)/python -m bench.database "$$url" || exit 1;; \
	  esac; \
	  echo "== $$url"; \
	  DATABASE_URL="$$url" $(BIN)/python manage.py migrate --noinput -v 0 && \
	  DATABASE_URL="$$url" $(BIN)/python manage.py gen_bench_data --units $(BENCH_UNITS) && \
	  if [ "$(BENCH_PROVINCE)" = 1 ]; then \
	    DATABASE_URL="$$url" $(BIN)/python manage.py gen_bench_data --province; fi && \
	  DATABASE_URL="$$url" $(BIN)/python -m bench.run && \
	  if [ "$(BENCH_PROVINCE)" = 1 ]; then \
	    DATABASE_URL="$$url" $(BIN)/python -m bench.run --province; fi || exit 1; \
	done
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-bench.txt && BENCH_PG_URL=$(BENCH_PG_URL) $(BIN)/python -m bench.records

# The deadline-day surge (docs/benchmarks.md): SURGE_USERS reporters log in, fill in and submit
# what is due on 5 May 2022 through gunicorn on this machine, driven by locust; then every
# submission the server acknowledged is looked up in the database and the audit log. On SQLite
# (var/surge.sqlite3), then on PostgreSQL (database unionplan_surge) when it answers; each run
# starts from a fresh database. Not part of `make test`.
SURGE_USERS ?= 300
SURGE_PG_URL ?= postgres://postgres@127.0.0.1:5432/unionplan_surge
LOCUST_VENV := .venv-locust

$(LOCUST_VENV)/.installed: requirements-locust.txt
	test -x $(LOCUST_VENV)/bin/python || $(PYTHON) -m venv $(LOCUST_VENV)
	$(LOCUST_VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-locust.txt
	touch $@

surge: setup $(LOCUST_VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-surge.txt
	@mkdir -p var
	@status=0; for url in sqlite:///var/surge.sqlite3 $(SURGE_PG_URL); do \
	  case "$$url" in postgres*) \
	    if ! $(BIN)/python scripts/db_reachable.py "$$url"; then \
	      echo "PostgreSQL not reachable at $$url: skipped."; continue; fi;; \
	  esac; \
	  echo "== $$url"; \
	  $(BIN)/python -m bench.surge --database "$$url" --users $(SURGE_USERS) \
	    --locust $(LOCUST_VENV)/bin/locust || status=1; \
	done; exit $$status

clean:
	rm -rf $(VENV) $(LOCUST_VENV) node_modules staticfiles .pytest_cache
