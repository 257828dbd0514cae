# Two commands do all the set-up on a fresh machine:
#   make demo   run the whole flow on embedded defaults (no Kafka, no AWS account)
#   make test   the whole test suite (starts a local Kafka broker and stops it after)
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
KAFKA_PORT ?= 19092
KAFKA_DATA ?= $(CURDIR)/.notifier/kafka-test
export KAFKA_PORT KAFKA_DATA
# Tool caches (pytest, ruff, mypy) live outside the tree: `make test` leaves git status clean.
CACHE_DIR ?= $(or $(TMPDIR),/tmp)/pickup-notifier-cache
export RUFF_CACHE_DIR := $(CACHE_DIR)/ruff
export MYPY_CACHE_DIR := $(CACHE_DIR)/mypy

.PHONY: install demo test lint typecheck clean-install bench train eval clean browser

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev,rocksdb]"
	touch $@

install: $(VENV)/.installed

demo: install
	$(VENV)/bin/notifier demo

# Debian's chromium renders the HTML report in the browser test.
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

# What CI runs (.ci/run): lint and types, the clean-install check, then the whole suite.
test: lint typecheck clean-install browser
	@rm -rf "$(KAFKA_DATA)"
	deploy/kafka/broker.sh start
	KAFKA_BOOTSTRAP=127.0.0.1:$(KAFKA_PORT) $(PY) -m pytest -q -o cache_dir="$(CACHE_DIR)/pytest"; \
	  status=$$?; deploy/kafka/broker.sh stop; exit $$status

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# mypy over notifier/ (strict where pyproject's [tool.mypy] overrides say).
typecheck: install
	$(VENV)/bin/mypy

# The wheel, installed without extras into a fresh venv outside the repo, runs `notifier`.
clean-install:
	PYTHON=$(PYTHON) .ci/clean-install.sh

bench: install
	$(PY) bench/segment.py
	$(PY) bench/match.py
	$(PY) bench/reverse_index.py
	$(PY) bench/send.py --seconds 60
	$(PY) bench/tracking.py
	deploy/kafka/broker.sh start && $(PY) bench/stream.py; status=$$?; deploy/kafka/broker.sh stop; exit $$status

train: install
	$(PY) -m nlp.train

eval: install
	$(PY) -m nlp.evaluate
	$(PY) bench/matching/evaluate.py

clean:
	rm -rf $(VENV) .notifier build dist *.egg-info test-artifacts
