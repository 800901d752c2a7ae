"""The B2B meetings through the API: offers and seeks, counterparts, requests and answers, the
schedule run and the follow-up, through the services the pages call; ETag and If-Match on what
can be edited; hostile input answers 400 (or a message on the page), never 500."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from missions.models import LocalCounterpart, Meeting, MeetingProfile
from tests import factories

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _token(user):
    return {"HTTP_AUTHORIZATION": f"Token {AuthToken.objects.create(user=user)[1]}"}


def test_a_request_is_made_answered_and_scheduled_through_the_api(client, world, b2b):
    manager = _token(world.manager_a)
    created = client.post(
        "/api/v1/meetings/",
        {
            "mission": b2b.mission.pk,
            "requester": b2b.alder.pk,
            "recipient_counterpart": b2b.maple.pk,
            "message": "Shelf space?",
        },
        content_type=JSON,
        **manager,
    )
    assert created.status_code == 201, created.json()
    meeting = created.json()
    assert meeting["state"] == "requested" and created["ETag"]
    # Asked twice: refused with the API's error shape.
    twice = client.post(
        "/api/v1/meetings/",
        {
            "mission": b2b.mission.pk,
            "requester": b2b.alder.pk,
            "recipient_counterpart": b2b.maple.pk,
        },
        content_type=JSON,
        **manager,
    )
    assert twice.status_code == 400 and twice.json()["code"] == "invalid"
    # The manager cannot accept for the counterpart; the organiser can.
    url = f"/api/v1/meetings/{meeting['id']}/accept/"
    assert client.post(url, **manager).status_code == 403
    organiser = _token(world.coord_a)
    accepted = client.post(url, **organiser)
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    scheduled = client.post(
        f"/api/v1/missions/{b2b.mission.pk}/schedule-meetings/", **organiser
    ).json()
    assert scheduled == {"placed": [meeting["id"]], "unplaced": [], "kept": 0}
    row = client.get(f"/api/v1/meetings/{meeting['id']}/", **manager).json()
    assert row["table"] == 1 and row["starts_at"]


def test_offers_and_counterparts_are_written_through_the_api(client, world, b2b):
    manager = _token(world.manager_a)
    response = client.post(
        "/api/v1/meeting-profiles/",
        {"participation": b2b.alder.pk, "offers": "Cold-chain sensors", "seeks": "Grocers"},
        content_type=JSON,
        **manager,
    )
    assert response.status_code == 201, response.json()
    assert MeetingProfile.objects.get().offers == "Cold-chain sensors"
    for_other = client.post(
        "/api/v1/meeting-profiles/",
        {"participation": b2b.cedar.pk, "offers": "x"},
        content_type=JSON,
        **manager,
    )
    assert for_other.status_code == 403
    organiser = _token(world.coord_a)
    counterpart = client.post(
        "/api/v1/counterparts/",
        {"mission": b2b.mission.pk, "name": "Lakeshore Retail", "kind": "company"},
        content_type=JSON,
        **organiser,
    )
    assert counterpart.status_code == 201, counterpart.json()
    assert counterpart.json()["country"] == "CA"  # the mission's, unless given
    refused = client.post(
        "/api/v1/counterparts/",
        {"mission": b2b.mission.pk, "name": "Other", "kind": "company"},
        content_type=JSON,
        **manager,
    )
    assert refused.status_code == 403
    assert LocalCounterpart.objects.count() == 2


@pytest.mark.parametrize("kind", ["meeting-profiles", "counterparts", "meetings"])
def test_a_stale_if_match_answers_412_and_writes_nothing(client, world, b2b, kind):
    organiser = _token(world.coord_a)
    if kind == "meeting-profiles":
        obj, change = factories.meeting_profile(b2b.alder), {"offers": "Mine"}
    elif kind == "counterparts":
        obj, change = b2b.maple, {"offers": "Mine"}
    else:
        b2b.mission.start_date = timezone.localdate() - timedelta(days=1)
        b2b.mission.save()
        obj = factories.meeting(b2b.alder, b2b.maple, state="accepted")
        change = {"took_place": True, "follow_up": "talks", "follow_up_note": "Mine"}
    url = f"/api/v1/{kind}/{obj.pk}/"
    read = client.get(url, **organiser)
    etag = read["ETag"]
    type(obj).objects.filter(pk=obj.pk).update(updated_at=timezone.now() + timedelta(seconds=5))
    stale = client.patch(url, change, content_type=JSON, HTTP_IF_MATCH=etag, **organiser)
    assert stale.status_code == 412 and stale.json()["code"] == "precondition_failed"
    fresh = client.get(url, **organiser)["ETag"]
    saved = client.patch(url, change, content_type=JSON, HTTP_IF_MATCH=fresh, **organiser)
    assert saved.status_code == 200, saved.json()
    assert saved["ETag"] != fresh
    malformed = client.patch(url, change, content_type=JSON, HTTP_IF_MATCH="garbage", **organiser)
    assert malformed.status_code == 412


def test_an_answer_with_a_stale_if_match_is_refused(client, world, b2b):
    meeting = factories.meeting(b2b.alder, b2b.maple)
    organiser = _token(world.coord_a)
    url = f"/api/v1/meetings/{meeting.pk}/"
    etag = client.get(url, **organiser)["ETag"]
    Meeting.objects.filter(pk=meeting.pk).update(message="Changed meanwhile")
    stale = client.post(f"{url}decline/", HTTP_IF_MATCH=etag, **organiser)
    assert stale.status_code == 412
    meeting.refresh_from_db()
    assert meeting.state == "requested"


def test_only_the_follow_up_changes_after_the_request(client, world, b2b):
    b2b.mission.start_date = timezone.localdate() - timedelta(days=1)
    b2b.mission.save()
    meeting = factories.meeting(b2b.alder, b2b.maple, state="accepted", message="Original")
    organiser = _token(world.coord_a)
    response = client.patch(
        f"/api/v1/meetings/{meeting.pk}/",
        {"message": "Rewritten", "recipient": b2b.cedar.pk, "took_place": True},
        content_type=JSON,
        **organiser,
    )
    assert response.status_code == 200, response.json()
    meeting.refresh_from_db()
    assert (meeting.message, meeting.recipient_counterpart, meeting.took_place) == (
        "Original",
        b2b.maple,
        True,
    )


# --- hostile input -----------------------------------------------------------------------------


HOSTILE_BODIES = [
    {"mission": 10**30, "requester": 1, "recipient": 2},
    {"mission": "x", "requester": "y", "recipient": []},
    {"mission": -1, "requester": 0, "recipient_counterpart": 2**63},
    {"mission": None},
    {},
    {"mission": 1, "requester": 1, "requester_counterpart": 1, "recipient": 1},
]


@pytest.mark.parametrize("body", HOSTILE_BODIES)
def test_hostile_meeting_requests_answer_400(client, world, b2b, body):
    response = client.post("/api/v1/meetings/", body, content_type=JSON, **_token(world.manager_a))
    assert response.status_code == 400, response.content
    assert set(response.json()) == {"status", "code", "detail", "errors"}


def test_hostile_settings_and_filters_answer_400_or_a_message(client, world, b2b):
    organiser = _token(world.coord_a)
    for change in (
        {"meeting_tables": 10**9},
        {"meeting_tables": 0},
        {"meeting_minutes": 5},
        {"meeting_minutes": 99999},
        {"meeting_day_start": "25:00"},
        {"meeting_day_start": "17:00", "meeting_day_end": "09:00"},
        {"meeting_time_zone": "Mars/Olympus"},
        {"start_date": "99999-01-01"},
    ):
        response = client.patch(
            f"/api/v1/missions/{b2b.mission.pk}/", change, content_type=JSON, **organiser
        )
        assert response.status_code == 400, (change, response.content)
    for query in (
        "mission=99999999999999999999999",
        "participation=abc",
        "state=nonsense",
        "scheduled=maybe",
    ):
        response = client.get(f"/api/v1/meetings/?{query}", **organiser)
        assert response.status_code in (200, 400), (query, response.status_code)
    client.force_login(world.coord_a)
    page = client.post(
        reverse("missions:meeting_settings_edit", args=[b2b.mission.pk]),
        {
            "meeting_minutes": "100000000000",
            "meeting_day_start": "17:00",
            "meeting_day_end": "09:00",
            "meeting_tables": "-3",
        },
    )
    assert page.status_code == 200
    assert page.context["form"].errors


def test_bad_ids_and_choices_on_the_pages_are_messages_or_404(client, world, b2b):
    client.force_login(world.manager_a)
    url = reverse("missions:meetings", args=[b2b.mission.pk])
    for data in (
        {"requester": "p999999999", "recipient": f"p{b2b.cedar.pk}"},
        {"requester": f"p{b2b.alder.pk}", "recipient": "c" + "9" * 40},
        {"requester": f"p{b2b.cedar.pk}", "recipient": f"p{b2b.alder.pk}"},  # not theirs
        {"requester": f"p{b2b.alder.pk}", "recipient": f"p{b2b.alder.pk}"},
        {"requester": f"p{b2b.alder.pk}", "recipient": f"p{b2b.cedar.pk}", "message": "x" * 600},
    ):
        response = client.post(url, data)
        assert response.status_code == 200, (data, response.status_code)
        assert response.context["form"].errors, data
    assert not Meeting.objects.exists()
    assert client.get(reverse("missions:meetings", args=[99999999])).status_code == 404
    assert client.get(reverse("missions:agenda", args=[99999999])).status_code == 404
    action = reverse("missions:meeting_action", args=[99999999, "accept"])
    assert client.post(action).status_code == 404
    assert client.get("/missions/999999999999999999999999/meetings/").status_code == 404


def test_an_agenda_asked_with_a_malformed_id_is_not_found(client, world, b2b):
    client.force_login(world.coord_a)
    for pk in ("abc", "1.5", "%E6%8E%86", "99999999999999999999999"):
        assert client.get(f"/api/v1/participations/{pk}/agenda/").status_code == 404, pk
        assert client.get(f"/api/v1/meetings/{pk}/").status_code == 404, pk
        assert client.post(f"/api/v1/meetings/{pk}/accept/").status_code == 404, pk
