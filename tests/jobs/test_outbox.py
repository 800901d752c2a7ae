"""The job outbox: a write commits even when the broker is away, its job waits in the
database with the reason, and is sent (once) when the broker answers again."""

import os
import uuid
from unittest import mock

import pytest
import redis
from django.core.management import call_command
from django.db import OperationalError, transaction

from escp_portal.accounts.tasks import ping
from escp_portal.celery import app
from escp_portal.jobs import outbox
from escp_portal.jobs.models import QueuedJob
from evaluation import services
from evaluation.models import KPIStatus
from evaluation.tasks import recompute_scoreboard
from tests.strategy.conftest import plan  # noqa: F401 - fixture used by name

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def through_broker(redis_url):
    """Tasks go to the real Redis broker (no worker listens on the queues used here)."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    queue = f"outbox-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    client = redis.Redis.from_url(redis_url)
    yield queue, client
    app.conf.task_always_eager = eager
    app.conf.broker_write_url = None
    client.delete(queue)


def broker_away():
    app.conf.broker_write_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_a_job_asked_for_in_a_transaction_is_sent_after_commit_and_leaves_the_outbox(
    through_broker,
):
    queue, client = through_broker
    with transaction.atomic():
        outbox.enqueue(ping, queue=queue)
        assert QueuedJob.objects.count() == 1 and client.llen(queue) == 0
    assert client.llen(queue) == 1
    assert not QueuedJob.objects.exists()


def test_a_rolled_back_write_sends_no_job(through_broker):
    queue, client = through_broker
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue(ping, queue=queue)
        raise RuntimeError("the write failed")
    assert not QueuedJob.objects.exists() and client.llen(queue) == 0


def test_with_the_broker_away_the_job_waits_with_its_reason_and_goes_when_it_is_back(
    through_broker,
):
    queue, client = through_broker
    broker_away()
    outbox.enqueue(ping, queue=queue)
    outbox.enqueue(ping, queue=queue)
    first, _second = QueuedJob.objects.order_by("pk")
    assert first.attempts == 1 and "Connection refused" in first.last_error
    assert first.next_attempt_at > first.created_at
    assert outbox.waiting()["waiting"] == 2
    assert outbox.relay_all() == 0  # not due yet, and the broker is still away

    app.conf.broker_write_url = None
    QueuedJob.objects.update(next_attempt_at=first.created_at)
    out = mock.Mock()
    out.write = mock.Mock()
    call_command("relay_outbox", stdout=out)
    assert out.write.call_args[0][0].startswith("sent 2, waiting 0")
    assert client.llen(queue) == 2
    assert not QueuedJob.objects.exists()


def test_the_health_check_reports_jobs_waiting_too_long(client, through_broker, settings):
    queue, _ = through_broker
    broker_away()
    outbox.enqueue(ping, queue=queue)
    state = client.get("/health/").json()["outbox"]
    assert state["ok"] is True and state["waiting"] == 1 and state["oldest_seconds"] < 60
    QueuedJob.objects.update(created_at=QueuedJob.objects.get().created_at.replace(year=2000))
    assert client.get("/health/").json()["outbox"]["ok"] is False


def test_a_job_that_meets_a_database_outage_is_retried_until_it_completes(world, plan):  # noqa: F811
    """In-process here: the task's first run loses its database connection."""
    real = services.recompute_scoreboard
    calls = []

    def flaky(partnership_id):
        calls.append(partnership_id)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(partnership_id)

    KPIStatus.objects.all().delete()
    with mock.patch.object(services, "recompute_scoreboard", side_effect=flaky):
        # In-process, the retry runs at once, inside the first call.
        recompute_scoreboard.apply(kwargs={"partnership_id": world.a.pk}, throw=False)
    assert calls == [world.a.pk, world.a.pk]
    assert KPIStatus.objects.filter(partnership=world.a).count() == 1
