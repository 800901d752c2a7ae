"""Delivery: a signed POST a receiver can verify; a failed one is tried again later with a delay
that doubles; a delivery that fails all its attempts counts, and after a few in a row the
subscription pauses and its owner gets one email; resume sends what was held; redelivery
sends the same event again; an object the owner may no longer see is not sent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from escp_portal.accounts.models import RoleAssignment
from escp_portal.webhooks import services
from escp_portal.webhooks.models import Delivery
from tests import factories

from .receiver import verify

pytestmark = pytest.mark.django_db


def ping(subscription, capture):
    with capture(execute=True):
        delivery = services.subscription_ping(actor=subscription.owner, subscription=subscription)
    delivery.refresh_from_db()
    return delivery


def due_now(delivery):
    """Let the time of the next attempt come."""
    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def test_the_receiver_can_verify_the_signature_and_read_the_headers(
    world, receiver, subscribe, django_capture_on_commit_callbacks
):
    r = receiver()
    subscription = subscribe(world.coord_a, r.url)
    delivery = ping(subscription, django_capture_on_commit_callbacks)
    assert delivery.status == "succeeded"
    assert delivery.attempts == 1
    assert delivery.last_status_code == 200
    (_at, headers, body, _status) = r.received[0]
    assert verify(subscription.secret, headers, body)
    assert not verify("another secret", headers, body)
    assert headers["X-ESCP-Event"] == "ping"
    assert headers["X-ESCP-Delivery"] == str(delivery.uuid)
    assert headers["Content-Type"] == "application/json"
    assert abs(int(headers["X-ESCP-Timestamp"]) - timezone.now().timestamp()) < 60


def test_a_failed_delivery_is_retried_with_a_doubling_delay_until_it_succeeds(
    world, receiver, subscribe, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    r = receiver(500, 503)
    subscription = subscribe(world.coord_a, r.url)
    delivery = ping(subscription, django_capture_on_commit_callbacks)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("retrying", 1, 500)
    first_wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=28) < first_wait <= timedelta(seconds=30)

    # The job comes back early (a duplicate message): nothing is sent before the time.
    assert services.deliver(delivery.pk) == "not due"
    assert len(r.received) == 1

    due_now(delivery)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deliver(delivery.pk) == "retrying"
    delivery.refresh_from_db()
    second_wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=58) < second_wait <= timedelta(seconds=60)
    assert delivery.last_status_code == 503

    due_now(delivery)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deliver(delivery.pk) == "succeeded"
    delivery.refresh_from_db()
    assert delivery.attempts == 3
    assert [a["status_code"] for a in delivery.attempt_log] == [500, 503, 200]
    assert delivery.next_attempt_at is None
    # Done is done: a late duplicate sends nothing.
    assert services.deliver(delivery.pk) == "done"
    assert len(r.received) == 3
    assert len({h["X-ESCP-Delivery"] for _t, h, _b, _s in r.received}) == 1


def test_retry_due_sends_what_is_due(
    world, receiver, subscribe, django_capture_on_commit_callbacks
):
    r = receiver(500)
    subscription = subscribe(world.coord_a, r.url)
    delivery = ping(subscription, django_capture_on_commit_callbacks)
    assert delivery.status == "retrying"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry_due() == 0
    due_now(delivery)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == "succeeded"


def fail_for_good(delivery, capture):
    while delivery.status == "retrying":
        due_now(delivery)
        with capture(execute=True):
            services.deliver(delivery.pk)
        delivery.refresh_from_db()
    return delivery


def test_repeated_failures_pause_the_subscription_and_tell_its_owner_once(
    world, receiver, subscribe, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    settings.WEBHOOK_PAUSE_AFTER_FAILURES = 3
    r = receiver(*[500] * 20)
    subscription = subscribe(world.coord_a, r.url + "?team=O'Brien&Sons")
    subscription.description = "Sales & <CRM>"
    subscription.save()
    for n in range(1, 4):
        delivery = fail_for_good(
            ping(subscription, django_capture_on_commit_callbacks),
            django_capture_on_commit_callbacks,
        )
        assert (delivery.status, delivery.attempts) == ("failed", 2)
        subscription.refresh_from_db()
        assert subscription.consecutive_failures == n
    assert subscription.paused_at is not None
    assert "3" in subscription.pause_reason
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [world.coord_a.email]
    assert "paused" in mail.subject
    assert "?team=O'Brien&Sons" in mail.subject and "&amp;" not in mail.subject
    assert "Sales & <CRM>" in mail.body and "&lt;" not in mail.body
    assert f"/webhooks/{subscription.pk}/" in mail.body

    # Paused: no new event reaches it, a ping is refused, and no second email goes out.
    sent = len(r.received)
    with django_capture_on_commit_callbacks(execute=True):
        services.fan_out("member.changed", [(factories.member(world.cluster_a).pk, {})])
    assert len(r.received) == sent
    with pytest.raises(Exception, match="paused"):
        services.subscription_ping(actor=world.coord_a, subscription=subscription)
    assert len(mailoutbox) == 1


def test_a_delivery_held_by_a_pause_is_sent_on_resume(
    world, receiver, subscribe, mailoutbox, django_capture_on_commit_callbacks
):
    r = receiver(500)
    subscription = subscribe(world.coord_a, r.url)
    delivery = ping(subscription, django_capture_on_commit_callbacks)
    assert delivery.status == "retrying"
    type(subscription).objects.filter(pk=subscription.pk).update(
        paused_at=timezone.now(),
        pause_reason="5 deliveries in a row failed.",
        consecutive_failures=5,
    )
    due_now(delivery)
    assert services.deliver(delivery.pk) == "held"
    assert len(r.received) == 1
    subscription.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.subscription_resume(actor=world.coord_a, subscription=subscription)
    delivery.refresh_from_db()
    subscription.refresh_from_db()
    assert delivery.status == "succeeded"
    assert (subscription.paused_at, subscription.pause_reason) == (None, "")
    assert subscription.consecutive_failures == 0


def test_a_success_clears_the_failure_count(
    world, receiver, subscribe, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    r = receiver(500)
    subscription = subscribe(world.coord_a, r.url)
    assert ping(subscription, django_capture_on_commit_callbacks).status == "failed"
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 1
    assert ping(subscription, django_capture_on_commit_callbacks).status == "succeeded"
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 0


def test_redelivery_sends_the_same_event_again_as_a_new_delivery(
    world, receiver, subscribe, django_capture_on_commit_callbacks
):
    r = receiver()
    subscription = subscribe(world.coord_a, r.url)
    first = ping(subscription, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.delivery_redeliver(actor=world.coord_a, delivery=first)
    again.refresh_from_db()
    assert again.status == "succeeded"
    assert again.redelivery_of == first
    assert again.event_id == first.event_id and again.uuid != first.uuid
    one, two = r.bodies()
    assert one == two
    assert [h["X-ESCP-Delivery"] for _t, h, _b, _s in r.received] == [
        str(first.uuid),
        str(again.uuid),
    ]


def test_an_object_the_owner_can_no_longer_see_is_dropped(world, receiver, subscribe):
    r = receiver()
    subscription = subscribe(world.manager_a, r.url, ["member.changed"])
    member = factories.member(world.cluster_a, "Alder GmbH")
    # Written, not yet sent (the test's transaction does not commit: the job waits).
    (delivery,) = services.fan_out("member.changed", [(member.pk, {"id": member.pk})])
    RoleAssignment.objects.filter(user=world.manager_a).delete()
    world.manager_a = type(world.manager_a).objects.get(pk=world.manager_a.pk)
    assert services.deliver(delivery.pk) == "dropped"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_error) == ("dropped", "not visible")
    assert r.received == []
    assert subscription.deliveries.count() == 1


def test_a_receiver_that_does_not_answer_is_a_failure(
    world, subscribe, settings, django_capture_on_commit_callbacks
):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once closed
    subscription = subscribe(world.coord_a, f"http://127.0.0.1:{port}/hook")
    delivery = ping(subscription, django_capture_on_commit_callbacks)
    assert delivery.status == "retrying"
    assert delivery.last_status_code is None
    assert "refused" in delivery.last_error.lower() or "error" in delivery.last_error.lower()
