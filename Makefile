# Two commands: `make run` serves the forum with demo content; `make test` runs the test suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app forum
PORT ?= 5000
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# setuptools prints a boxed "Editable installation" warning for every `pip install -e`: advice
# for packagers, noise here. Only that warning is silenced; errors still show and still fail.
PIP := PYTHONWARNINGS="ignore:Editable installation:UserWarning" $(BIN)/pip
# A step whose output is only worth reading when it fails (then it is shown, and make stops).
quietly = out=$$($(1) 2>&1) || { printf '%s\n' "$$out" >&2; exit 1; }

.PHONY: run dev-server test install install-dev translations lint check-translations clean \
	bench bench-1m load serve test-scaleout

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	@# The setuptools that venv brings along (65.5 with Python 3.11) has known advisories.
	$(PIP) install -q --upgrade pip setuptools

$(VENV)/.installed: $(BIN)/python pyproject.toml
	@echo "Installing Dorpsplein and its dependencies into $(VENV) ..."
	@$(PIP) install -q -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	@echo "Installing test tools into $(VENV) ..."
	@$(PIP) install -q -e '.[dev]'
	@touch $@

# The privacy check's lookup tables (deduce) are built once after install: a few minutes.
$(VENV)/.privacy-built: $(VENV)/.installed
	$(BIN)/python -m forum.privacy --build
	@touch $@

install: $(VENV)/.installed $(VENV)/.privacy-built translations
install-dev: $(VENV)/.installed-dev $(VENV)/.privacy-built translations

# Compiled catalogs (.mo) are build output: made here, never committed.
translations: $(VENV)/.installed
	@$(BIN)/pybabel -q compile -d forum/translations

# The server. Ctrl+C (or a TERM) stops it; the recipe then ends with 0, so make prints no
# "Error 130"/"Interrupt" (GNU make still ends by the same signal: shells show nothing for it).
# Research exports need a pseudonym key that is not the app secret: one for this machine.
SERVE = trap 'exit 0' INT TERM; \
	test -n "$$FORUM_RESEARCH_KEY" || test -s instance/demo-research-key || \
	  (umask 077; $(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > instance/demo-research-key); \
	FORUM_RESEARCH_KEY=$${FORUM_RESEARCH_KEY:-$$(cat instance/demo-research-key)} \
	  $(BIN)/flask --app wsgi run --host 127.0.0.1 --port $(PORT)

run: install
	@$(call quietly,$(FLASK) db upgrade)
	@$(FLASK) demo
	@echo ""
	@echo "Dorpsplein runs at http://127.0.0.1:$(PORT)/ in a few seconds  (stop with Ctrl+C)"
	@echo ""
	@$(SERVE)

# Only the development server, on a database that `make run` set up before (no install, no demo
# data). `make serve` is kept for the production server (gunicorn).
dev-server:
	@$(SERVE)

# The production server: the same install, the database brought up to date, then gunicorn with
# gunicorn.conf.py (workers, timeouts, JSON logs). Settings come from the environment
# (FORUM_ENV=production and the variables it requires, FORUM_WEB_*); see the README.
serve: install
	@$(call quietly,$(FLASK) db upgrade)
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

test: install-dev
	$(BIN)/pytest -q --ignore=tests/browser --ignore=tests/scaleout tests

# Two gunicorn hosts on one fresh PostgreSQL database (from PG_ADMIN_DSN, default the local
# server on 5432) and one private redis-server: sign-in, rate limits, page cache, moderation and
# the mail worker must work across hosts (tests/scaleout). About a minute.
test-scaleout: install-dev
	@command -v redis-server >/dev/null || sudo apt-get install -y redis-server || apt-get install -y redis-server
	$(BIN)/pytest -q tests/scaleout

# Pages as ratios to a minimal Flask page, over HTTP with gunicorn and wrk (bench/http.py).
# Datasets are built once in instance/bench/ and on PostgreSQL (forum_bench_*), then reused.
# BENCH_ARGS passes options, e.g. `make bench BENCH_ARGS=--quick`.
BENCH_ARGS ?=
bench: install
	@command -v wrk >/dev/null || sudo apt-get install -y wrk || apt-get install -y wrk
	$(BIN)/python -m bench.http --size 50k $(BENCH_ARGS)

# The same at 1,000,000 posts, on SQLite (add BENCH_ARGS=--engines=sqlite,postgresql for both).
bench-1m: install
	@command -v wrk >/dev/null || sudo apt-get install -y wrk || apt-get install -y wrk
	$(BIN)/python -m bench.http --size 1m --engines sqlite $(BENCH_ARGS)

# Load and crash tests (bench/load.py): 20 members post through gunicorn (4 workers) for 30 s
# per scenario, on SQLite and PostgreSQL, while the server is killed, the database restarted,
# Redis and the mail server are down; every acknowledged post must be in the database. About
# 9 minutes. LOAD_ARGS passes options, e.g. `make load LOAD_ARGS=--only=kill-sqlite`.
LOAD_ARGS ?=
load: install-dev
	@command -v redis-server >/dev/null || sudo apt-get install -y redis-server || apt-get install -y redis-server
	$(BIN)/python -m bench.load $(LOAD_ARGS)

lint: install-dev
	$(BIN)/ruff check forum tests bench
	$(BIN)/ruff format --check forum tests bench

# Fails when a string in the code has no entry in the English catalog.
check-translations: install-dev
	$(BIN)/pybabel -q extract -F babel.cfg -k _l --ignore-dirs='.* ._' -o /tmp/dorpsplein-messages.pot --no-location .
	$(BIN)/pybabel update -i /tmp/dorpsplein-messages.pot -d forum/translations --check --ignore-pot-creation-date

clean:
	rm -rf $(VENV) *.egg-info
