#!/usr/bin/env bash
# The web process: gunicorn, behind the TLS-terminating proxy (deploy/nginx/escp.conf.template).
# Workers x threads, chosen with scripts/load.py on a 2-core machine (README, "Capacity"): one
# single-threaded (sync) process per core and one more served the most requests at the lowest
# latency; threads in a process only contend for its interpreter lock on this CPU-bound work.
# The proxy in front buffers slow clients, which a sync worker must not wait on.
set -euo pipefail
cd "$(dirname "$0")/.."
workers_default=$(( $(nproc) + 1 ))
access_log=()
if [ "${GUNICORN_ACCESS_LOG:-on}" != "off" ]; then
  access_log=(--access-logfile - --access-logformat
    '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}i)s')
fi
exec gunicorn escp_portal.wsgi:application \
  --bind "${GUNICORN_BIND:-0.0.0.0:8000}" \
  --workers "${GUNICORN_WORKERS:-$workers_default}" \
  --threads "${GUNICORN_THREADS:-1}" \
  --keep-alive "${GUNICORN_KEEPALIVE:-5}" \
  --timeout "${GUNICORN_TIMEOUT:-60}" \
  --graceful-timeout 30 \
  --max-requests 2000 --max-requests-jitter 200 \
  "${access_log[@]}"
