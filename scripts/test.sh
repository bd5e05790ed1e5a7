#!/usr/bin/env bash
# Set up everything and run the whole test suite:
#   1. a virtualenv in .venv with Blue Helmet and its test dependencies (installed with uv, else pip);
#   2. Debian's chromium for the browser tests (installed with apt when missing; never downloaded);
#   3. the checks: ruff (lint and format), the layer contract (import-linter), mypy (strict on
#      the analytics layer), migrations in step with the models;
#   4. the suite on SQLite, then its database tests again on PostgreSQL when a server answers on
#      127.0.0.1:5432 (database `test`, trust auth), as on CI, each on BLUEHELMET_TEST_WORKERS processes
#      (default: one per core, at most 4).
# Prints the time of each phase at the end. Extra arguments go to pytest, e.g.
#   scripts/test.sh -k importers
set -euo pipefail
cd "$(dirname "$0")/.."

phases=()
started=$SECONDS
phase() {
    local now=$SECONDS
    phases+=("$(printf '%-34s %4ds' "$1" $((now - started)))")
    started=$now
}
report() {
    echo "== time by phase"
    printf '   %s\n' "${phases[@]}"
}
trap report EXIT

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
# uv installs the same packages as pip, from the same registry, in a fraction of the time; pip
# stays the fallback where uv cannot be had.
if .venv/bin/python -m pip install --quiet uv && .venv/bin/uv pip install --python .venv/bin/python --quiet -e ".[test]"; then
    :
else
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[test]"
fi

if [ ! -x /usr/bin/chromium ]; then
    echo "== installing Debian's chromium for the browser tests"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
phase "set-up"

home=$(mktemp -d)
trap 'rm -rf "$home"; report' EXIT
export BLUEHELMET_HOME="$home" BLUEHELMET_JOBS_SYNC=1 DJANGO_SETTINGS_MODULE=bluehelmet.settings
unset DATABASE_URL CELERY_BROKER_URL

echo "== checks: ruff, layer contract, mypy, migrations"
.venv/bin/ruff check src tests benchmarks scripts
.venv/bin/ruff format --check src tests benchmarks scripts
.venv/bin/lint-imports --no-cache
.venv/bin/mypy
.venv/bin/python -m django makemigrations --check --dry-run >/dev/null
phase "checks"

workers=${BLUEHELMET_TEST_WORKERS:-$(nproc)}
(( workers > 4 )) && workers=4
parallel=(-n "$workers" --dist loadgroup)
(( workers <= 1 )) && parallel=()

echo "== test suite on SQLite ($workers workers)"
.venv/bin/pytest "${parallel[@]}" "$@"
phase "tests on SQLite"

postgres_url=${BLUEHELMET_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}
if .venv/bin/python -c "import psycopg, sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$postgres_url" 2>/dev/null; then
    echo "== test suite on PostgreSQL ($postgres_url, $workers workers)"
    # Only what the database can change: the tests that use one (--database-tests-only, see
    # tests/conftest.py), without the browser tests and the French crawl, which check how the
    # same pages read and ran on SQLite.
    DATABASE_URL="$postgres_url" .venv/bin/pytest "${parallel[@]}" --database-tests-only -m "not e2e" "$@"
    phase "tests on PostgreSQL"
else
    echo "== no PostgreSQL server at $postgres_url: PostgreSQL run skipped"
fi
