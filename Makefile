# The two commands of the README: `make run` and `make test`. Each installs what it needs first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test bench install install-test system-test-deps system-run-deps lint clean

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
system-test-deps: system-run-deps
	@if ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium poppler-utils \
	  || { DEBIAN_FRONTEND=noninteractive $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium poppler-utils; }; \
	fi

# Letters: WeasyPrint's Pango libraries, and fonts: Liberation Serif 2 (it covers Vietnamese: Nguyễn),
# DejaVu Serif for anything else.
LETTER_DEPS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 fonts-dejavu-core
system-run-deps:
	@if ! fc-list ':charset=1ec5' family 2>/dev/null | grep -q "Liberation Serif" \
	    || ! fc-list 2>/dev/null | grep -q "DejaVu Serif" \
	    || ! ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0"; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $(LETTER_DEPS) \
	  || { DEBIAN_FRONTEND=noninteractive $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $(LETTER_DEPS); }; \
	fi

# Web server, scheduler and demo data on the embedded SQLite default.
run: install system-run-deps
	$(BIN)/tracker db upgrade
	$(BIN)/tracker seed-demo
	@echo "Open http://$(HOST):$(PORT)/ and log in with one of the demo accounts above."
	$(BIN)/tracker scheduler & sched=$$!; trap 'kill $$sched 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/tracker run --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/deadlines.py
	$(BIN)/python bench/letters.py
	$(BIN)/python bench/reminders.py
	$(BIN)/python bench/board.py

lint: install-test
	$(BIN)/ruff check tracker tests bench

clean:
	rm -rf $(VENV) instance .pytest_cache
