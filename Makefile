# Two commands for a new user: `make run` (the web app and the API on SQLite with demo data, tasks in-process)
# and `make test` (the whole suite). Both create the virtualenv on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The suite runs on every core (pytest-xdist; a worker that runs out takes tests queued for the
# other, so a few long tests at the end do not keep one core busy alone); PYTEST_ARGS="" runs serially.
PYTEST_ARGS ?= -n auto --dist worksteal

.PHONY: run test install migrate schema schema-check client-check bench worker beat clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

# The demo only: MARAC_DEMO=1 raises the per-address login budget (every demo login comes
# from 127.0.0.1; the deploy check refuses it), and runserver's notice that it is a
# development server is left out (the README's production section runs gunicorn).
run: export MARAC_DEMO := 1
run: export DJANGO_RUNSERVER_HIDE_WARNING := true
run: migrate
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py run_daily_sweep
	@echo ""
	@echo "Web app: http://127.0.0.1:$(PORT)/  (sign in with a demo login above, password marac-demo-2026)"
	@echo "API:     http://127.0.0.1:$(PORT)/api/v1/  (a token: POST /api/v1/auth/token/, see the README)"
	@echo "API docs: http://127.0.0.1:$(PORT)/api/v1/docs/"
	@echo "Another port: make run PORT=8123.  Stop: Ctrl-C."
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

schema: install
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file openapi.yaml

schema-check: install
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file $(VENV)/openapi.generated.yaml
	diff -u openapi.yaml $(VENV)/openapi.generated.yaml

# A client generated from openapi.yaml (openapi-python-client) without a warning, importing.
client-check: install
	PY=$(BIN)/python bash .ci/client-check

bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

worker: install
	$(BIN)/celery -A marac worker --loglevel=INFO

beat: install
	$(BIN)/celery -A marac beat --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
