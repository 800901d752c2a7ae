from datetime import date
from decimal import Decimal

import pytest

from strategy.models import KPI, Measurement, Objective, Strategy, Task


@pytest.fixture
def plan(world):
    """Partnership A's adopted strategy: one objective, a quarterly KPI reported by
    cluster_a (managed by manager_a), and a task."""
    partner_a = world.a.partners.get(cluster=world.cluster_a)
    coordinator_partner = world.a.partners.get(cluster=world.cluster_a2)
    strategy = Strategy.objects.create(partnership=world.a, version=1, status="adopted")
    objective = Objective.objects.create(
        strategy=strategy,
        code="O1",
        owner=coordinator_partner,
        statement="Bring 40 SMEs of the partner clusters into talks with buyers in Canada.",
        start_date=date(2024, 1, 1),
        target_date=date(2027, 12, 31),
    )
    kpi = KPI.objects.create(
        objective=objective,
        name="SMEs in talks abroad",
        unit="SMEs",
        baseline_value=Decimal(0),
        baseline_date=date(2023, 12, 31),
        target_value=Decimal(40),
        target_date=date(2027, 12, 31),
        responsible=partner_a,
    )
    task = Task.objects.create(
        objective=objective, title="Buyer database", due_date=date(2024, 6, 30)
    )
    return {
        "strategy": strategy,
        "objective": objective,
        "kpi": kpi,
        "task": task,
        "partner_a": partner_a,
        "coordinator_partner": coordinator_partner,
    }


@pytest.fixture
def approved(plan):
    """``approved(value)``: the plan's KPI gets an approved value for a period (Q1 2025)."""

    def make(value, period_end=date(2025, 3, 31)):
        return Measurement.objects.create(
            kpi=plan["kpi"],
            period_end=period_end,
            partner=plan["partner_a"],
            value=value,
            status="approved",
        )

    return make
