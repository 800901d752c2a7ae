"""Webhooks through the real worker: a receiver on this machine answers 500, 500, then 200; the
delivery succeeds on the third try, each retry after a delay twice the one before (the test
settings' base delay is one second)."""

import itertools
import time

import pytest

from escp_portal.webhooks import services
from escp_portal.webhooks.models import Delivery
from tests.webhooks.receiver import Receiver, verify

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_delivery_succeeds_on_the_third_try_through_the_worker(world, webhook_worker, settings):
    receiver = Receiver([500, 500])
    try:
        subscription = services.subscription_create(
            actor=world.coord_a, url=receiver.url, events=["mission.created"]
        )
        delivery = services.subscription_ping(actor=world.coord_a, subscription=subscription)
        receiver.wait_for(3, timeout=60)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            delivery.refresh_from_db()
            if delivery.status == "succeeded":
                break
            time.sleep(0.1)
    finally:
        receiver.close()
    assert delivery.status == "succeeded", (delivery.status, delivery.attempt_log)
    assert delivery.attempts == 3
    assert [a["status_code"] for a in delivery.attempt_log] == [500, 500, 200]
    assert [status for _t, _h, _b, status in receiver.received] == [500, 500, 200]
    assert all(verify(subscription.secret, h, b) for _t, h, b, _s in receiver.received)
    assert len({h["X-ESCP-Delivery"] for _t, h, _b, _s in receiver.received}) == 1

    first = receiver.received[0][0]
    offsets = [round(at - first, 2) for at, _h, _b, _s in receiver.received]
    gaps = [round(b - a, 2) for a, b in itertools.pairwise(offsets)]
    print(f"\nwebhook retry timeline (s from the first attempt): {offsets}; gaps: {gaps}")
    base = settings.WEBHOOK_RETRY_BASE_SECONDS
    # The first retry after the base delay, the second after twice as long (plus the broker's
    # and the worker's own latency, bounded generously for a busy machine).
    assert base <= gaps[0] < base + 3
    assert 2 * base <= gaps[1] < 2 * base + 3
    assert Delivery.objects.filter(subscription=subscription).count() == 1
