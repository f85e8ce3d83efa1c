# ticketapp: `make run` serves the app, `make test` runs every test. Both install what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
PY        := $(CURDIR)/$(VENV)/bin/python
NODE_DIR  := $(CURDIR)/.tools/node
PORT      ?= 3000
SUDO      := $(if $(filter 0,$(shell id -u)),,sudo)

export PATH := $(NODE_DIR)/node_modules/.bin:$(CURDIR)/$(VENV)/bin:$(PATH)
export REFLEX_USE_NPM := 1
export REFLEX_TELEMETRY_ENABLED := false
export PORT

.PHONY: audit messages help run test test-unit test-unit-offline test-e2e lint format bench load fault node chromium nginx dovecot install install-test reset-demo clean

help:
	@echo "make run    install, migrate, seed demo data, build and serve on http://localhost:$(PORT)"
	@echo "make test   install test tools and run the whole suite (unit on SQLite+PostgreSQL, browser)"
	@echo "make lint   ruff check + format check"
	@echo "make bench  benchmarks on SQLite and PostgreSQL -> tests/bench/RESULTS.md"
	@echo "make load   50/100/200 websocket clients, 30 s each (LOAD_SECONDS=120 for 2 min)"
	@echo "make fault  fault tests (kill -9 while filing x100; PostgreSQL and Redis restarts; ~12 min)"
	@echo "make test-unit-offline  the service tests with no network but loopback (private servers)"
	@echo "make messages  extract new UI text into the catalogs (ticketapp/i18n/locale) and compile"
	@echo "make audit  known vulnerabilities: pip-audit over the installed Python packages, npm audit"
	@echo "            over the frontend's locked packages (reflex.lock); run it weekly and before a release"
	@echo "make reset-demo  delete the local database and attachments (make run seeds them again)"

$(VENV)/.installed: pyproject.toml
	@echo "==> Python packages into $(VENV)/ (first time: about 80 packages from PyPI)"
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	@echo "==> Test tools into $(VENV)/ (pytest, Playwright, ruff, aiosmtpd)"
	$(PY) -m pip install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Reflex needs Node.js >= 22.22: use the system's when new enough, else a project-local copy
# from the npm registry.
node:
	@if node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a==22&&b>=22)?0:1)' 2>/dev/null; then \
		echo "==> Node.js $$(node --version)"; \
	else \
		echo "==> Node.js 22 into .tools/node (first time: about 30 MB from the npm registry)"; \
		mkdir -p $(NODE_DIR) && npm install --silent --no-audit --no-fund --prefix $(NODE_DIR) node@22 && \
		$(NODE_DIR)/node_modules/.bin/node --version; \
	fi

chromium:
	@command -v chromium >/dev/null || { \
		echo "Installing Debian's chromium for Playwright"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

# nginx: the scale-out browser test runs the shipped reverse-proxy config (ticketapp/deploy/).
nginx:
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { \
		echo "Installing Debian's nginx-light for the scale-out test"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get install -y -qq nginx-light >/dev/null || \
		{ $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nginx-light >/dev/null; }; }

# dovecot: the IMAP polling tests start a private Dovecot on a free port (tests/unit/test_mail_imap.py).
dovecot:
	@test -x /usr/sbin/dovecot || { \
		echo "Installing Debian's dovecot-imapd for the IMAP tests"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get install -y -qq dovecot-imapd >/dev/null || \
		{ $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq dovecot-imapd >/dev/null; }; }

run: install node
	@echo "==> Database: migrations"
	$(PY) -m ticketapp migrate
	@echo "==> Demo data (only into an empty database)"
	TICKETAPP_DEMO=1 $(PY) -m ticketapp seed-demo
	@echo "==> Serving on http://localhost:$(PORT) (Ctrl-C stops); the frontend is built only when it changed"
	TICKETAPP_DEMO=1 $(PY) -m ticketapp serve --loglevel warning

test: install-test node chromium nginx dovecot lint
	$(MAKE) --no-print-directory test-unit
	$(MAKE) --no-print-directory test-e2e

# Playwright (sync) and pytest-asyncio run in separate pytest processes. PostgreSQL and Redis:
# TICKETAPP_TEST_POSTGRES_URL / TICKETAPP_TEST_REDIS_URL (default 127.0.0.1:5432/test, :6379)
# when they answer, else private servers the tests start (tests/servers.py).
test-unit: install-test dovecot
	$(PY) -m pytest tests/unit -q -p no:cacheprovider

# The service tests in a network namespace with only loopback: the machine's own PostgreSQL and
# Redis are out of reach, so this proves a laptop without them passes (private servers).
test-unit-offline: install-test dovecot
	$(PY) -m tests.servers install
	$(SUDO) unshare -n sh -c 'ip link set lo up && exec "$$0" -m pytest tests/unit -q -p no:cacheprovider' $(PY)

test-e2e: install-test node chromium nginx dovecot
	$(PY) -m pytest tests/e2e -q -p no:cacheprovider -m "not redis"
	$(PY) -m pytest tests/e2e -q -p no:cacheprovider -m redis

# The interface languages: extract every msgid from ticketapp/ into the catalogs (new ones
# come in untranslated, changed ones fuzzy), then build what ships (.mo, the browser's catalogs).
messages: install
	$(PY) -m ticketapp.i18n.build update compile

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install-test node
	TICKETAPP_BENCH=1 $(PY) -m pytest tests/bench -q -s -p no:cacheprovider

# N signed-in websocket clients against the production server (LOAD_CLIENTS, LOAD_SECONDS,
# LOAD_ARGS="--postgres --workers 4" for PostgreSQL + Redis + 4 workers).
load: install-test node
	$(PY) -m tests.bench.load_test $(LOAD_ARGS)

# kill -9 during filing, 100 times, then a production server killed and restarted (minutes).
fault: install-test node chromium
	TICKETAPP_FAULT=1 $(PY) -m pytest tests/fault -q -s -p no:cacheprovider

# The demo database and attachments (TICKETAPP_DATA_DIR); the secret key stays.
reset-demo:
	rm -rf data/ticketapp.db data/ticketapp.db-wal data/ticketapp.db-shm data/attachments
	@echo "Removed the local database; the next 'make run' migrates and seeds the demo data again."

clean:
	rm -rf .web .states

# Known vulnerabilities in the dependencies (.ci/audit.sh). pip-audit lives in its own venv,
# so it adds nothing to the app's.
AUDIT_VENV ?= $(CURDIR)/.tools/audit
audit: install node
	@bash .ci/audit.sh $(PY) $(AUDIT_VENV)
