"""Edge cases found by probing the missions pages and API."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from missions.models import Mission, Participation
from missions.reminders import send_mission_reminders
from partnerships.members import member_erase
from partnerships.models import ClusterMembership
from strategy.selectors import kpi_values
from tests import factories

pytestmark = pytest.mark.django_db


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
    from missions.services import participation_cancel

    mission.capacity = 1
    mission.save()
    first = Participation.objects.create(
        mission=mission, member=members_a[0], cluster=world.cluster_a, status="confirmed"
    )
    Participation.objects.create(
        mission=mission, member=members_a[1], cluster=world.cluster_a, status="waiting"
    )
    Participation.objects.create(
        mission=mission, member=members_a[2], cluster=world.cluster_a, status="waiting"
    )
    promoted = participation_cancel(actor=world.coord_a, participation=first)
    assert promoted.member == members_a[1]
    assert Participation.objects.get(member=members_a[2]).status == "waiting"


def test_taking_part_needs_a_started_mission_and_a_registration(client, world, mission, members_a):
    today = timezone.localdate()
    started = Mission.objects.create(
        partnership=world.a,
        title="Under way",
        country="CA",
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=1),
    )

    def took_part(mission, member, status):
        participation = Participation.objects.create(
            mission=mission, member=member, cluster=world.cluster_a, status=status
        )
        client.post(reverse("missions:participation_action", args=[participation.pk, "attended"]))
        participation.refresh_from_db()
        return participation.status

    client.force_login(world.coord_a)
    assert took_part(mission, members_a[0], "confirmed") == "confirmed"  # not started yet
    assert took_part(started, members_a[1], "waiting") == "waiting"  # never had a place
    assert took_part(started, members_a[2], "confirmed") == "attended"


def test_one_member_in_two_clusters_is_not_an_export_group(client, world):
    both = factories.member(world.cluster_a, "Twice")
    ClusterMembership.objects.create(member=both, cluster=world.cluster_a2)
    client.force_login(world.coord_a)
    response = client.post(
        "/api/v1/export-groups/",
        {
            "partnership": world.a.pk,
            "name": "G",
            "goal": "g",
            "members": [both.pk, both.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 400


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


def test_members_count_for_the_mission_kpi_only_once_they_went(
    world, mission, members_a, derived_kpi
):
    kpi = derived_kpi("mission_members")
    Participation.objects.create(
        mission=mission, member=members_a[0], cluster=world.cluster_a, status="confirmed"
    )  # the mission is still ahead
    assert kpi_values([kpi])[kpi.pk].current in (0, None)


def test_deadline_reminders_reach_missions_further_ahead(world, mission, members_a):
    today = timezone.localdate()
    mission.registration_deadline = today + timedelta(days=2)
    mission.start_date = today + timedelta(days=20)
    mission.end_date = today + timedelta(days=22)
    mission.save()
    Participation.objects.create(
        mission=mission, member=members_a[0], cluster=world.cluster_a, status="registered"
    )
    assert send_mission_reminders() == 1
    assert mail.outbox[0].subject.startswith("Confirm your registrations")


def test_filters_do_not_tell_which_partnerships_have_missions(client, world, mission):
    Mission.objects.create(
        partnership=world.b,
        title="Beta",
        country="US",
        start_date=mission.start_date,
        end_date=mission.end_date,
    )
    client.force_login(world.manager_a)
    hidden = client.get(f"/api/v1/missions/?partnership={world.b.pk}")
    none = client.get(f"/api/v1/missions/?partnership={world.draft.pk}")
    assert hidden.status_code == none.status_code == 400


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "abc", "2026-00"])
def test_any_month_in_the_address_shows_a_calendar(client, world, month):
    client.force_login(world.coord_a)
    assert client.get(reverse("missions:calendar"), {"month": month}).status_code == 200


def test_officers_see_counts_not_companies(client, world, mission, members_a):
    Participation.objects.create(
        mission=mission, member=members_a[0], cluster=world.cluster_a, status="registered"
    )
    client.force_login(world.officer)
    page = client.get(reverse("missions:mission_detail", args=[mission.pk])).content.decode()
    assert "Firm 00" not in page and "1 places taken" in page


def test_feed_tokens_with_odd_characters_answer_404(client, world):
    assert client.get("/calendar/%00" + "a" * 40 + ".ics").status_code == 404
