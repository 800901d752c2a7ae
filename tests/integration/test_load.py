"""scripts/load.py at small scale: 5 users for 10 s against a real gunicorn, Celery worker,
PostgreSQL and Redis, in a database (``escp_load_ci_<pid>``) and a Redis DB of its own.

No Django database access here: the script prepares and uses its own database through its own
processes, so the test is not marked ``django_db``."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.services import require
from tests.worker_fixtures import _redis_answers

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "load-ci"

pytestmark = pytest.mark.integration

# Every page and endpoint the users' mix covers (five users: two coordinators, two cluster
# managers, one officer).
PAGES = {
    "login_page",
    "login",
    "api_token",
    "home",
    "partnership_list",
    "partnership_list_filtered",
    "partnership_detail",
    "scoreboard",
    "member_list",
    "missions_calendar",
    "statistics",
    "kpi_detail",
    "api_partnerships",
    "api_kpis",
    "api_measurements",
    "api_missions",
    "api_members",
    "api_scoreboard",
    "api_statistics",
    "api_measurement_report",
    "kpi_report_form",
    "member_edit_page",
    "member_edit_form",
    "api_token_revoke",
    "logout",
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Replaces the suite's cache clearing for this module: the test uses no Django cache, and
    clearing it would flush the Redis DB of REDIS_URL, which the script does not use."""
    yield


def _postgres_answers(url: str) -> bool:
    import psycopg2

    admin = urlunsplit(urlsplit(url)._replace(scheme="postgresql", path="/postgres"))
    try:
        psycopg2.connect(admin, connect_timeout=3).close()
    except psycopg2.Error:
        return False
    return True


def _drop_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    name = urlsplit(url).path.lstrip("/")
    admin = urlunsplit(urlsplit(url)._replace(scheme="postgresql", path="/postgres"))
    connection = psycopg2.connect(admin, connect_timeout=10)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
    finally:
        connection.close()


@pytest.fixture
def load_services():
    """The load test's own database (one per run, dropped afterwards, so that two runs on one
    server do not meet) and Redis DB, on the servers of DATABASE_URL and REDIS_URL."""
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    is_postgres = urlsplit(database_url).scheme in ("postgres", "postgresql")
    require(is_postgres and _postgres_answers(database_url), "PostgreSQL (DATABASE_URL)")
    require(bool(redis_url) and _redis_answers(redis_url), "Redis (REDIS_URL)")
    name = f"escp_load_ci_{os.getpid()}"
    database = urlunsplit(urlsplit(database_url)._replace(path=f"/{name}"))
    redis_parts = urlsplit(redis_url)
    db = 7 if redis_parts.path.strip("/") != "7" else 8
    yield database, urlunsplit(redis_parts._replace(path=f"/{db}"))
    _drop_database(database)


def test_five_users_for_ten_seconds_meet_no_server_error(load_services):
    database_url, redis_url = load_services
    figures_path = ARTIFACTS / "load.json"
    figures_path.unlink(missing_ok=True)
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "load.py"),
            "--users",
            "5",
            "--duration",
            "10",
            "--ramp-up",
            "2",
            "--think-time",
            "0.2",
            "--workers",
            "2",
            "--threads",
            "4",
            "--celery-concurrency",
            "2",
            "--recreate-db",
            "--database-url",
            database_url,
            "--redis-url",
            redis_url,
            "--artifacts",
            str(ARTIFACTS),
            "--hard-timeout",
            "150",
            "--json",
            str(figures_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    elapsed = time.monotonic() - started
    print(result.stdout)
    print(result.stderr, file=sys.stderr)
    print(f"load test ran in {elapsed:.0f} s")
    assert result.returncode == 0, f"exit {result.returncode}: see {ARTIFACTS}\n{result.stderr}"

    figures = json.loads(figures_path.read_text())
    totals = figures["totals"]
    assert figures["status"] == "done"
    assert totals["server_errors"] == 0, figures["failures"]
    assert totals["connection_errors"] == 0, figures["failures"]
    assert totals["unexpected"] == 0, figures["failures"]
    assert totals["client_errors"] == 0, figures["failures"]
    assert figures["server_log"]["tracebacks"] == 0, figures["server_log"]
    missing = {name for name in PAGES if figures["pages"].get(name, {}).get("requests", 0) < 1}
    assert not missing, f"never requested: {sorted(missing)}"

    # The CPU of the steady part was read from the real processes: the web processes and
    # PostgreSQL worked for the requests counted between the two readings.
    cpu = figures["cpu"]
    assert cpu["requests"] >= 1
    assert cpu["groups"]["web"]["ms_per_request"] > 0, cpu
    assert cpu["groups"]["postgres"]["core_percent"] > 0, cpu
    assert cpu["requests_per_web_core_s"] > 0, cpu

    # The writes landed: accepted, read back afterwards, and the worker recomputed scoreboards.
    writes = figures["writes"]
    assert writes["accepted"] >= 1
    assert writes["measurements_with_run_note"] >= 1
    assert writes["worker_tasks_succeeded"] >= 1
    assert writes["worker_tasks_failed"] == 0
    assert figures["parameters"]["users"] == 5
    assert figures["parameters"]["roles"] == {
        "coordinator": 2,
        "cluster_manager": 2,
        "ec_officer": 1,
    }
