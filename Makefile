# Vigie: `make run` starts everything on the bundled exercise; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: run test lint collectors bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(DEVSTAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP) $@

run: $(STAMP)
	$(PY) -m streamlit run app.py

test: $(DEVSTAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest -q -p no:cacheprovider

lint: $(DEVSTAMP)
	$(PY) -m ruff check .

collectors: $(STAMP)
	$(PY) -m collectors

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
