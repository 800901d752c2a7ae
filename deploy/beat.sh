#!/usr/bin/env bash
# Celery beat: the periodic jobs (settings.CELERY_BEAT_SCHEDULE). Exactly one per site. Its
# scheduler touches CELERY_BEAT_HEARTBEAT_FILE on every tick; deploy/healthcheck.sh beat reads it.
set -euo pipefail
cd "$(dirname "$0")/.."
exec celery -A escp_portal beat --loglevel "${CELERY_LOG_LEVEL:-info}" \
  --scheduler escp_portal.beat:HeartbeatScheduler \
  --schedule "${CELERY_BEAT_SCHEDULE_FILE:-/tmp/celerybeat-schedule}"
