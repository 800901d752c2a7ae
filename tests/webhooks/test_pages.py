"""The webhooks pages: list and create, the detail with its secret and delivery log, and the
actions as plain POST forms (no JavaScript needed)."""

import pytest
from django.utils import timezone

from escp_portal.webhooks.models import Delivery, Subscription

pytestmark = pytest.mark.django_db


def test_a_user_subscribes_on_the_page_and_sees_the_secret(client, world, receiver):
    r = receiver()
    client.force_login(world.manager_a)
    page = client.get("/webhooks/")
    assert page.status_code == 200
    assert "measurement.approved" in page.content.decode()
    response = client.post(
        "/webhooks/",
        {"url": r.url, "description": "Our CRM", "events": ["measurement.approved"]},
    )
    sub = Subscription.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/webhooks/{sub.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert sub.secret in detail
    assert "Our CRM" in detail
    assert r.url in client.get("/webhooks/").content.decode()
    # Reached from the account's pages.
    assert 'href="/webhooks/"' in client.get("/accounts/tokens/").content.decode()


def test_a_refused_address_is_shown_on_the_form(client, world, settings):
    client.force_login(world.coord_a)
    response = client.post(
        "/webhooks/", {"url": "https://169.254.169.254/", "events": ["mission.created"]}
    )
    assert response.status_code == 200
    assert "private or reserved" in response.content.decode()
    assert not Subscription.objects.exists()


def test_ping_redeliver_resume_and_delete_on_the_page(
    client, world, receiver, subscribe, django_capture_on_commit_callbacks
):
    r = receiver()
    sub = subscribe(world.coord_a, r.url)
    client.force_login(world.coord_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/webhooks/{sub.pk}/ping/").status_code == 302
    delivery = Delivery.objects.get()
    page = client.get(f"/webhooks/{sub.pk}/").content.decode()
    assert str(delivery.uuid) in page and "HTTP 200" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/webhooks/{sub.pk}/deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 302
    assert len(r.received) == 2

    Subscription.objects.filter(pk=sub.pk).update(
        paused_at=timezone.now(), pause_reason="5 deliveries in a row failed."
    )
    page = client.get(f"/webhooks/{sub.pk}/").content.decode()
    assert "Resume" in page and "5 deliveries in a row failed." in page
    client.post(f"/webhooks/{sub.pk}/resume/")
    sub.refresh_from_db()
    assert sub.paused_at is None
    assert client.post(f"/webhooks/{sub.pk}/delete/")["Location"] == "/webhooks/"
    assert not Subscription.objects.exists()


def test_another_users_subscription_is_a_404(client, world, receiver, subscribe):
    sub = subscribe(world.coord_a, receiver().url)
    delivery = Delivery.objects.create(
        subscription=sub, event="ping", event_id="5b7c0f5e-8f0e-4a8a-9d6e-7d1c2b3a4f5e"
    )
    client.force_login(world.coord_b)
    assert client.get(f"/webhooks/{sub.pk}/").status_code == 404
    assert client.post(f"/webhooks/{sub.pk}/delete/").status_code == 404
    assert client.post(f"/webhooks/{sub.pk}/deliveries/{delivery.pk}/redeliver/").status_code == 404
    assert Subscription.objects.filter(pk=sub.pk).exists()
    client.logout()
    assert client.get("/webhooks/").status_code == 302
