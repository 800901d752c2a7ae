import os

# Playwright's sync API runs an event loop in the test thread; the ORM calls around it are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from django.core.cache import cache

from tests.factories import World, make_world
from tests.generated_client import generated_client
from tests.services import chromium_path, require
from tests.worker_fixtures import broker_tasks, celery_worker_process, redis_url, webhook_worker

__all__ = [
    "broker_tasks",
    "celery_worker_process",
    "chromium_path",
    "generated_client",
    "redis_url",
    "require",
    "webhook_worker",
]


def pytest_collection_modifyitems(config, items):
    """Tests marked ``sqlite`` are about the embedded SQLite database itself (backing up its
    file): when the suite runs on PostgreSQL they are left out of this run, and `make test` runs
    them in a second one on SQLite — never skipped."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return
    chosen = [item for item in items if item.get_closest_marker("sqlite") is None]
    if len(chosen) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in chosen])
        items[:] = chosen


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counters and import progress live in the cache: each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db) -> World:
    return make_world()
