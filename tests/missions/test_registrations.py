"""Registrations: places and the waiting list, the deadline, who registers whom, confirming,
cancelling and taking part."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from missions.models import Participation
from missions.services.missions import participation_cancel
from partnerships.services.members import member_erase
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_eleventh_registration_on_ten_seats_goes_to_the_waiting_list(
    client, world, mission, members_a, register
):
    client.force_login(world.manager_a)
    statuses = [register(mission, m).json()["status"] for m in members_a[:11]]
    assert statuses == ["registered"] * 10 + ["waiting"]
    # A cancellation moves the first on the waiting list up.
    first = Participation.objects.filter(mission=mission).order_by("pk").first()
    client.post(f"/api/v1/participations/{first.pk}/cancel/")
    assert Participation.objects.get(member=members_a[10]).status == "registered"
    again = register(mission, members_a[1])
    assert again.status_code == 400 and "Already registered" in str(again.json())
    # A cancelled registration can be made again: at the end of the queue.
    back = register(mission, members_a[0])
    assert back.status_code == 201 and back.json()["status"] == "waiting"


def test_more_places_move_the_waiting_list_up_in_order(client, world, mission, members_a, register):
    mission.capacity = 2
    mission.save()
    client.force_login(world.manager_a)
    for member in members_a[:4]:
        register(mission, member)
    client.force_login(world.coord_a)
    client.patch(
        f"/api/v1/missions/{mission.pk}/", {"capacity": 3}, content_type="application/json"
    )
    statuses = [p.status for p in Participation.objects.order_by("pk")]
    assert statuses == ["registered", "registered", "registered", "waiting"]


def test_a_cancellation_on_a_full_mission_promotes_only_into_free_places(world, mission, members_a):
    mission.capacity = 1
    mission.save()
    first = factories.participation(mission, members_a[0], status="confirmed")
    factories.participation(mission, members_a[1], status="waiting")
    factories.participation(mission, members_a[2], status="waiting")
    promoted = participation_cancel(actor=world.coord_a, participation=first)
    assert promoted.member == members_a[1]
    assert Participation.objects.get(member=members_a[2]).status == "waiting"


def test_registration_after_the_deadline_is_refused_with_a_clear_message(
    client, world, mission, members_a, register
):
    mission.registration_deadline = timezone.localdate() - timedelta(days=1)
    mission.save()
    client.force_login(world.manager_a)
    response = register(mission, members_a[0])
    assert response.status_code == 400
    assert f"Registration closed on {mission.registration_deadline.isoformat()}." in str(
        response.json()
    )
    page = client.post(
        reverse("missions:mission_detail", args=[mission.pk]), {"member": members_a[0].pk}
    )
    assert "Registration closed on" in page.content.decode()
    assert not Participation.objects.exists()


def test_a_manager_registers_only_their_own_members(client, world, mission, register):
    other = factories.member(world.cluster_a2, "Not yours", employees=5)
    client.force_login(world.manager_a)
    assert register(mission, other).status_code in (400, 403)
    client.force_login(world.manager_x)  # not a partner: cannot even see the mission
    assert client.get(f"/api/v1/missions/{mission.pk}/").status_code == 404
    assert not Participation.objects.exists()


def test_taking_part_needs_a_started_mission_and_a_registration(client, world, mission, members_a):
    today = timezone.localdate()
    started = factories.mission(world.a, "Under way", start=today - timedelta(days=1), days=2)

    def took_part(mission, member, status):
        participation = factories.participation(mission, member, status=status)
        client.post(reverse("missions:participation_action", args=[participation.pk, "attended"]))
        participation.refresh_from_db()
        return participation.status

    client.force_login(world.coord_a)
    assert took_part(mission, members_a[0], "confirmed") == "confirmed"  # not started yet
    assert took_part(started, members_a[1], "waiting") == "waiting"  # never had a place
    assert took_part(started, members_a[2], "confirmed") == "attended"


def test_erased_members_cannot_be_registered_or_named(client, world, mission, members_a, register):
    gone = members_a[0]
    member_erase(actor=world.manager_a, member=gone)
    client.force_login(world.manager_a)
    assert register(mission, gone).status_code == 400
    client.force_login(world.coord_a)
    outcome = client.post(
        "/api/v1/outcomes/",
        {
            "partnership": world.a.pk,
            "kind": "mou",
            "counterpart": "X",
            "counterpart_country": "CA",
            "date": "2025-01-01",
            "members": [gone.pk],
        },
        content_type="application/json",
    )
    assert outcome.status_code == 400
    assert not Participation.objects.exists()
