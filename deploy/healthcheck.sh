#!/usr/bin/env bash
# Health checks of the app processes, for compose (and anyone else):
#   healthcheck.sh web     /health/ answers 200 from gunicorn (database up)
#   healthcheck.sh worker  the local worker answers a ping through the broker
#   healthcheck.sh beat    the beat scheduler ticked within the last two minutes
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  web)
    # Plain HTTP inside the network: /health/ is exempt from the HTTPS redirect. The Host is the
    # first allowed one, as the proxy would send it.
    exec python - <<'PY'
import os, sys, urllib.request
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
port = bind.rsplit(":", 1)[-1]
host = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")[0].strip().lstrip(".")
request = urllib.request.Request(f"http://127.0.0.1:{port}/health/", headers={"Host": host})
try:
    with urllib.request.urlopen(request, timeout=5) as response:
        sys.exit(0 if response.status == 200 else 1)
except Exception as exc:
    print(exc, file=sys.stderr)
    sys.exit(1)
PY
    ;;
  worker)
    exec celery -A escp_portal inspect ping --destination "${CELERY_HOSTNAME:-worker@$(hostname)}" --timeout 10
    ;;
  beat)
    heartbeat="${CELERY_BEAT_HEARTBEAT_FILE:-/tmp/celerybeat-heartbeat}"
    [ -n "$(find "$heartbeat" -mmin -2 2>/dev/null)" ] || { echo "beat has not ticked for 2 minutes" >&2; exit 1; }
    ;;
  *)
    echo "usage: $0 web|worker|beat" >&2
    exit 2
    ;;
esac
