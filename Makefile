# `make reproduce` and `make test` build .venv from requirements.lock first, when it is missing or stale.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CFF_VENV  := .venv-cff
CFF_STAMP := $(CFF_VENV)/.installed
OUT    ?= outputs
PIP_VERSION := 24.3.1
export MPLBACKEND := Agg
export PYTHONHASHSEED := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help reproduce test lab lock env validate notebooks browser axe libreoffice cff clean

help:
	@echo "make reproduce  rebuild every table, figure and report from the shipped data into $(OUT)/"
	@echo "make test       run every test, notebooks included (nbval), on every core (pytest-xdist)"
	@echo "make lab        open JupyterLab on the pinned environment"
	@echo "make notebooks  re-execute the committed notebooks in place (after changing code or data)"
	@echo "make validate   validate the shipped data package with frictionless"
	@echo "make browser    install Debian's chromium for the report's browser test (needs root; skipped when present)"
	@echo "make libreoffice install Debian's LibreOffice Calc (no GUI) for the spreadsheet test (needs root)"
	@echo "make axe        install axe-core (npm, pinned in package-lock.json) for the report's accessibility test"
	@echo "make cff        build the small venv with cffconvert that validates CITATION.cff (make test does it)"
	@echo "make lock       re-resolve the newest versions and rewrite requirements.lock and environment.yml"

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) tools/check_python.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==$(PIP_VERSION)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

env: $(STAMP)

reproduce: $(STAMP)
	$(BIN)/laocai-stats reproduce --out $(OUT)

# Every core for the suite (tests/conftest.py says how the files are grouped), then the tests that hold the code to a
# wall-clock bound, on their own: the suite's parallel work must not slow them down.
test: $(STAMP) $(CFF_STAMP)
	$(BIN)/python -m pytest -n auto --dist loadgroup --no-loadscope-reorder -m "not timed"
	$(BIN)/python -m pytest -m timed tests

# JupyterLab on this machine only (127.0.0.1), so without a token; as root (a container, a lab server) it needs
# --allow-root and opens no browser. The port is fixed (no retries), so the URL printed is the one it serves.
LAB_PORT ?= 8888
LAB_ROOT_FLAGS := $(if $(filter 0,$(shell id -u)),--allow-root --no-browser)
lab: $(STAMP)
	@echo "JupyterLab: http://127.0.0.1:$(LAB_PORT)/lab (no token: it listens on this machine only; Ctrl-C stops it)"
	$(BIN)/jupyter lab --notebook-dir=notebooks --ServerApp.ip=127.0.0.1 --ServerApp.port=$(LAB_PORT) \
	  --ServerApp.port_retries=0 --IdentityProvider.token= --ServerApp.password= $(LAB_ROOT_FLAGS)

# cffconvert validates CITATION.cff (tests/test_citation.py). It needs jsonschema<4 and the environment needs
# jsonschema>=4.18 (jupyter-events, frictionless), so it lives in a venv of its own, pinned in requirements-cff.lock.
$(CFF_STAMP): requirements-cff.lock
	@$(PYTHON) tools/check_python.py
	test -x $(CFF_VENV)/bin/python || $(PYTHON) -m venv $(CFF_VENV)
	$(CFF_VENV)/bin/python -m pip install --quiet --disable-pip-version-check pip==$(PIP_VERSION)
	$(CFF_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-cff.lock
	touch $(CFF_STAMP)

cff: $(CFF_STAMP)

# Re-run the committed notebooks in place; their stored outputs are what this produces.
notebooks: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py

validate: $(STAMP)
	$(BIN)/frictionless validate data/laocai/datapackage.json

# Headless Chromium for tests/test_report_browser.py; Debian's package, installed only when missing.
CHROMIUM ?= /usr/bin/chromium
browser:
	@if [ -x $(CHROMIUM) ]; then echo "chromium: $(CHROMIUM) is installed"; \
	else apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; fi

# LibreOffice Calc without a GUI, for the test that opens the outputs as a spreadsheet user would
# (tests/test_output_files.py); Debian's package, installed only when missing (needs root).
SOFFICE ?= /usr/bin/soffice
libreoffice:
	@if [ -x $(SOFFICE) ]; then echo "libreoffice: $(SOFFICE) is installed"; \
	else apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libreoffice-calc-nogui; fi

# axe-core for the report's accessibility test: npm's package, exactly as package-lock.json pins it (npm ci), into
# node_modules/. Debian's npm is installed first where npm is missing (needs root), as `make browser` does for chromium.
AXE := node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE): package.json package-lock.json
	@command -v npm >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends npm; }
	npm ci --ignore-scripts --no-audit --no-fund
	touch $(AXE)

# Re-resolve from pyproject.toml in a scratch venv, then pin the result in both files.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet pip==$(PIP_VERSION)
	.lock-venv/bin/python -m pip install --quiet -c tools/lock-constraints.txt hatchling editables -e '.[dev]'
	{ echo "# Exact versions of every package in the environment, for Python 3.11.0 or newer on Linux, macOS and Windows"; \
	  echo "# (markers select the platform-only pins; tools/lock_platforms.py). Generated by \`make lock\` from pyproject.toml;"; \
	  echo "# environment.yml carries the same pins (tests/test_environment.py)."; \
	  .lock-venv/bin/pip freeze --exclude-editable | grep -v '^laocai-stats' | .lock-venv/bin/python tools/lock_platforms.py; } > requirements.lock
	.lock-venv/bin/python tools/write_environment_yml.py
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) $(CFF_VENV) node_modules .pytest_cache
