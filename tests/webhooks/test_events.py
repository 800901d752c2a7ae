"""Each event is emitted by the service that makes the write, once, after the commit; it reaches
only the subscriptions whose owner may see the object (a coordinator of another partnership
hears nothing of A's values, outcomes or members)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from escp_portal.accounts.models import Role, RoleAssignment
from escp_portal.webhooks import events
from escp_portal.webhooks.models import Delivery
from evaluation.services import recompute_scoreboard
from missions.services.missions import (
    mission_save,
    outcome_save,
    participation_cancel,
    participation_confirm,
    participation_register,
)
from partnerships.services.members import (
    member_create,
    member_erase,
    member_join,
    member_remove,
    member_update,
)
from strategy.services.reporting import measurement_approve, measurement_report
from tests import factories

pytestmark = pytest.mark.django_db

Q1 = date(2025, 3, 31)


@pytest.fixture
def hooks(world, receiver, subscribe):
    """A's coordinator, A's cluster manager and B's coordinator each subscribe to everything,
    each with a receiver of their own."""
    made = {}
    for role in ("coord_a", "manager_a", "coord_b"):
        r = receiver()
        made[role] = (subscribe(getattr(world, role), r.url), r)
    return made


def bodies(hooks, role):
    return [b for b in hooks[role][1].bodies() if b["event"] != "scoreboard.recomputed"]


def events_of(hooks, role, *, scoreboards=False):
    """The events the role's receiver got. Missions, outcomes and approved values also change
    the scoreboard, whose recompute is announced too: left out unless asked for."""
    return [
        body["event"]
        for body in hooks[role][1].bodies()
        if scoreboards or body["event"] != "scoreboard.recomputed"
    ]


def test_a_reported_value_and_its_approval_reach_insiders_only(
    world, plan, hooks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        value = measurement_report(actor=world.manager_a, kpi=plan["kpi"], period_end=Q1, value=7)
    assert events_of(hooks, "coord_a") == ["measurement.submitted"]
    assert events_of(hooks, "manager_a") == ["measurement.submitted"]
    assert events_of(hooks, "coord_b") == []
    body = bodies(hooks, "coord_a")[0]
    assert set(body) == {"id", "event", "created_at", "data"}
    assert body["data"]["resource"] == "measurement"
    assert body["data"]["id"] == value.pk
    assert body["data"]["partnership_id"] == world.a.pk
    assert body["data"]["object"]["value"] == "7.00"
    assert body["data"]["object"]["status"] == "submitted"
    assert body["data"]["object"]["period_end"] == "2025-03-31"

    with django_capture_on_commit_callbacks(execute=True):
        measurement_approve(actor=world.coord_a, measurement=value)
    assert events_of(hooks, "coord_a")[1:] == ["measurement.approved"]
    assert events_of(hooks, "coord_b") == []
    approved = bodies(hooks, "coord_a")[1]
    assert approved["data"]["object"]["status"] == "approved"
    assert approved["id"] != body["id"]


def test_the_same_event_is_sent_once_per_write(
    world, plan, hooks, django_capture_on_commit_callbacks
):
    from strategy.services.reporting import measurements_bulk

    with django_capture_on_commit_callbacks(execute=True):
        measurements_bulk(
            actor=world.manager_a,
            rows=[
                {"kpi": plan["kpi"].pk, "period_end": "2025-03-31", "value": "1"},
                {"kpi": plan["kpi"].pk, "period_end": "2025-06-30", "value": "2"},
            ],
        )
    got = bodies(hooks, "coord_a")
    assert [b["event"] for b in got] == ["measurement.submitted"] * 2
    assert len({b["data"]["id"] for b in got}) == 2
    assert Delivery.objects.filter(subscription=hooks["coord_a"][0]).count() == 2


def test_missions_created_changed_and_cancelled(world, hooks, django_capture_on_commit_callbacks):
    start = timezone.localdate() + timedelta(days=40)
    fields = {
        "title": "Buyers in Montreal",
        "kind": "trade_mission",
        "country": "CA",
        "city": "Montreal",
        "start_date": start,
        "end_date": start + timedelta(days=3),
    }
    with django_capture_on_commit_callbacks(execute=True):
        mission = mission_save(actor=world.coord_a, partnership=world.a, **fields)
    with django_capture_on_commit_callbacks(execute=True):
        mission_save(actor=world.coord_a, partnership=world.a, mission=mission, city="Quebec")
    with django_capture_on_commit_callbacks(execute=True):
        mission_save(actor=world.coord_a, partnership=world.a, mission=mission, status="cancelled")
    assert events_of(hooks, "coord_a") == [
        "mission.created",
        "mission.changed",
        "mission.cancelled",
    ]
    changed = bodies(hooks, "coord_a")[1]["data"]
    assert changed["resource"] == "mission"
    assert changed["object"]["city"] == "Quebec"
    assert changed["partnership_id"] == world.a.pk
    # The policy shows the missions of published partnerships to every coordinator (the common
    # calendar of missions): B's coordinator sees them, and hears of them too.
    assert events_of(hooks, "coord_b") == events_of(hooks, "coord_a")


def test_missions_of_a_draft_partnership_stay_with_its_insiders(
    world, hooks, django_capture_on_commit_callbacks
):
    start = timezone.localdate() + timedelta(days=40)
    with django_capture_on_commit_callbacks(execute=True):
        mission_save(
            actor=world.coord_a,
            partnership=world.draft,
            title="Quiet trip",
            kind="trade_mission",
            country="CA",
            start_date=start,
            end_date=start,
        )
    assert events_of(hooks, "coord_a") == ["mission.created"]
    assert events_of(hooks, "coord_b") == []
    assert events_of(hooks, "manager_a") == []


def test_registrations(world, hooks, django_capture_on_commit_callbacks):
    mission = factories.mission(world.a)
    member = factories.member(world.cluster_a, "Alder GmbH")
    with django_capture_on_commit_callbacks(execute=True):
        registration = participation_register(actor=world.manager_a, mission=mission, member=member)
    with django_capture_on_commit_callbacks(execute=True):
        participation_confirm(actor=world.coord_a, participation=registration)
    with django_capture_on_commit_callbacks(execute=True):
        participation_cancel(actor=world.manager_a, participation=registration)
    assert events_of(hooks, "manager_a") == ["registration.changed"] * 3
    statuses = [b["data"]["object"]["status"] for b in bodies(hooks, "manager_a")]
    assert statuses == ["registered", "confirmed", "cancelled"]
    assert bodies(hooks, "manager_a")[0]["data"]["resource"] == "participation"
    assert events_of(hooks, "coord_b") == []


def test_outcomes(world, hooks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = outcome_save(
            actor=world.coord_a,
            partnership=world.a,
            kind="contract",
            counterpart="Maple Foods",
            counterpart_country="CA",
            value=Decimal("125000"),
            date=date(2025, 5, 1),
        )
    assert events_of(hooks, "coord_a") == ["outcome.recorded"]
    data = bodies(hooks, "coord_a")[0]["data"]
    assert data == {
        "resource": "outcome",
        "id": outcome.pk,
        "partnership_id": world.a.pk,
        "object": {
            "mission_id": None,
            "kind": "contract",
            "counterpart": "Maple Foods",
            "counterpart_country": "CA",
            "value": "125000.00",
            "date": "2025-05-01",
        },
    }
    assert events_of(hooks, "coord_b") == []


def test_members(world, hooks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        member = member_create(
            actor=world.manager_a, cluster=world.cluster_a, name="Alder GmbH", country="DE"
        )
    with django_capture_on_commit_callbacks(execute=True):
        member_update(actor=world.manager_a, member=member, name="Alder AG")
    with django_capture_on_commit_callbacks(execute=True):
        member_erase(actor=world.manager_a, member=member)
    names = [b["data"]["object"]["name"] for b in bodies(hooks, "manager_a")]
    assert events_of(hooks, "manager_a") == ["member.changed"] * 3
    assert names == ["Alder GmbH", "Alder AG", f"Erased member #{member.pk}"]
    # A's coordinator sees the members of A's partner clusters; B's coordinator does not.
    assert events_of(hooks, "coord_a") == ["member.changed"] * 3
    assert events_of(hooks, "coord_b") == []


def test_a_member_joining_and_leaving_a_cluster(world, hooks, django_capture_on_commit_callbacks):
    """A member of the lone cluster joins A's partner cluster: A's readers hear of it; when it
    leaves again they hear nothing more (it is gone from what they see), B's coordinator never."""
    RoleAssignment.objects.create(
        user=world.manager_x, role=Role.CLUSTER_MANAGER, cluster=world.cluster_a
    )
    member = factories.member(world.cluster_x, name="Birch Oy")
    with django_capture_on_commit_callbacks(execute=True):
        member_join(actor=world.manager_x, member=member, cluster=world.cluster_a)
    assert events_of(hooks, "manager_a") == ["member.changed"]
    assert events_of(hooks, "coord_a") == ["member.changed"]
    assert bodies(hooks, "coord_a")[0]["data"]["object"]["name"] == "Birch Oy"
    with django_capture_on_commit_callbacks(execute=True):
        member_remove(actor=world.manager_x, member=member, cluster=world.cluster_a)
    assert events_of(hooks, "manager_a") == ["member.changed"]
    assert events_of(hooks, "coord_b") == []


