import os

import pytest
from django.conf import settings
from django.db import connection

from tests.services import require
from tests.stack import Process, worker_command


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


class WorkerProcess(Process):
    """A Celery worker subprocess on its own queue (None: the default one), against the test
    database; ``name`` is its node name."""

    def __init__(self, name: str, queue: str | None, redis_url: str, env: dict | None = None):
        node = f"{name}-{os.getpid()}@localhost"
        env = {
            "DJANGO_SETTINGS_MODULE": "escp_portal.settings.test",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": redis_url,
            **(env or {}),
        }
        super().__init__(f"worker-{name}", worker_command(node, queue), env)
        self.name = node
        from escp_portal.celery import app

        try:
            self.wait_for(lambda: app.control.ping(destination=[node], timeout=0.5), "answer")
        except BaseException:  # pytest.fail included: no worker left behind
            self.stop()
            raise

    def kill(self) -> None:
        self.process.kill()  # SIGKILL: no cleanup, no acknowledgement
        self.process.wait(timeout=20)
        self.log.close()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, redis_url):
    """A real worker process, on the real broker, against the test database."""
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL), shared with the worker")
    worker = WorkerProcess("celery", None, redis_url)
    yield worker
    worker.stop()


@pytest.fixture
def broker_tasks(celery_worker_process):
    """Send tasks through the broker for this test instead of running them in-process."""
    from escp_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = previous


WEBHOOK_QUEUE = "webhooks-test"


@pytest.fixture
def webhook_worker(django_db_setup, redis_url, settings):
    """A worker of its own on a queue of its own, that sends its retries through the broker
    (as in production), not in-process."""
    from django.db import connection

    from escp_portal.celery import app

    if connection.vendor != "postgresql":
        pytest.fail("the worker shares the test database: run on PostgreSQL (DATABASE_URL)")
    settings.WEBHOOK_QUEUE = WEBHOOK_QUEUE
    worker = WorkerProcess(
        "webhooks",
        WEBHOOK_QUEUE,
        redis_url,
        env={"CELERY_TASK_ALWAYS_EAGER": "false", "WEBHOOK_QUEUE": WEBHOOK_QUEUE},
    )
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield worker
    app.conf.task_always_eager = previous
    worker.stop()
