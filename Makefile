# textmine: two commands on a fresh machine.
#   make app   install everything into .venv and open the app on the bundled demo survey
#   make test  install everything and run the tests
# A second run reuses .venv (reinstalled only when pyproject.toml changes).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install app test bench bench-large eval clean system

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# CPU build of torch from the local file first, or pip pulls gigabytes of CUDA packages
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[test]"
	# numba compiles UMAP's and pynndescent's code once per machine, kept in the user's cache (~2-3 min):
	# a first discover of more than 4,096 answers would otherwise pay it, with 0.9 GB more memory
	@echo "Compiling UMAP once for this machine (2-3 minutes)..."
	$(BIN)/python -W ignore -m textmine.discovery.clustering
	touch $(STAMP)

install: $(STAMP)

app: install
	$(BIN)/python app_gradio.py

# Debian's chromium for the browser tests (Playwright drives it; no browser download) and
# LibreOffice to open the exported slides, documents and workbooks (and pdftoppm for
# docs/export_pictures.py); installed once, when missing.
system:
	@command -v chromium >/dev/null 2>&1 && command -v soffice >/dev/null 2>&1 && command -v localc >/dev/null 2>&1 || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	  chromium libreoffice-impress libreoffice-writer libreoffice-calc poppler-utils; }

test: install system
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python -m benchmarks.bench

# discover at 100,000 answers (about an hour on two cores): wall, CPU, peak memory, embedding rate
bench-large: install
	$(BIN)/python -m benchmarks.bench --scale 100000

eval: install
	$(BIN)/python -m benchmarks.eval

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
