import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.services import require
from tests.stack import worker_command

ROOT = Path(__file__).resolve().parents[1]


def _redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture(scope="session")
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    require(bool(url) and _redis_answers(url), "Redis (REDIS_URL)")
    return url


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    )


class WorkerProcess:
    """A Celery worker subprocess on its own queue, against the test database."""

    def __init__(self, name: str, queue: str, redis_url: str, env: dict | None = None):
        self.name = f"{name}-{os.getpid()}@localhost"
        self.log_path = ROOT / "test-artifacts" / f"worker-{name}.log"
        self.log_path.parent.mkdir(exist_ok=True)
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            worker_command(self.name, queue),
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "escp_portal.settings.test",
                "DATABASE_URL": _database_url(),
                "REDIS_URL": redis_url,
                **(env or {}),
            },
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        from escp_portal.celery import app

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the worker {name} exited: see {self.log_path}")
            if app.control.ping(destination=[self.name], timeout=0.5):
                return
        self.stop()
        pytest.fail(f"the worker {name} did not answer within 60 s: see {self.log_path}")

    def kill(self) -> None:
        self.process.kill()  # SIGKILL: no cleanup, no acknowledgement
        self.process.wait(timeout=20)
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, redis_url):
    """A real worker process, on the real broker, against the test database."""
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL), shared with the worker")
    db = settings.DATABASES["default"]
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "escp_portal.settings.test",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
    }
    log_path = ROOT / "test-artifacts" / "celery-worker.log"
    log_path.parent.mkdir(exist_ok=True)
    log = open(log_path, "w")  # noqa: SIM115 - closed when the worker stops
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "escp_portal",
            "worker",
            "--pool=solo",
            "-l",
            "info",
            "-n",
            f"test-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    from escp_portal.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the Celery worker exited: see {log_path}")
        if app.control.ping(timeout=0.5):
            break
    else:
        process.terminate()
        pytest.fail(f"the Celery worker did not answer within 60 s: see {log_path}")
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture
def broker_tasks(celery_worker_process):
    """Send tasks through the broker for this test instead of running them in-process."""
    from escp_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = previous
