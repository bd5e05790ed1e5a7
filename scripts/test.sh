#!/usr/bin/env bash
# Set up everything and run the whole test suite:
#   1. a virtualenv in .venv with Blue Helmet and its test dependencies;
#   2. Debian's chromium for the browser tests (installed with apt when missing; never downloaded);
#   3. the suite on SQLite, then again on PostgreSQL when a server answers on 127.0.0.1:5432
#      (database `test`, trust auth), as on CI.
# Extra arguments go to pytest, e.g. scripts/test.sh -k importers
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"

if [ ! -x /usr/bin/chromium ]; then
    echo "== installing Debian's chromium for the browser tests"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export BLUEHELMET_HOME="$home" BLUEHELMET_JOBS_SYNC=1
unset DATABASE_URL CELERY_BROKER_URL

echo "== test suite on SQLite"
.venv/bin/pytest "$@"

postgres_url=${BLUEHELMET_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}
if .venv/bin/python -c "import psycopg, sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$postgres_url" 2>/dev/null; then
    echo "== test suite on PostgreSQL ($postgres_url)"
    # The browser tests read the same pages; they run once, on SQLite.
    DATABASE_URL="$postgres_url" .venv/bin/pytest -m "not e2e" "$@"
else
    echo "== no PostgreSQL server at $postgres_url: PostgreSQL run skipped"
fi
