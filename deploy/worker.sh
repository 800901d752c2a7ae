#!/usr/bin/env bash
# The Celery worker: scoreboard recomputes, large member imports, emails.
set -euo pipefail
cd "$(dirname "$0")/.."
exec celery -A escp_portal worker --loglevel "${CELERY_LOG_LEVEL:-info}" \
  --concurrency "${CELERY_CONCURRENCY:-2}" --hostname "${CELERY_HOSTNAME:-worker@%h}"
