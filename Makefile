# Two commands for a fresh machine (Python 3.11, and headless Chromium, which they install when missing):
#   make book   builds the site into _build/html (one build per language, _build/html/ko and /en),
#               with each language's PDF of the book
#   make test   runs every test, re-executing every notebook of both languages with nbval
# Both create .venv and install the pinned requirements first. More in README.md.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready
AXE    := tests/browser/node_modules/.installed

.PHONY: book test chromium node record seeds benchmark compare clean

# Both languages' Jupyter Book builds (warnings are errors), the root page, and each language's PDF
# (its single-page build printed by headless Chromium): tools/build_site.py
book: $(READY) chromium
	$(BIN)/python tools/build_site.py

test: $(READY) chromium $(AXE)
	$(BIN)/python tools/run_tests.py $(ARGS)

# The book's PDFs and the browser test need headless Chromium; on Debian (as root) it is installed here.
chromium:
	@{ command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; } || { \
	  echo "Installing Debian's chromium for the book's PDFs and the browser test ..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || { \
	  echo "make book and make test need headless Chromium: apt-get install chromium (as root)"; exit 1; }

# The search test runs the site's search code in Node.js; the browser test loads axe-core, pinned in
# tests/browser/package-lock.json and installed with npm (node_modules/ stays out of git).
node:
	@{ command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; } || { \
	  echo "Installing Debian's nodejs and npm for the search and accessibility tests ..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; } || { \
	  echo "make test needs Node.js and npm: apt-get install nodejs npm (as root)"; exit 1; }

$(AXE): tests/browser/package.json tests/browser/package-lock.json | node
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	touch $@

# make record NB="chapters/ko/data.ipynb chapters/en/data.ipynb"
record: $(READY)
	$(BIN)/python tools/record.py $(NB)

$(READY): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	# Build matplotlib's font cache now, so no notebook prints "building the font cache".
	$(BIN)/python -c "import matplotlib.pyplot, koreanize_matplotlib"
	touch $@

clean:
	rm -rf _build

# Not part of the tests. make seeds NB=chapters/en/5-3-improving-fit.ipynb SEEDS="1 2 3 4 5"
seeds: $(READY)
	$(BIN)/python tools/seed_study.py $(NB) --seeds $(SEEDS)

# Not part of the tests; run on a quiet machine. make benchmark [NB="chapters/en/X.ipynb ..."]
benchmark: $(READY)
	$(BIN)/python tools/benchmark.py $(NB)

# Did a run reproduce the book? make compare REF=chapters/en/5-3-improving-fit.ipynb RUN=my-run.ipynb
# Exit 0 when the outputs hold (words exact, hardware-dependent numbers within each cell's tolerance).
compare: $(READY)
	$(BIN)/python tools/compare_outputs.py $(REF) $(RUN)

# ---- Publishing and staying runnable (PUBLISHING.md) -------------------------------------------
.PHONY: venv publish-check binder-check downloads pdf

# Only the set-up that `make book` and `make test` do first (the drift workflow starts from it).
venv: $(READY)

# Exit 1 with one line saying what to set while _config.yml's repository.url is the placeholder;
# the pages workflow runs it before it builds.
publish-check: $(READY)
	$(BIN)/python tools/check_publishing.py

# Not part of the tests: each notebook as a Binder reader runs it (fresh venv from requirements.txt,
# postBuild, alone in an empty folder, 2 GB memory cap). make binder-check [NB="chapters/en/data.ipynb"]
binder-check: $(READY)
	$(BIN)/python tools/binder_check.py $(NB)

# Each language's notebooks (and requirements.txt) as one zip in the built site, linked from the
# landing pages: _build/html/{ko,en}/downloads/notebooks-{ko,en}.zip. `make book` writes them too.
downloads: $(READY)
	$(BIN)/python tools/make_downloads.py

# Each language's book as one PDF in the built site, linked from the landing pages:
# _build/html/{ko,en}/downloads/book-{ko,en}.pdf (tools/make_pdf.py: the single-page build, printed by
# headless Chromium offline, nothing executed). `make book` writes them too; this rewrites them alone.
pdf: $(READY) chromium
	$(BIN)/python tools/make_pdf.py
