# 企业监管警示系统 — the two commands of a fresh clone:
#   make run    first run: installs .venv, starts an embedded PostgreSQL under var/pgdata,
#               migrates, loads reference data and a demo city, serves http://127.0.0.1:8000
#   make test   lint, Django checks, migration check and the whole pytest suite (what CI runs)

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
# Re-install only when pyproject.toml changes (or the venv is gone).
STAMP  := $(VENV)/.installed-from-pyproject
# python3.11 if there is one, else python3 (pyproject asks for >=3.11,<3.12).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)

.PHONY: help install run test lint docs stop-db bench-ingest bench-classify bench-portal bench-draw bench-assessment

help:
	@echo "make install   create $(VENV) and install the project with its dev extras"
	@echo "make run       start the demo site on http://127.0.0.1:8000 (ARGS=--fresh to reload the demo city)"
	@echo "make test      ruff, manage.py check, makemigrations --check, pytest (what .ci/run runs)"
	@echo "make lint      ruff check ."
	@echo "make docs      rewrite the generated tables of docs/feeds.md and docs/rules.md from the code"
	@echo "make stop-db   stop the embedded PostgreSQL that 'make run' left running"
	@echo "make bench-ingest  the ingest benchmark (100,000 subjects; needs DATABASE_URL's server or 127.0.0.1:5432)"
	@echo "make bench-classify  the colour engine benchmark (after bench-ingest; needs Redis on 127.0.0.1:6379)"
	@echo "make bench-portal  the portal under gunicorn + wrk (after bench-classify; needs wrk and Redis)"
	@echo "make bench-draw    a 双随机 draw and its verification over 1,000,000 subjects and 500 inspectors"
	@echo "make bench-assessment  部门考核 of one month over the bench-ingest city (read-only)"
	@echo "                  (figures and targets: docs/benchmarks.md)"

install: $(STAMP)

$(STAMP): pyproject.toml
	@if [ ! -x "$(PY)" ]; then \
		if [ -z "$(PYTHON)" ]; then echo "No python3.11 or python3 on PATH." >&2; exit 1; fi; \
		echo ">> creating $(VENV) with $(PYTHON)"; \
		"$(PYTHON)" -m venv "$(VENV)"; \
	fi
	@echo ">> installing the project and its dev extras into $(VENV)"
	"$(PY)" -m pip install --disable-pip-version-check -q -e '.[dev]'
	@# setuptools leaves its build metadata in the source tree; nothing needs it there.
	@rm -rf build warning_system.egg-info
	@touch "$(STAMP)"

run: $(STAMP)
	"$(PY)" scripts/run.py $(ARGS)

test: $(STAMP)
	bash scripts/test.sh

lint: $(STAMP)
	"$(VENV)/bin/ruff" check .

# DEBUG=true: the development secrets (the documents depend on no setting).
docs: $(STAMP)
	DEBUG=true "$(PY)" manage.py document_contract
	DEBUG=true "$(PY)" manage.py document_rules

stop-db: $(STAMP)
	"$(PY)" scripts/run.py --stop-db

bench-ingest: $(STAMP)
	"$(PY)" bench/ingest/run.py $(ARGS)

bench-classify: $(STAMP)
	"$(PY)" bench/classify/run.py

bench-portal: $(STAMP)
	"$(PY)" bench/portal/run.py $(ARGS)

bench-draw: $(STAMP)
	"$(PY)" bench/draw/run.py $(ARGS)

bench-assessment: $(STAMP)
	"$(PY)" bench/assessment/run.py
