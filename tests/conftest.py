import os
import shutil

# Playwright's sync API runs an event loop in the test thread; the ORM calls around it are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from django.core.cache import cache

from tests.factories import World, make_world

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(available: bool, what: str) -> None:
    """A test that needs a service: skipped without it on a laptop, failed without it in CI."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {what} is not available", pytrace=False)
    pytest.skip(f"{what} is not available")


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


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counters live in the cache: each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db) -> World:
    return make_world()


@pytest.fixture
def api(client):
    """The Django test client speaking JSON."""
    return client
