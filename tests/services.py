"""Which real services a test may count on; CI=true turns a missing one into a failure."""

import os
import shutil
import sys

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(available: bool, what: str) -> None:
    """A test that needs a service: skipped without it on a laptop, failed without it in CI."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {what} is not available", pytrace=False)
    pytest.skip(f"{what} is not available")


# How Debian's Chromium is started headless here: the browser tests and the production smoke.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/lib/chromium/chromium",
        "/usr/bin/chromium",
        shutil.which("chromium"),
    ):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


# Production settings as an operator gives them, for tests that start a process with them.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "escp_portal.settings.production",
    "DJANGO_SECRET_KEY": "x" * 64 + "-a-long-random-production-secret",
    "DJANGO_ALLOWED_HOSTS": "escp.example.eu",
    "DATABASE_URL": "sqlite:////tmp/escp-check.sqlite3",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def process_env(env: dict) -> dict:
    """The environment of a process started with other settings: this one's without any
    settings of its own (DJANGO_*, DATABASE_URL, REDIS_URL), the Python of this run first on
    PATH (the deploy scripts call ``python``), then ``env``."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    base["PATH"] = f"{os.path.dirname(sys.executable)}{os.pathsep}{base.get('PATH', '')}"
    return {**base, **env}
