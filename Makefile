# The two commands a newcomer needs: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

# JupyterLab refuses root unless told; containers (Binder excepted) often run as root
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
# zarr-python's own suite on zarrnb (docs/compatibility.md): fewest passes accepted, pinned from the last run
ZARR_SUITE_MIN_PASSED ?= 5300

.PHONY: test demo lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[all,test,bench,demo]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check zarrnb tests benchmarks

test: $(STAMP) lint
	$(BIN)/python -m pytest tests -p no:cacheprovider -n 2 -m "not browser"
	$(BIN)/python -m pytest tests -p no:cacheprovider -m browser
	$(BIN)/python -m pytest notebooks --nbval --nbval-current-env \
	    --nbval-sanitize-with notebooks/sanitize.cfg -p no:cacheprovider
	$(BIN)/python -m zarrnb.compat.suite --min-passed $(ZARR_SUITE_MIN_PASSED)

demo: $(STAMP)
	$(BIN)/python -m zarrnb.demo build-sample sample-data
	$(BIN)/jupyter lab --ip=127.0.0.1 --no-browser $(ROOT_FLAG) \
	    --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate --LabApp.news_url=None \
	    --ServerApp.root_dir=notebooks --LabApp.default_url=/lab/tree/00-tour.ipynb \
	    --LabApp.app_settings_dir=$(CURDIR)/jupyter/lab-settings

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) build *.egg-info
