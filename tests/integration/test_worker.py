from datetime import timedelta

import pytest
from django.utils import timezone
from knox.models import AuthToken

from escp_portal.accounts.tasks import clear_expired_tokens, ping
from tests import factories

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_task_round_trips_through_redis_and_a_real_worker(broker_tasks):
    result = ping.delay()
    assert result.get(timeout=20) == "pong"
    assert result.successful()


def test_the_worker_reads_and_writes_the_same_database(broker_tasks):
    owner = factories.user()
    expired, _ = AuthToken.objects.create(user=owner, expiry=timedelta(seconds=1))
    AuthToken.objects.filter(pk=expired.pk).update(expiry=timezone.now() - timedelta(days=1))
    AuthToken.objects.create(user=owner)
    assert clear_expired_tokens.delay().get(timeout=20) == 1
    assert AuthToken.objects.filter(user=owner).count() == 1


def test_health_sees_the_broker_and_the_worker(client, settings, broker_tasks, redis_url):
    settings.REDIS_URL = redis_url
    body = client.get("/health/").json()
    assert body["status"] == "ok", body
    assert body["broker"] == {"ok": True, "mode": "redis"}
    assert body["worker"]["ok"] is True
    assert body["worker"]["workers"] >= 1
