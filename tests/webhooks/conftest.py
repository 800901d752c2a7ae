import pytest

from escp_portal.webhooks import events, services
from tests.strategy.conftest import plan  # noqa: F401 - a small strategy for A

from .receiver import Receiver


@pytest.fixture
def receiver():
    made = []

    def make(*statuses):
        r = Receiver(statuses)
        made.append(r)
        return r

    make.default = None
    yield make
    for r in made:
        r.close()


@pytest.fixture
def subscribe():
    """``subscribe(user, url, events=all)``: a subscription made through the service."""

    def make(user, url, names=None):
        return services.subscription_create(actor=user, url=url, events=list(names or events.NAMES))

    return make
