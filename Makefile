# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
DEMO_DB ?= demo.db

.PHONY: demo test install venv bench-speed eval clean

$(VENV)/.installed: pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (Python 3.11); set PYTHON=... to another 3.11+ interpreter"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c constraints.txt -e '.[test]'
	@touch $@

install: $(VENV)/.installed

HOST ?= 127.0.0.1
PORT ?= 8000

demo: install
	rm -f $(DEMO_DB)
	-$(VENV)/bin/eventwire ingest examples/ --db $(DEMO_DB) --quiet
	$(VENV)/bin/eventwire events --db $(DEMO_DB) --limit 20
	@echo
	@echo "Open http://$(HOST):$(PORT)/ in a browser (Ctrl-C stops the server)."
	$(VENV)/bin/eventwire serve --db $(DEMO_DB) --host $(HOST) --port $(PORT)

test: install
	$(VENV)/bin/pytest -q

eval: install
	$(VENV)/bin/eventwire eval ../shared/bench/dev/*.gold.jsonl

bench-speed: install
	$(PY) bench/extract_speed.py --markdown docs/speed.md

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info $(DEMO_DB)
