# Two entry points for people: `make run` (set up and start the app) and `make test` (set up and run every test).
# For the public: `make serve` (proxy + REPLICAS Streamlit replicas + PostgreSQL, in the background) and `make stop`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup bench lint clean serve stop

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run app.py

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# deploy/stack.py reads REPLICAS, GUIDE_HTTP_PORT, GUIDE_DATABASE_URL, ... from the environment (deploy/README.md).
serve: $(STAMP)
	REPLICAS=$(or $(REPLICAS),2) $(BIN)/python deploy/stack.py up

stop:
	$(if $(wildcard $(BIN)/python),$(BIN)/python,$(PYTHON)) deploy/stack.py down

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_gpx.py --analysis

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache data/*.db
