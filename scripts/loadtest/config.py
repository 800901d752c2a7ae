"""The defaults, the command line and the environment of the server processes."""

import argparse
import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = "postgres://escp:escp@127.0.0.1:5432/escp_load"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/5"
DEFAULT_PASSWORD = "escp-demo-2026"
DEMO_EMAILS = {
    "coordinator": "coordinator@demo.escp.eu",
    "cluster_manager": "manager@demo.escp.eu",
    "ec_officer": "officer@demo.escp.eu",
}
# Two coordinators, two cluster managers and one officer in every five users.
ROLE_CYCLE = ["coordinator", "cluster_manager", "ec_officer", "coordinator", "cluster_manager"]
UNTHROTTLED = "1000000/hour"
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "escp_portal.settings.local",
    "DJANGO_DEBUG": "false",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "API_THROTTLE_ANON": UNTHROTTLED,
    "API_THROTTLE_USER": UNTHROTTLED,
    "API_THROTTLE_TOKEN_ISSUE": UNTHROTTLED,
    "AXES_FAILURE_LIMIT": "1000000",
    "PYTHONUNBUFFERED": "1",
}


def parse_args(argv=None, description=None):
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50, help="virtual users (default 50)")
    parser.add_argument(
        "--duration", type=float, default=60, help="seconds of load after the ramp-up (60)"
    )
    parser.add_argument(
        "--ramp-up",
        type=float,
        default=None,
        help="seconds over which the users start (default: 0.2 s per user, at most 10)",
    )
    parser.add_argument(
        "--think-time",
        type=float,
        default=1.0,
        help="mean pause of a user between two steps, in seconds (1.0; 0 for none)",
    )
    parser.add_argument(
        "--settings",
        choices=["production", "local"],
        default="production",
        help="the server's settings: production (default; behind a stand-in for the TLS "
        "proxy, see below) or local (DEBUG off)",
    )
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers (default: deploy/web.sh's)"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="gunicorn threads per worker (default: deploy/web.sh's)",
    )
    parser.add_argument(
        "--celery-concurrency", type=int, default=4, help="Celery worker threads (4)"
    )
    parser.add_argument(
        "--keep-alive",
        type=int,
        default=None,
        help="gunicorn's keep-alive timeout in seconds (default: deploy/web.sh's)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_DATABASE_URL),
        help=f"PostgreSQL database, created when missing (LOAD_DATABASE_URL; "
        f"default {DEFAULT_DATABASE_URL})",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("LOAD_REDIS_URL", DEFAULT_REDIS_URL),
        help=f"Redis for the broker and the cache (LOAD_REDIS_URL; default {DEFAULT_REDIS_URL})",
    )
    parser.add_argument(
        "--password", default=DEFAULT_PASSWORD, help="password of every load-test account"
    )
    parser.add_argument(
        "--recreate-db", action="store_true", help="drop and create the database first"
    )
    parser.add_argument(
        "--skip-setup",
        action="store_true",
        help="skip migrate and load_demo (the accounts are still prepared)",
    )
    parser.add_argument("--port", type=int, default=0, help="loopback port (default: a free one)")
    parser.add_argument(
        "--request-timeout", type=float, default=30, help="timeout of every request (30 s)"
    )
    parser.add_argument(
        "--hard-timeout",
        type=float,
        default=0,
        help="stop everything after this many seconds (default: 300 + ramp-up + duration)",
    )
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for gunicorn and the worker (e.g. DJANGO_CONN_MAX_AGE=60)",
    )
    parser.add_argument("--access-log", action="store_true", help="write gunicorn's access log")
    parser.add_argument(
        "--artifacts",
        type=Path,
        default=ROOT / "test-artifacts",
        help="directory of the logs (test-artifacts/)",
    )
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the users")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if args.ramp_up is None:
        args.ramp_up = min(10.0, 0.2 * args.users)
    if args.users < 1 or args.duration <= 0 or args.ramp_up < 0 or args.think_time < 0:
        parser.error("--users must be >= 1, --duration > 0, --ramp-up and --think-time >= 0")
    if not args.hard_timeout:
        args.hard_timeout = 300 + args.ramp_up + args.duration
    return args


def web_defaults() -> dict:
    """deploy/web.sh's defaults, when the command line leaves them to it (kept in step with the
    script by tests/test_load_config.py)."""
    return {
        "GUNICORN_WORKERS": (os.cpu_count() or 1) + 1,
        "GUNICORN_THREADS": 1,
        "GUNICORN_KEEPALIVE": 5,
    }


def gunicorn_setup(args) -> dict:
    """GUNICORN_* for deploy/web.sh: the command line's, else the script's defaults (named, so
    the figures say what ran)."""
    given = {
        "GUNICORN_WORKERS": args.workers,
        "GUNICORN_THREADS": args.threads,
        "GUNICORN_KEEPALIVE": args.keep_alive,
    }
    defaults = web_defaults()
    return {name: str(defaults[name] if value is None else value) for name, value in given.items()}


def production_environment(args) -> dict:
    """The production settings as an operator sets them, on loopback: gunicorn is reached
    directly, and the load client stands in for the TLS proxy (it sends X-Forwarded-Proto:
    https from 127.0.0.1, a trusted proxy here, and keeps the Secure cookies)."""
    artifacts = Path(args.artifacts).resolve()
    return {
        "DJANGO_SETTINGS_MODULE": "escp_portal.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_hex(32),
        "DJANGO_TRUSTED_PROXIES": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(artifacts / "load-static"),
        "DJANGO_MEDIA_ROOT": str(artifacts / "load-media"),
        "DJANGO_BACKUP_DIR": str(artifacts / "load-backups"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "DJANGO_LOG_FORMAT": "text",
    }


def server_environment(args) -> dict:
    extra = dict(item.split("=", 1) for item in args.server_env)
    inherited = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    settings = production_environment(args) if args.settings == "production" else {}
    # deploy/web.sh runs the gunicorn first on PATH: this Python's.
    path = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    return {
        **inherited,
        **SERVER_ENV,
        **settings,
        **gunicorn_setup(args),
        **extra,
        "PATH": path,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
    }
