from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from tests import factories


@pytest.fixture
def mission(world):
    """A 10-seat mission of partnership A to Canada, a month from now."""
    today = timezone.localdate()
    return factories.mission(
        world.a,
        "Buyers in Toronto",
        start=today + timedelta(days=30),
        kind="trade_mission",
        city="Toronto",
        registration_deadline=today + timedelta(days=10),
        capacity=10,
        organiser=world.a.partners.get(cluster=world.cluster_a2),
    )


@pytest.fixture
def members_a(world):
    return [factories.member(world.cluster_a, f"Firm {i:02d}", employees=10) for i in range(12)]


@pytest.fixture
def named(world, members_a):
    """An outcome naming Firm 00 (with Maple Foods) and an export group of Firm 01 and Deux
    SARL, a member of Alpha Two."""
    return (
        factories.outcome(
            world.a, counterpart="Maple Foods", date=date(2025, 1, 1), members=[members_a[0]]
        ),
        factories.export_group(
            world.a,
            name="Canada group",
            goal="Sell",
            members=[members_a[1], factories.member(world.cluster_a2, "Deux SARL")],
        ),
    )


@pytest.fixture
def register(client):
    """Register a member for a mission through the API, as the client's user."""

    def post(mission, member):
        return client.post(
            "/api/v1/participations/",
            {"mission": mission.pk, "member": member.pk},
            content_type="application/json",
        )

    return post


@pytest.fixture
def derived_kpi(world):
    """Make a KPI of partnership A (2024 to 2027) derived from one of this app's sources."""
    objective = factories.objective(
        factories.strategy(world.a), statement="Missions", start_date=None, target_date=None
    )

    def make(source, name="Derived"):
        return factories.kpi(objective, name, unit="n", source=source, target_value=None)

    return make


# --- B2B meetings --------------------------------------------------------------------------------


@pytest.fixture
def b2b(world):
    """A three-day mission of A to Toronto next month, 30-minute meetings from 9:00 to 12:00 at
    two tables, with two participants of Alpha Cluster (managed by manager_a), one of Alpha Two
    (managed by manager_a2), one of them on the waiting list, and a local counterpart."""
    from types import SimpleNamespace

    from escp_portal.accounts.models import Role

    today = timezone.localdate()
    mission = factories.mission(
        world.a,
        "Buyers in Toronto",
        start=today + timedelta(days=30),
        days=2,
        city="Toronto",
        capacity=10,
        organiser=world.a.partners.get(cluster=world.cluster_a2),
        meeting_minutes=30,
        meeting_tables=2,
        meeting_time_zone="America/Toronto",
        meeting_day_start=time(9),
        meeting_day_end=time(12),
    )
    alder = factories.member(world.cluster_a, "Alder GmbH", employees=10)
    aspen = factories.member(world.cluster_a, "Aspen KG", employees=12)
    cedar = factories.member(world.cluster_a2, "Cedar SAS", employees=30, country="FR")
    waiting = factories.member(world.cluster_a2, "Wait SARL", employees=5, country="FR")
    manager_a2 = factories.user(
        "manager-a2@example.org", role=Role.CLUSTER_MANAGER, scope=world.cluster_a2
    )
    return SimpleNamespace(
        mission=mission,
        alder=factories.participation(mission, alder, status="confirmed"),
        aspen=factories.participation(mission, aspen),
        cedar=factories.participation(mission, cedar),
        waiting=factories.participation(mission, waiting, status="waiting"),
        maple=factories.counterpart(
            mission,
            "Maple Foods",
            kind="company",
            offers="Retail shelves in Ontario",
            seeks="Compostable packaging",
            contact_name="Jo Tremblay",
            contact_email="jo@maple.example",
            contact_phone="+1 416 555 0100",
        ),
        manager_a2=manager_a2,
    )
