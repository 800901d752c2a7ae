import os

# Playwright's sync API runs an event loop in the test thread; the ORM calls around it are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from django.core.cache import cache

from tests.factories import World, make_world
from tests.services import chromium_path, require
from tests.worker_fixtures import broker_tasks, celery_worker_process, redis_url

__all__ = ["broker_tasks", "celery_worker_process", "chromium_path", "redis_url", "require"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counters and import progress live in the cache: each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db) -> World:
    return make_world()