def test_scoreboard_recomputed(world, plan, hooks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        recompute_scoreboard(world.a.pk)
    assert events_of(hooks, "coord_a", scoreboards=True) == ["scoreboard.recomputed"]
    data = hooks["coord_a"][1].bodies()[0]["data"]
    assert data["resource"] == "scoreboard"
    assert data["partnership_id"] == world.a.pk
    assert data["object"] == {"date": timezone.localdate().isoformat()}
    assert events_of(hooks, "coord_b") == []


def test_a_subscription_gets_only_the_events_it_chose(
    world, plan, receiver, subscribe, django_capture_on_commit_callbacks
):
    only_approvals = receiver()
    subscribe(world.coord_a, only_approvals.url, ["measurement.approved"])
    with django_capture_on_commit_callbacks(execute=True):
        value = measurement_report(actor=world.manager_a, kpi=plan["kpi"], period_end=Q1, value=7)
    with django_capture_on_commit_callbacks(execute=True):
        measurement_approve(actor=world.coord_a, measurement=value)
    assert [b["event"] for b in only_approvals.bodies()] == ["measurement.approved"]


def test_every_event_is_emitted_by_a_test_above():
    assert set(events.NAMES) == {
        "measurement.submitted",
        "measurement.approved",
        "mission.created",
        "mission.changed",
        "mission.cancelled",
        "registration.changed",
        "outcome.recorded",
        "member.changed",
        "scoreboard.recomputed",
    }
