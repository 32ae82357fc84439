# Two commands: `make run` and `make test`. Everything else here is what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := app:create_app
export SOUK_ENV ?= development
PO_FILES := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test setup lint test-js pytest-sqlite pytest-postgres pytest-jobs-redis browser-deps translations extract-messages bench fonts clean

# The app and one job worker on the embedded queue (instance/queue.db); Ctrl-C stops both.
run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask demo --if-empty
	$(BIN)/flask jobs worker --workers 1 --scheduler & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# The SQLite and PostgreSQL passes run side by side, one core each (output shown as each ends):
# one after the other they took 48 minutes of CI; the jobs on Redis follow.
test: setup browser-deps lint test-js
	$(MAKE) --no-print-directory -j2 --output-sync=target pytest-sqlite pytest-postgres
	$(MAKE) --no-print-directory pytest-jobs-redis

setup: $(VENV)/.installed node_modules/.installed $(MO_FILES)

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ --statistics 2>&1 | tail -n 1

# Debian's chromium for the browser tests (never a downloaded browser).
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium poppler-utils >/dev/null; \
	fi

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The field pages' offline queue under node's own test runner, IndexedDB from fake-indexeddb.
test-js: node_modules/.installed
	node --test tests/js/

pytest-sqlite: setup
	$(BIN)/pytest -q

# The whole suite again against the PostgreSQL server (a throw-away database), browser tests
# excepted: they ran in the SQLite pass and drive the same pages.
pytest-postgres: setup
	@url=$$($(BIN)/python -m tests.pg_database create) || { \
	  if [ "$$CI" = "true" ]; then echo "PostgreSQL is unreachable and CI=true" >&2; exit 1; fi; \
	  echo "PostgreSQL unreachable: the PostgreSQL run is skipped outside CI." >&2; exit 0; }; \
	status=0; TEST_DATABASE_URL=$$url $(BIN)/pytest -q -m "not browser" || status=$$?; \
	$(BIN)/python -m tests.pg_database drop "$$url"; exit $$status

# The jobs tests again with real workers on Redis (127.0.0.1:6379) instead of the embedded queue.
pytest-jobs-redis: setup
	@if ! $(BIN)/python -c "import redis; redis.Redis.from_url('$(REDIS_TEST_URL)').ping()" 2>/dev/null; then \
	  if [ "$$CI" = "true" ]; then echo "Redis is unreachable and CI=true" >&2; exit 1; fi; \
	  echo "Redis unreachable: the jobs tests on Redis are skipped outside CI." >&2; exit 0; fi; \
	TEST_QUEUE_URL=$(REDIS_TEST_URL) $(BIN)/pytest -q tests/jobs

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --sort-output app.py core accounts markets booths visitors workshops store report templates
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

# The Arabic font of the pages: Amiri subset to Arabic and basic Latin as woff2 (fonttools).
# After regenerating, update the ?v= of its @font-face in static/css/souk.css.
FIELD_FONT_UNICODES = U+0020-007E,U+00A0,U+00AB,U+00BB,U+060C,U+061B,U+061F,U+0621-063A,U+0640-0652,U+0660-066D,U+0670,U+0679,U+067E,U+0686,U+0688,U+0691,U+0698,U+06A4,U+06A9,U+06AF,U+06BA,U+06BE,U+06C1,U+06CC,U+06D2,U+200C-200F,U+2066-2069
fonts: $(VENV)/.installed
	$(BIN)/pyftsubset static/fonts/Amiri-Regular.ttf --unicodes="$(FIELD_FONT_UNICODES)" --layout-features='*' --flavor=woff2 --output-file=static/fonts/Amiri-Regular-field.woff2
	sha256sum static/fonts/Amiri-Regular-field.woff2 | cut -c1-12

bench: setup
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) node_modules instance/souk.db*
