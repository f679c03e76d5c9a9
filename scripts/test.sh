#!/usr/bin/env bash
# The whole test suite: linters, type checks, migration and translation checks, then pytest
# (against a real PostgreSQL and Redis, browser tests included). `make test` runs this.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"

step() { printf '\n== %s\n' "$*"; }

wait_for() {  # name, check command, start command
  local name=$1 check=$2 start=$3
  if eval "$check" >/dev/null 2>&1; then return 0; fi
  echo "$name does not answer; starting it"
  eval "$start" >/dev/null 2>&1 || true
  for _ in $(seq 1 60); do
    if eval "$check" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "$name is not reachable; the tests need it (see README: Testing)." >&2
  exit 1
}

step "services"
wait_for PostgreSQL "python scripts/probe.py postgres" \
  'pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start'
wait_for Redis "python scripts/probe.py redis" \
  'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no'
if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium for the browser tests"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi

step "ruff"
ruff check .
ruff format --check .

step "mypy"
mypy

step "import rules"
lint-imports --no-cache

step "migrations"
DJANGO_SETTINGS_MODULE=ratusz.settings.test python -m ratusz makemigrations --check --dry-run

step "translations"
for po in ratusz/locale/*/LC_MESSAGES/django.po; do msgfmt --check-format -o /dev/null "$po"; done

step "pytest"
status=0
python -m pytest "$@" || status=$?
exit $status
