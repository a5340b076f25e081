# The two commands of the README: `make run` and `make test`. Each installs what it needs first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
AXE    := tests/browser/axe/node_modules/axe-core/axe.min.js

.PHONY: run test bench install install-test system-test-deps system-run-deps lint clean axe
.PHONY: system-ocr-deps

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
install-test: $(VENV)/.installed-test system-test-deps $(AXE)

# Browser tests drive Debian's Chromium; PDFs are read back with poppler's pdftotext as well as pypdf;
# mail tests start their own Dovecot IMAP server on loopback.
# the accessibility checks run axe-core, installed from npm into tests/browser/axe (Debian's nodejs and npm).
system-test-deps: system-run-deps
	@if ! command -v npm >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q nodejs npm \
	  || { DEBIAN_FRONTEND=noninteractive $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q nodejs npm; }; \
	fi
	@if ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null \
	    || ! { command -v dovecot >/dev/null || test -x /usr/sbin/dovecot; }; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium poppler-utils dovecot-imapd \
	  || { DEBIAN_FRONTEND=noninteractive $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium poppler-utils dovecot-imapd; }; \
	fi

# Letters: WeasyPrint's Pango libraries, and fonts: Liberation Serif 2 (it covers Vietnamese: Nguyễn),
# DejaVu Serif for anything else, Noto Serif CJK for Chinese, Japanese and Korean.
LETTER_DEPS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 fonts-dejavu-core fonts-noto-cjk
system-run-deps:
	@if ! fc-list ':charset=1ec5' family 2>/dev/null | grep -q "Liberation Serif" \
	    || ! fc-list 2>/dev/null | grep -q "DejaVu Serif" \
	    || ! fc-list 2>/dev/null | grep -q "Noto Serif CJK" \
	    || ! ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0"; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $(LETTER_DEPS) \
	  || { DEBIAN_FRONTEND=noninteractive $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $(LETTER_DEPS); }; \
	fi

# Documents: OCR of scanned pages and images with ocrmypdf and tesseract (English); run and test both need it.
OCR_DEPS := tesseract-ocr tesseract-ocr-eng ocrmypdf
system-run-deps: system-ocr-deps
system-ocr-deps:
	@if ! command -v ocrmypdf >/dev/null || ! command -v tesseract >/dev/null \
	    || ! tesseract --list-langs 2>/dev/null | grep -qx eng; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $(OCR_DEPS) \
	  || { DEBIAN_FRONTEND=noninteractive $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $(OCR_DEPS); }; \
	fi

# Web server, scheduler and demo data on the embedded SQLite default.
run: install system-run-deps
	$(BIN)/tracker db upgrade
	$(BIN)/tracker seed-demo
	@echo "Open http://$(HOST):$(PORT)/ and log in with one of the demo accounts above."
	$(BIN)/tracker scheduler & sched=$$!; trap 'kill $$sched 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/tracker run --host $(HOST) --port $(PORT)

# axe-core for the browser tests' accessibility checks: from the npm registry, pinned in package-lock.json.
$(AXE): tests/browser/axe/package.json tests/browser/axe/package-lock.json | system-test-deps
	cd tests/browser/axe && npm ci --no-audit --no-fund --loglevel=error
	touch $@

axe: $(AXE)

test: install-test
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/deadlines.py
	$(BIN)/python bench/letters.py
	$(BIN)/python bench/reminders.py
	$(BIN)/python bench/board.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/ocr.py
	$(BIN)/python bench/mail.py
	$(BIN)/python bench/proposals.py

# Style (ruff) and the layering of DESIGN.md (import-linter's contracts in pyproject.toml).
lint: install-test
	$(BIN)/ruff check tracker tests bench
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) instance .pytest_cache tests/browser/axe/node_modules

# Mutation testing (not in CI: slow on two cores). One module: `make mutation MODULES=csv-guard`; all of them
# in turn: `make mutation`. Prints the kill rate per module and the survivors (SHOW=--diff shows each change).
.PHONY: mutation mutation-report
mutation: install-test
	$(BIN)/python bin/mutation run $(MODULES) $(SHOW) $(FRESH)

mutation-report:
	$(BIN)/python bin/mutation report $(MODULES) $(SHOW)
