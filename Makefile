# Two commands for a fresh machine with Python 3 and make:
#   make demo   set up, then run the whole pipeline on the bundled sample
#   make test   set up, then run the test suite (make test-fast: without the slow tests)
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
DEMO_OUT ?= demo-session

.PHONY: setup demo test test-fast bench clean

setup: $(STAMP)

# torch first, pinned to the CPU build, so that transformers does not pull a CUDA build.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[offline-models,test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/session-pipeline run samples/session.ogg --agenda samples/agenda.yaml \
		--out $(DEMO_OUT) --to fr,es --skip-missing-translations

test: $(STAMP)
	$(BIN)/python -m pytest

# Everything but the tests marked slow (real models, killed processes): a quick local loop.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache
