# Two commands set everything up: `make run` and `make test`.
VENV   ?= .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
# What running needs (`make run`), and on top of it the test tools, linters and Ray (`make test`,
# `make bench`, `make lint`): a user who only runs Briefing downloads neither.
STAMP  := $(VENV)/.installed
DEV    := $(VENV)/.installed-dev
GOLDEN := tests/golden/seed.yaml
BRIEFS := tests/golden/briefs.yaml
# The seed's gated questions rephrased (British spelling, instructions, reorderings: assistant/eval/rephrase.py).
VARIANTS := tests/golden/seed-variants.yaml
# Where `make test` and `make eval` write their reports (git-ignored): a test run changes no
# tracked file. `make bench` alone refreshes bench/results (its step `golden`).
REPORTS := reports
REALDOCS := tests/realdocs/corpus
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run test index eval bench lint docs clean test-tools ocr-tools

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@echo "Installing the CPU build of PyTorch first (never the CUDA one)..."
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e .
	@touch $(STAMP)

$(DEV): $(STAMP) pyproject.toml
	$(PY) -m pip install --quiet -e '.[test,ray]'
	@touch $(DEV)

index: $(STAMP) ocr-tools
	$(BIN)/briefing index build

run: index
	$(BIN)/briefing

# The network-silence test traces system calls (tests/test_no_network.py); CI runs as root.
test-tools:
	@command -v strace >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then echo "Installing strace for the network-silence test..."; \
			apt-get update -qq && apt-get install -y -qq strace >/dev/null; \
		else echo "warning: strace is missing (apt-get install strace); the network test will be skipped"; fi; }

# Scanned PDFs and images are read with Tesseract (Debian's tesseract-ocr); without it such
# pages are skipped with a reason that says how to get it.
ocr-tools:
	@command -v tesseract >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then echo "Installing tesseract-ocr for scanned PDFs and images..."; \
			apt-get update -qq && apt-get install -y -qq tesseract-ocr tesseract-ocr-eng >/dev/null; \
		else echo "warning: tesseract-ocr is missing (apt-get install tesseract-ocr); scanned pages will be skipped"; fi; }

test: $(DEV) test-tools ocr-tools
	$(PY) -m pytest -q -m ""
	@mkdir -p $(REPORTS)
	$(BIN)/briefing index build
	$(BIN)/briefing eval $(GOLDEN) --min-evidence 0.95 --min-refusal 1.0 --max-false-refusals 1 \
		--min-hard-refusal 0.8 --json $(REPORTS)/eval-seed.json --markdown $(REPORTS)/eval-seed.md
	$(BIN)/briefing eval $(VARIANTS) --min-evidence 0.95 --min-refusal 1.0 --max-false-refusals 0 \
		--json $(REPORTS)/eval-seed-variants.json --markdown $(REPORTS)/eval-seed-variants.md
	$(BIN)/briefing eval $(BRIEFS) --min-fact-recall 0.9 --min-date-recall 0.9 --min-not-covered 1.0 \
		--min-near-topic 0.9 --min-actor-accuracy 0.9 --max-dangling 0 \
		--min-verbatim 1.0 --json $(REPORTS)/eval-briefs.json --markdown $(REPORTS)/eval-briefs.md
# Real documents nobody here wrote (tests/realdocs/SOURCES.md): answers at issue 34's bar (evidence
# 0.85, no false refusal); the briefs' floor is today's figure, raised as briefs improve.
	$(BIN)/briefing --corpus $(REALDOCS) --index $(REPORTS)/realdocs-index index build
	$(BIN)/briefing --corpus $(REALDOCS) --index $(REPORTS)/realdocs-index eval tests/golden/realdocs.yaml \
		--min-evidence 0.85 --max-false-refusals 0 --min-refusal 1.0 --min-verbatim 1.0 \
		--json $(REPORTS)/eval-realdocs.json --markdown $(REPORTS)/eval-realdocs.md
	$(BIN)/briefing --corpus $(REALDOCS) --index $(REPORTS)/realdocs-index eval tests/golden/realdocs-briefs.yaml \
		--min-fact-recall 0.55 --min-date-recall 0.65 --max-excluded 0 --min-verbatim 1.0 \
		--json $(REPORTS)/eval-realdocs-briefs.json --markdown $(REPORTS)/eval-realdocs-briefs.md

eval: index
	@mkdir -p $(REPORTS)
	$(BIN)/briefing eval $(GOLDEN) --json $(REPORTS)/eval-seed.json --markdown $(REPORTS)/eval-seed.md
	$(BIN)/briefing eval $(VARIANTS) --json $(REPORTS)/eval-seed-variants.json \
		--markdown $(REPORTS)/eval-seed-variants.md
	$(BIN)/briefing eval $(BRIEFS) --json $(REPORTS)/eval-briefs.json --markdown $(REPORTS)/eval-briefs.md

bench: $(DEV)
	$(PY) -m bench run

lint: $(DEV)
	$(BIN)/ruff check assistant tui tests bench scripts/docs.py scripts/docgen
	$(BIN)/mypy
	$(BIN)/mypy scripts/docs.py scripts/docgen

# The generated parts of README.md and docs/ (settings, commands, routes, figures): docs/README.md.
docs: $(DEV)
	$(PY) scripts/docs.py

clean:
	rm -rf $(VENV) index exports $(REPORTS) .pytest_cache .mypy_cache
