# The README's two commands: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PY := .venv/bin/python

.PHONY: run test install lint typecheck benchmarks messages

run: install
	$(PY) -m ratusz.devserver

test: install
	bash scripts/test.sh

install: .venv/.installed

.venv/.installed: pyproject.toml requirements.lock
	bash scripts/bootstrap.sh
	touch $@

lint: install
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

typecheck: install
	.venv/bin/mypy ratusz tests benchmarks

benchmarks: install
	$(PY) benchmarks/provision.py && $(PY) benchmarks/migrate.py

messages: install
	$(PY) -m ratusz makemessages -l pl -l en --no-obsolete --ignore '.venv/*' --ignore 'tests/*' --ignore 'benchmarks/*' --ignore '.data/*' --ignore 'test-artifacts/*'
	$(PY) -m ratusz compilemessages --ignore '.venv/*'
