# The two commands of the README: `make run` and `make test`. Each installs what it needs first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test bench install install-test system-test-deps lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test system-test-deps

# Browser tests drive Debian's Chromium; PDFs are read back with poppler's pdftotext as well as pypdf.
system-test-deps:
	@if ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium poppler-utils \
	  || { DEBIAN_FRONTEND=noninteractive $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium poppler-utils; }; \
	fi

# Web server, scheduler and demo data on the embedded SQLite default.
run: install
	$(BIN)/tracker db upgrade
	$(BIN)/tracker seed-demo
	@echo "Open http://$(HOST):$(PORT)/ and log in with one of the demo accounts above."
	$(BIN)/tracker scheduler & sched=$$!; trap 'kill $$sched 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/tracker run --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/deadlines.py

lint: install-test
	$(BIN)/ruff check tracker tests bench

clean:
	rm -rf $(VENV) instance .pytest_cache
