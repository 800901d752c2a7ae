"""Contact requests: from a search result to the member's cluster managers (by email, in their
language), who forward a contact of their choosing or decline; the requester sees the status and
only what was released."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from matchmaking.models import ContactRequest
from tests import factories

pytestmark = pytest.mark.django_db
API = "/api/v1/contact-requests/"


def _send(client, user, member, message="We look for laser cladding for pump shafts."):
    client.force_login(user)
    return client.post(
        reverse("matchmaking:contact_request_create", args=[member.pk]),
        {"purpose": "supply", "message": message},
    )


def test_a_request_reaches_the_clusters_managers_in_their_language(
    client, world, found, manager_b, django_capture_on_commit_callbacks
):
    manager_b.language = "de"
    manager_b.save()
    second = factories.user("manager-b2@example.org", role="cluster_manager", scope=world.cluster_b)
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(client, world.coord_a, found.yew)
    request = ContactRequest.objects.get()
    assert response.status_code == 302 and response.url == request.get_absolute_url()
    assert request.cluster == world.cluster_b and request.status == "open"
    assert sorted(m.to[0] for m in mail.outbox) == [second.email, manager_b.email]
    german = next(m for m in mail.outbox if m.to == [manager_b.email])
    assert "Yew Works Oy" in german.subject and "Kontakt" in german.subject
    assert request.notified_at is not None
    assert "yew@member.example" not in " ".join(m.body for m in mail.outbox)


def test_forwarding_releases_only_what_the_manager_chose(client, world, found, manager_b):
    _send(client, world.coord_a, found.yew)
    request = ContactRequest.objects.get()
    detail = reverse("matchmaking:contact_request_detail", args=[request.pk])
    client.force_login(manager_b)
    page = client.get(detail).content.decode()
    assert "yew@member.example" in page  # the manager sees the record to choose from
    response = client.post(
        detail, {"action": "forward", "release_email": "on", "note": "Ask for Yrjö's team."}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "forwarded" and request.answered_by == manager_b
    assert request.released_email == "yew@member.example"
    assert request.released_name == "" and request.released_phone == ""

    client.force_login(world.coord_a)
    seen = client.get(detail).content.decode()
    assert "yew@member.example" in seen and "Ask for Yrjö&#x27;s team." in seen
    assert "Yrjö Yew" not in seen and "+358 40 000 0000" not in seen
    api = client.get(f"{API}{request.pk}/").json()
    assert api["released_email"] == "yew@member.example" and api["released_name"] == ""
    assert "Yrjö Yew" not in str(api) and "+358" not in str(api)


def test_an_open_request_shows_no_contact_to_the_requester(client, world, found):
    _send(client, world.coord_a, found.yew)
    request = ContactRequest.objects.get()
    client.force_login(world.coord_a)
    for body in (
        client.get(reverse("matchmaking:contact_request_detail", args=[request.pk])),
        client.get(f"{API}{request.pk}/"),
        client.get(API),
        client.get(reverse("matchmaking:contact_requests")),
    ):
        text = body.content.decode()
        assert "yew@member.example" not in text and "Yrjö Yew" not in text


def test_a_hidden_name_stays_hidden_from_the_requester(client, world, found):
    _send(client, world.coord_a, found.hidden)
    request = ContactRequest.objects.get()
    assert request.member_name == ""
    client.force_login(world.coord_a)
    for url in (
        reverse("matchmaking:contact_request_detail", args=[request.pk]),
        reverse("matchmaking:contact_requests"),
        f"{API}{request.pk}/",
    ):
        assert "Hidden Name AB" not in client.get(url).content.decode()


def test_declining_needs_a_reason_and_tells_the_requester(
    client, world, found, manager_b, django_capture_on_commit_callbacks
):
    _send(client, world.coord_a, found.yew)
    request = ContactRequest.objects.get()
    detail = reverse("matchmaking:contact_request_detail", args=[request.pk])
    client.force_login(manager_b)
    refused = client.post(detail, {"action": "decline", "reason": ""})
    assert refused.status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail, {"action": "decline", "reason": "They are fully booked this year."})
    request.refresh_from_db()
    assert request.status == "declined"
    assert [m.to for m in mail.outbox] == [[world.coord_a.email]]
    client.force_login(world.coord_a)
    assert "fully booked" in client.get(detail).content.decode()


def test_one_open_request_per_member_and_a_cap_per_person(client, world, found):
    _send(client, world.coord_a, found.yew)
    again = _send(client, world.coord_a, found.yew)
    assert again.status_code == 200
    assert "already have a request" in again.content.decode()
    assert ContactRequest.objects.count() == 1
    members = [factories.member(world.cluster_b, f"Firm {i}", country="FI") for i in range(3)]
    for member in members:
        factories.findable(member)
    with override_settings(MATCHMAKING_MAX_OPEN_CONTACT_REQUESTS=3):
        assert _send(client, world.coord_a, members[0]).status_code == 302
        assert _send(client, world.coord_a, members[1]).status_code == 302
        capped = _send(client, world.coord_a, members[2])
        assert capped.status_code == 200
        assert "You have 3 contact requests waiting for an answer" in capped.content.decode()
        # A withdrawn request frees a place.
        first = ContactRequest.objects.get(member=found.yew)
        client.post(first.get_absolute_url(), {"action": "withdraw"})
        assert _send(client, world.coord_a, members[2]).status_code == 302


def test_who_sees_and_answers_a_request(client, world, found, manager_b):
    _send(client, world.coord_a, found.yew)
    request = ContactRequest.objects.get()
    detail = reverse("matchmaking:contact_request_detail", args=[request.pk])
    for user in (world.coord_b, world.manager_a, world.manager_x, world.officer):
        client.force_login(user)
        assert client.get(detail).status_code == 404
        assert client.post(detail, {"action": "forward", "release_email": "on"}).status_code == 404
    client.force_login(world.coord_a)  # the requester does not answer their own request
    assert client.post(detail, {"action": "forward", "release_email": "on"}).status_code == 403
    client.force_login(manager_b)
    received = client.get(reverse("matchmaking:contact_requests_received")).content.decode()
    assert "Yew Works Oy" in received and "coord-a@example.org" in received
    client.force_login(world.manager_a)
    assert (
        "Yew Works Oy"
        not in client.get(reverse("matchmaking:contact_requests_received")).content.decode()
    )


def test_a_member_not_findable_cannot_be_asked_for(client, world, found):
    client.force_login(world.coord_a)
    for member in (found.quiet, found.lone):
        url = reverse("matchmaking:contact_request_create", args=[member.pk])
        assert client.get(url).status_code == 404
        answer = client.post(
            API,
            {"member": member.pk, "purpose": "supply", "message": "Hi"},
            content_type="application/json",
        )
        assert answer.status_code == 400
    assert not ContactRequest.objects.exists()


def test_the_api_flow_with_versions_and_idempotency(client, world, found, manager_b):
    client.force_login(world.coord_a)
    body = {"member": found.yew.pk, "purpose": "partnership", "message": "Let us talk."}
    created = client.post(
        API, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="contact-request-1"
    )
    assert created.status_code == 201, created.content
    replay = client.post(
        API, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="contact-request-1"
    )
    assert replay["Idempotent-Replayed"] == "true" and ContactRequest.objects.count() == 1
    url = f"{API}{created.json()['id']}/"
    etag = client.get(url)["ETag"]

    client.force_login(manager_b)
    assert client.get(f"{API}?box=received").json()["count"] == 1
    assert client.get(f"{API}?box=sent").json()["count"] == 0
    stale = client.post(
        f"{url}forward/",
        {"release_email": True},
        content_type="application/json",
        HTTP_IF_MATCH='"not-the-version"',
    )
    assert stale.status_code == 412
    forwarded = client.post(
        f"{url}forward/",
        {"release_email": True, "release_phone": True},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )
    assert forwarded.status_code == 200, forwarded.content
    assert forwarded.json()["released_phone"] == "+358 40 000 0000"
    again = client.post(f"{url}decline/", {"reason": "no"}, content_type="application/json")
    assert again.status_code == 400 and again.json()["code"] == "invalid"


def test_forwarding_nothing_is_refused(client, world, found, manager_b):
    _send(client, world.coord_a, found.yew)
    request = ContactRequest.objects.get()
    client.force_login(manager_b)
    response = client.post(request.get_absolute_url(), {"action": "forward"})
    assert response.status_code == 200
    assert "Choose a contact" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "open"
