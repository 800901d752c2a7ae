#!/usr/bin/env bash
# Build step of a release, run once per image (Dockerfile) or checkout (CI, a host install):
# compile the French and German catalogues and collect the static files with production
# settings, so that every asset gets its hashed name and the manifest the pages read.
# Needs no database, broker or secret: build-only placeholders stand in for the ones the
# production settings insist on, and they never reach a running process.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-escp_portal.settings.production}"
build_env=(
  "DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-build-only-not-a-secret}"
  "DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-localhost}"
  "DATABASE_URL=${DATABASE_URL:-sqlite:////nonexistent/build-only.sqlite3}"
  "REDIS_URL=${REDIS_URL:-redis://build-only.invalid:6379/0}"
)
env "${build_env[@]}" python manage.py compilemessages --ignore=.venv --ignore=node_modules -v0
env "${build_env[@]}" python manage.py collectstatic --noinput --clear -v0
echo "static files collected into $(env "${build_env[@]}" python -c \
  'import django; django.setup(); from django.conf import settings; print(settings.STATIC_ROOT)')"
