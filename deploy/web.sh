#!/usr/bin/env bash
# The web process: gunicorn, behind the TLS-terminating proxy (deploy/nginx/escp.conf.template).
set -euo pipefail
cd "$(dirname "$0")/.."
exec gunicorn escp_portal.wsgi:application \
  --bind "${GUNICORN_BIND:-0.0.0.0:8000}" \
  --workers "${GUNICORN_WORKERS:-3}" \
  --timeout "${GUNICORN_TIMEOUT:-60}" \
  --graceful-timeout 30 \
  --max-requests 2000 --max-requests-jitter 200 \
  --access-logfile - \
  --access-logformat '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}i)s'
