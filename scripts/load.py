#!/usr/bin/env python
"""Load test: N virtual users against a real stack on this machine, then the figures.

    .venv/bin/python scripts/load.py [--users 50] [--duration 60] [--ramp-up SECONDS]
        [--think-time 1.0] [--workers 4] [--threads 4] [--json PATH]
        [--database-url postgres://...] [--redis-url redis://...]

What it does, on loopback only and bounded in time:

1. Prepares a PostgreSQL database (default ``escp_load`` on the local server, created when
   missing; ``--recreate-db`` starts from an empty one): ``migrate``, ``load_demo --password
   P``, then one account per virtual user with password P (the demo coordinator, cluster
   manager and officer, plus ``load-*@load.escp.test`` users with their role assignments:
   two coordinators, two cluster managers and one EC officer in every five users) and a plan
   of what each may see and write.
2. Starts gunicorn (``escp_portal.wsgi:application``) on a free loopback port and a Celery
   worker, both with ``DJANGO_SETTINGS_MODULE=escp_portal.settings.local`` and
   ``DJANGO_DEBUG=false``; waits until ``/health/`` reports the database, broker and worker.
   Their logs go to ``test-artifacts/load-*.log``. They are always stopped at the end (also on
   Ctrl-C, errors and the hard timeout).
3. Runs N threads, each a user with its own ``requests.Session`` (and a second one for its
   API client): logs in through the login form, gets an API token, then browses (home,
   directory with and without filters, a partnership, its scoreboard, members, missions
   calendar, statistics, KPI pages), calls the API (lists with filters) and writes (KPI values
   through the API and the report form for coordinators and responsible cluster managers,
   member edits through the form for cluster managers; officers only read), with a think
   time between steps. Each user starts with one pass over everything its role does, then
   picks at random. At the end each revokes its token and logs out; the KPI values written
   are read back, and the worker's log tells the scoreboard recomputes they caused.
4. Prints one line per page or endpoint (requests, server and connection errors, unexpected
   statuses, p50/p95/max), the totals and the parameters; ``--json`` writes the same figures.

The database and Redis of the environment (``DATABASE_URL``, ``REDIS_URL``) are deliberately
not used: a load test writes, so it takes ``--database-url`` / ``LOAD_DATABASE_URL`` and
``--redis-url`` / ``LOAD_REDIS_URL`` and otherwise its own database and Redis DB 5.
The server runs with its API and login throttles raised (``API_THROTTLE_*``,
``AXES_FAILURE_LIMIT``): the test measures the application, not its rate limits.

Exit status: 0 when no request met a server error (5xx) or a connection error, 1 otherwise,
2 when the stack could not be set up, 3 on the hard timeout, 130 when interrupted.
"""

import sys
from pathlib import Path

# Run as ``python scripts/load.py`` this directory is on sys.path already; not so when the file
# is run another way (``python -m scripts.load``, runpy).
HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from loadtest.run import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(description=__doc__))
