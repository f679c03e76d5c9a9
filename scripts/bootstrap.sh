#!/usr/bin/env bash
# Creates .venv with Python 3.11 and installs Ratusz with the pinned versions of requirements.lock.
set -euo pipefail
cd "$(dirname "$0")/.."
python=""
for candidate in python3.11 python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    python="$candidate"; break
  fi
done
[ -n "$python" ] || { echo "Ratusz needs Python 3.11 (python3.11 or python3 on PATH)." >&2; exit 1; }
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
