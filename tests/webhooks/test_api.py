"""The webhooks API: a user's own subscriptions (others' answer 404), the secret once, the
delivery log, redelivery, resume, ping; targets on private networks are refused."""

import pytest
from django.utils import timezone
from knox.models import AuthToken

from escp_portal.webhooks.models import Delivery, Subscription

pytestmark = pytest.mark.django_db

BASE = "/api/v1/webhooks/"


def token_of(user):
    return {"HTTP_AUTHORIZATION": f"Token {AuthToken.objects.create(user=user)[1]}"}


def create(client, user, url, events=("measurement.approved",), status=201, **extra):
    response = client.post(
        BASE,
        {"url": url, "events": list(events), **extra},
        content_type="application/json",
        **token_of(user),
    )
    assert response.status_code == status, response.content
    return response.json()


def test_a_user_creates_reads_changes_and_deletes_their_subscription(client, world, receiver):
    r = receiver()
    made = create(client, world.manager_a, r.url, description="Our CRM")
    assert len(made["secret"]) == 64
    assert made["events"] == ["measurement.approved"]
    assert made["paused"] is False
    auth = token_of(world.manager_a)
    detail = client.get(f"{BASE}{made['id']}/", **auth)
    assert detail.status_code == 200
    assert "secret" not in detail.json()
    assert detail["ETag"]
    changed = client.patch(
        f"{BASE}{made['id']}/",
        {"events": ["mission.created", "member.changed"]},
        content_type="application/json",
        **auth,
    )
    assert changed.status_code == 200, changed.content
    # Stored in the order of the list of events.
    assert changed.json()["events"] == ["mission.created", "member.changed"]
    assert client.get(BASE, **auth).json()["count"] == 1
    assert client.delete(f"{BASE}{made['id']}/", **auth).status_code == 204
    assert not Subscription.objects.exists()


def test_another_users_subscription_answers_404_everywhere(client, world, receiver):
    r = receiver()
    made = create(client, world.coord_a, r.url)
    sub = Subscription.objects.get(pk=made["id"])
    delivery = Delivery.objects.create(
        subscription=sub, event="ping", event_id="5b7c0f5e-8f0e-4a8a-9d6e-7d1c2b3a4f5e"
    )
    for user in (world.coord_b, world.staff, world.officer):
        auth = token_of(user)
        assert client.get(BASE, **auth).json()["count"] == 0
        for method, path in [
            ("get", f"{BASE}{sub.pk}/"),
            ("patch", f"{BASE}{sub.pk}/"),
            ("delete", f"{BASE}{sub.pk}/"),
            ("get", f"{BASE}{sub.pk}/deliveries/"),
            ("post", f"{BASE}{sub.pk}/resume/"),
            ("post", f"{BASE}{sub.pk}/ping/"),
            ("post", f"{BASE}{sub.pk}/deliveries/{delivery.pk}/redeliver/"),
        ]:
            response = getattr(client, method)(path, content_type="application/json", **auth)
            assert response.status_code == 404, (user, method, path)
    assert Subscription.objects.filter(pk=sub.pk).exists()
    assert client.get(BASE).status_code == 401


@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.5/hook",
        "https://192.168.1.20/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[fd00::1]/hook",
        "https://0.0.0.0/hook",
        "https://100.64.0.1/hook",
        "http://93.184.216.34/hook",
        "ftp://93.184.216.34/hook",
        "https://user:pw@93.184.216.34/hook",
    ],
)
def test_private_and_reserved_targets_are_refused(client, world, url):
    body = create(client, world.coord_a, url, status=400)
    assert "url" in body["errors"], body
    assert not Subscription.objects.exists()


def test_localhost_only_where_allowed(client, world, settings):
    settings.WEBHOOK_ALLOW_LOCAL = False
    for url in ("http://localhost:8000/hook", "https://127.0.0.1/hook"):
        assert "url" in create(client, world.coord_a, url, status=400)["errors"]
    # A public https address is fine (no DNS needed for a literal address).
    create(client, world.coord_a, "https://93.184.216.34/hook")


def test_a_target_that_turns_private_is_not_posted_to(
    world, settings, subscribe, django_capture_on_commit_callbacks
):
    from escp_portal.webhooks import services

    subscription = subscribe(world.coord_a, "https://93.184.216.34/hook")
    Subscription.objects.filter(pk=subscription.pk).update(url="https://10.1.2.3/hook")
    subscription.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.subscription_ping(actor=world.coord_a, subscription=subscription)
    delivery.refresh_from_db()
    assert delivery.status == "retrying"
    assert "private or reserved" in delivery.last_error


def test_bad_events_are_a_400(client, world, receiver):
    r = receiver()
    body = create(client, world.coord_a, r.url, events=["measurement.deleted"], status=400)
    assert "events" in body["errors"]
    body = create(client, world.coord_a, r.url, events=[], status=400)
    assert "events" in body["errors"]


def test_log_ping_redeliver_and_resume(client, world, receiver, django_capture_on_commit_callbacks):
    r = receiver()
    made = create(client, world.coord_a, r.url)
    auth = token_of(world.coord_a)
    with django_capture_on_commit_callbacks(execute=True):
        pinged = client.post(f"{BASE}{made['id']}/ping/", **auth)
    assert pinged.status_code == 202, pinged.content
    assert pinged.json()["event"] == "ping"
    log = client.get(f"{BASE}{made['id']}/deliveries/", **auth).json()
    assert log["count"] == 1
    first = log["results"][0]
    assert first["status"] == "succeeded"
    assert first["attempt_log"][0]["status_code"] == 200
    assert first["payload"]["event"] == "ping"
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"{BASE}{made['id']}/deliveries/{first['id']}/redeliver/", **auth)
    assert again.status_code == 202, again.content
    assert again.json()["redelivery_of"] == first["id"]
    assert again.json()["event_id"] == first["event_id"]
    assert len(r.received) == 2

    Subscription.objects.filter(pk=made["id"]).update(
        paused_at=timezone.now(), pause_reason="5 deliveries in a row failed."
    )
    refused = client.post(f"{BASE}{made['id']}/ping/", **auth)
    assert refused.status_code == 400
    resumed = client.post(f"{BASE}{made['id']}/resume/", **auth)
    assert resumed.status_code == 200
    assert resumed.json()["paused"] is False


def test_the_log_is_paginated(client, world, receiver):
    r = receiver()
    made = create(client, world.coord_a, r.url)
    sub = Subscription.objects.get(pk=made["id"])
    Delivery.objects.bulk_create(
        Delivery(subscription=sub, event="ping", event_id=f"00000000-0000-4000-8000-{i:012d}")
        for i in range(60)
    )
    auth = token_of(world.coord_a)
    page = client.get(f"{BASE}{made['id']}/deliveries/?page_size=25", **auth).json()
    assert page["count"] == 60 and len(page["results"]) == 25 and page["next"]


def test_the_schema_describes_webhooks(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    assert "/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver/" in paths
    assert "/api/v1/webhooks/{id}/resume/" in paths
    subscription = schema["components"]["schemas"]["Subscription"]["properties"]
    assert subscription["events"]["description"]


def test_a_token_limited_to_a_partnership_cannot_subscribe(client, world, receiver):
    """What a subscription receives is what its owner sees: a token limited to one partnership
    must not open that wider view (403, nothing saved)."""
    from escp_portal.accounts.services import token_create

    _token, key = token_create(actor=world.coord_a, name="CRM", partnerships=[world.a.pk])
    response = client.post(
        BASE,
        {"url": receiver().url, "events": ["measurement.approved"]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 403, response.content
    assert not Subscription.objects.exists()
