from datetime import timedelta

import pytest
from django.utils import timezone

from missions.models import Mission
from tests import factories


@pytest.fixture
def mission(world):
    """A 10-seat mission of partnership A to Canada, a month from now."""
    today = timezone.localdate()
    return Mission.objects.create(
        partnership=world.a,
        title="Buyers in Toronto",
        kind="trade_mission",
        country="CA",
        city="Toronto",
        start_date=today + timedelta(days=30),
        end_date=today + timedelta(days=33),
        registration_deadline=today + timedelta(days=10),
        capacity=10,
        organiser=world.a.partners.get(cluster=world.cluster_a2),
    )


@pytest.fixture
def members_a(world):
    return [factories.member(world.cluster_a, f"Firm {i:02d}", employees=10) for i in range(12)]


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
