#!/usr/bin/env bash
# Release step: bring the database schema up to date (one process at a time: compose runs it
# as a one-shot service that web, worker and beat wait for).
set -euo pipefail
cd "$(dirname "$0")/.."
python manage.py migrate --noinput
python manage.py check --deploy --fail-level WARNING
