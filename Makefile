# The project's verbs. Every target sets up .venv first (idempotent).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= reports

FUZZ_SECONDS ?= 600
FUZZ_CORPUS  ?= .fuzz-corpus

.PHONY: setup report test bench lab fuzz clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name policycheck --display-name "Python (policycheck)" >/dev/null
	touch $(STAMP)

## run the main job on the sample documents in data/, writing reports/
report: setup
	$(BIN)/policycheck report data/samples --out $(OUT)

## run the whole test suite
test: setup
	$(BIN)/python -m pytest

## speed and memory benchmarks (print ratios)
bench: setup
	$(BIN)/python -m benchmarks

## fuzz documents.load + figures.extract (atheris) for FUZZ_SECONDS; crashes land in ./crash-*
fuzz: setup
	$(BIN)/python tests/fuzz/load_extract.py -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 \
		-timeout=60 $(FUZZ_CORPUS)

## JupyterLab with the project's kernel and notebooks
lab: setup
	$(BIN)/jupyter lab notebooks

clean:
	rm -rf $(VENV) $(OUT)
