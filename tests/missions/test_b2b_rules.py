"""B2B meetings: who may state offers and seeks, request, answer, withdraw and see what. A
participant's side is whoever may register for its cluster; the organiser's side is whoever may
edit the mission (its coordinators), which also speaks for the local counterparts and alone
sees their contacts. A member's offers show only where the mission's registrations do."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from missions.models import Meeting, MeetingProfile
from missions.services import meetings as services
from tests import factories

pytestmark = pytest.mark.django_db


def _page(client, user, b2b):
    client.force_login(user)
    return client.get(reverse("missions:meetings", args=[b2b.mission.pk]))


def test_a_manager_states_offers_for_their_own_cluster_only(client, world, b2b):
    client.force_login(world.manager_a)
    url = reverse("missions:offers_edit", args=[b2b.alder.pk])
    response = client.post(url, {"offers": "Sensors for cold chains", "seeks": "Distributors"})
    assert response.status_code == 302
    profile = MeetingProfile.objects.get(participation=b2b.alder)
    assert profile.offers == "Sensors for cold chains"
    # Alpha Two's participant is another cluster's: seen, not theirs to change.
    assert client.get(reverse("missions:offers_edit", args=[b2b.cedar.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.meeting_profile_save(actor=world.manager_a, participation=b2b.cedar, offers="x")


def test_offers_show_where_the_registrations_do(client, world, b2b):
    factories.meeting_profile(b2b.cedar, offers="Recycled trays", seeks="Canadian retailers")
    for user in (world.coord_a, world.manager_a, b2b.manager_a2):
        body = _page(client, user, b2b).content.decode()
        assert "Recycled trays" in body and "Cedar SAS" in body, user
    # Another partnership's coordinator and an outside manager do not even find the page.
    for user in (world.coord_b, world.manager_x):
        assert _page(client, user, b2b).status_code == 404, user
        client.force_login(user)
        url = reverse("missions:offers_edit", args=[b2b.cedar.pk])
        assert client.get(url).status_code == 404
        assert client.get("/api/v1/meeting-profiles/").json()["results"] == []
    # An EC officer reads the figures, never the names or the offers.
    body = _page(client, world.officer, b2b).content.decode()
    assert "Recycled trays" not in body and "Cedar SAS" not in body
    assert "who meets whom stays with its partnership" in body
    client.force_login(world.officer)
    assert client.get(reverse("missions:offers_edit", args=[b2b.cedar.pk])).status_code == 403
    assert client.get("/api/v1/meeting-profiles/").json()["results"] == []


def test_counterpart_contacts_stay_with_the_organiser_side(client, world, b2b):
    organiser = _page(client, world.coord_a, b2b).content.decode()
    assert "Maple Foods" in organiser and "jo@maple.example" in organiser
    manager = _page(client, world.manager_a, b2b).content.decode()
    assert "Maple Foods" in manager and "Compostable packaging" in manager
    for secret in ("jo@maple.example", "Jo Tremblay", "555 0100"):
        assert secret not in manager
    client.force_login(world.manager_a)
    row = client.get(f"/api/v1/counterparts/{b2b.maple.pk}/").json()
    assert row["name"] == "Maple Foods" and row["contact_hidden"] is True
    assert row["contact_email"] == row["contact_name"] == row["contact_phone"] == ""
    client.force_login(world.coord_a)
    row = client.get(f"/api/v1/counterparts/{b2b.maple.pk}/").json()
    assert row["contact_email"] == "jo@maple.example" and row["contact_hidden"] is False
    # Only the organiser's side enters or edits counterparts.
    client.force_login(world.manager_a)
    add = reverse("missions:counterpart_add", args=[b2b.mission.pk])
    assert client.get(add).status_code == 403
    assert client.get(reverse("missions:counterpart_edit", args=[b2b.maple.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.counterpart_save(actor=world.manager_a, mission=b2b.mission, name="Birch Inc")


def test_a_manager_requests_for_their_participant_and_the_other_side_answers(
    client, world, b2b, django_capture_on_commit_callbacks
):
    client.force_login(world.manager_a)
    url = reverse("missions:meetings", args=[b2b.mission.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "requester": f"p{b2b.alder.pk}",
                "recipient": f"p{b2b.cedar.pk}",
                "message": "Trays for our sensors?",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get()
    assert (meeting.requester, meeting.recipient, meeting.state) == (
        b2b.alder,
        b2b.cedar,
        "requested",
    )
    # Alpha Two's manager is told.
    assert [m.to for m in mail.outbox] == [["manager-a2@example.org"]]
    assert "Alder GmbH" in mail.outbox[0].subject
    # The asking side cannot answer its own request; the other side can.
    with pytest.raises(PermissionDenied):
        services.meeting_accept(actor=world.manager_a, meeting=meeting)
    client.force_login(b2b.manager_a2)
    with django_capture_on_commit_callbacks(execute=True):
        action = reverse("missions:meeting_action", args=[meeting.pk, "accept"])
        assert client.post(action).status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == "accepted" and meeting.answered_by == b2b.manager_a2
    assert mail.outbox[-1].to == ["manager-a@example.org"]
    assert "accepted" in mail.outbox[-1].subject
    # Answered once: a second answer is refused with a message.
    with pytest.raises(ValidationError):
        services.meeting_decline(actor=b2b.manager_a2, meeting=meeting)


def test_the_organiser_answers_for_a_counterpart_and_asks_for_it(world, b2b):
    asked = services.meeting_request(
        actor=world.manager_a, mission=b2b.mission, requester=b2b.aspen, recipient=b2b.maple
    )
    with pytest.raises(PermissionDenied):
        services.meeting_accept(actor=b2b.manager_a2, meeting=asked)
    assert services.meeting_accept(actor=world.coord_a, meeting=asked).state == "accepted"
    for_counterpart = services.meeting_request(
        actor=world.coord_a, mission=b2b.mission, requester=b2b.maple, recipient=b2b.cedar
    )
    assert for_counterpart.requester_counterpart == b2b.maple
    with pytest.raises(PermissionDenied):  # a manager does not speak for a counterpart
        services.meeting_request(
            actor=world.manager_a, mission=b2b.mission, requester=b2b.maple, recipient=b2b.alder
        )


def test_a_pair_meets_once_and_nobody_meets_themselves(world, b2b):
    services.meeting_request(
        actor=world.manager_a, mission=b2b.mission, requester=b2b.alder, recipient=b2b.cedar
    )
    with pytest.raises(ValidationError, match="asked already"):  # the other way round too
        services.meeting_request(
            actor=world.coord_a, mission=b2b.mission, requester=b2b.cedar, recipient=b2b.alder
        )
    with pytest.raises(ValidationError, match="themselves"):
        services.meeting_request(
            actor=world.manager_a, mission=b2b.mission, requester=b2b.alder, recipient=b2b.alder
        )
    # A waiting participant holds no place: nobody meets it yet.
    with pytest.raises(ValidationError, match="does not hold a place"):
        services.meeting_request(
            actor=world.manager_a, mission=b2b.mission, requester=b2b.alder, recipient=b2b.waiting
        )
    # Another mission's participant is not a party of this one.
    other = factories.mission(world.a, "Elsewhere")
    stranger = factories.participation(other, factories.member(world.cluster_a, "Elm Oy"))
    with pytest.raises(ValidationError, match="of this mission"):
        services.meeting_request(
            actor=world.manager_a, mission=b2b.mission, requester=b2b.alder, recipient=stranger
        )


def test_a_withdrawn_request_may_be_made_again_and_only_by_the_asking_side(world, b2b):
    meeting = services.meeting_request(
        actor=world.manager_a, mission=b2b.mission, requester=b2b.alder, recipient=b2b.cedar
    )
    with pytest.raises(PermissionDenied):
        services.meeting_withdraw(actor=b2b.manager_a2, meeting=meeting)
    assert services.meeting_withdraw(actor=world.manager_a, meeting=meeting).state == "withdrawn"
    again = services.meeting_request(
        actor=world.manager_a, mission=b2b.mission, requester=b2b.alder, recipient=b2b.cedar
    )
    assert again.pk != meeting.pk and again.state == "requested"


def test_a_manager_sees_their_own_participants_meetings_and_the_organiser_all(client, world, b2b):
    ours = factories.meeting(b2b.alder, b2b.maple, message="Ours to see")
    theirs = factories.meeting(b2b.cedar, b2b.maple, message="Not for Alpha Cluster")
    client.force_login(world.manager_a)
    ids = {row["id"] for row in client.get("/api/v1/meetings/").json()["results"]}
    assert ids == {ours.pk}
    assert client.get(f"/api/v1/meetings/{theirs.pk}/").status_code == 404
    assert "Not for Alpha Cluster" not in _page(client, world.manager_a, b2b).content.decode()
    client.force_login(world.coord_a)
    ids = {row["id"] for row in client.get("/api/v1/meetings/").json()["results"]}
    assert ids == {ours.pk, theirs.pk}
    for user in (world.officer, world.coord_b, world.manager_x):
        client.force_login(user)
        assert client.get("/api/v1/meetings/").json()["results"] == [], user
        assert client.get(f"/api/v1/meetings/{ours.pk}/").status_code == 404, user


def test_agendas_are_for_the_participants_side_and_the_organiser(client, world, b2b):
    url = reverse("missions:agenda", args=[b2b.alder.pk])
    for user, status in (
        (world.manager_a, 200),
        (world.coord_a, 200),
        (b2b.manager_a2, 403),  # sees the registration, not this participant's agenda
        (world.officer, 403),
        (world.coord_b, 404),
        (world.manager_x, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user
        api = client.get(f"/api/v1/participations/{b2b.alder.pk}/agenda/")
        assert api.status_code == status, user


def test_only_the_organiser_schedules_and_changes_the_settings(client, world, b2b):
    client.force_login(world.manager_a)
    schedule = reverse("missions:meetings_schedule", args=[b2b.mission.pk])
    assert client.post(schedule).status_code == 403
    assert client.post(f"/api/v1/missions/{b2b.mission.pk}/schedule-meetings/").status_code == 403
    settings_url = reverse("missions:meeting_settings_edit", args=[b2b.mission.pk])
    assert client.get(settings_url).status_code == 403
    client.force_login(world.coord_a)
    assert client.get(settings_url).status_code == 200
    assert client.post(schedule).status_code == 302
