"""The database: created when missing, migrated, filled with the demo and the accounts."""

import contextlib
import json
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

from .accounts import SETUP_CODE
from .config import DEMO_EMAILS, ROLE_CYCLE, ROOT


class SetupError(Exception):
    pass


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def ensure_database(database_url: str, recreate: bool) -> str:
    """Create the PostgreSQL database when missing (drop it first with ``recreate``)."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(database_url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SetupError(f"--database-url must be PostgreSQL, not {parts.scheme}")
    name = parts.path.lstrip("/")
    if not name:
        raise SetupError("--database-url names no database")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    try:
        connection = psycopg2.connect(admin, connect_timeout=10)
    except psycopg2.Error as exc:
        raise SetupError(f"cannot reach PostgreSQL at {redact(admin)}: {exc}".strip()) from exc
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            if recreate:
                force = sql.SQL(" WITH (FORCE)") if connection.server_version >= 130000 else None
                statement = sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
                cursor.execute(statement + force if force else statement)
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return "existing"
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return "created"
    except psycopg2.Error as exc:
        raise SetupError(f"cannot create the database {name}: {exc}".strip()) from exc
    finally:
        connection.close()


def service_identities(database_url: str, redis_url: str) -> dict:
    """When PostgreSQL started and which Redis process answers: compared before and after the
    run, they tell whether something restarted a service under the load (a shared machine)."""
    import psycopg2
    import redis

    found = {"postgres_started_at": None, "redis_run_id": None}
    with contextlib.suppress(psycopg2.Error):
        connection = psycopg2.connect(
            urlunsplit(urlsplit(database_url)._replace(scheme="postgresql")), connect_timeout=5
        )
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_postmaster_start_time()")
                found["postgres_started_at"] = cursor.fetchone()[0].isoformat()
        finally:
            connection.close()
    with contextlib.suppress(redis.RedisError):
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=2)
        found["redis_run_id"] = client.info("server").get("run_id")
    return found


def run_step(command: list[str], env: dict, log, timeout: float, what: str) -> str:
    log.write(f"\n$ {' '.join(command)}\n")
    log.flush()
    result = subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    log.write(result.stdout)
    log.write(result.stderr)
    log.flush()
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-15:]
        raise SetupError(f"{what} failed (exit {result.returncode}):\n  " + "\n  ".join(tail))
    return result.stdout


def prepare(args, server_env: dict, setup_log_path: str) -> dict:
    """The database, the demo, the accounts; answers the plan of the users."""
    python = sys.executable
    # Tasks run in-process here (no REDIS_URL): the demo's scoreboards are ready at once.
    # The local settings (DEBUG off) whatever the server's: setup needs no proxy, static files
    # or broker.
    setup_env = {k: v for k, v in server_env.items() if k != "REDIS_URL"}
    setup_env["DJANGO_SETTINGS_MODULE"] = "escp_portal.settings.local"
    with open(setup_log_path, "w") as log:
        state = ensure_database(args.database_url, args.recreate_db)
        print(f"Database {redact(args.database_url)}: {state}", flush=True)
        if not args.skip_setup:
            print("migrate, load_demo ...", flush=True)
            migrate = [python, "manage.py", "migrate", "--noinput"]
            run_step(migrate, setup_env, log, 600, "migrate")
            demo = [python, "manage.py", "load_demo", "--password", args.password]
            run_step(demo, setup_env, log, 600, "load_demo")
        spec = {
            "users": args.users,
            "password": args.password,
            "roles": ROLE_CYCLE,
            "demo_emails": DEMO_EMAILS,
            "domain": "load.escp.test",
        }
        output = run_step(
            [python, "-c", SETUP_CODE],
            {**setup_env, "LOAD_SPEC": json.dumps(spec)},
            log,
            300,
            "preparing the accounts",
        )
    line = next((x for x in output.splitlines() if x.startswith("LOADPLAN ")), None)
    if line is None:
        raise SetupError(f"preparing the accounts printed no plan: see {setup_log_path}")
    return json.loads(line.removeprefix("LOADPLAN "))
