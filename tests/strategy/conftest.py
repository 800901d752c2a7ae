from datetime import date

import pytest

from strategy.models import Measurement, Task
from tests import factories


@pytest.fixture
def plan(world):
    """Partnership A's adopted strategy: one objective, a quarterly KPI reported by
    cluster_a (managed by manager_a), and a task."""
    partner_a = world.a.partners.get(cluster=world.cluster_a)
    coordinator_partner = world.a.partners.get(cluster=world.cluster_a2)
    strategy, objective, kpi = factories.make_strategy_with_kpi(
        world.a,
        objective_fields={"owner": coordinator_partner},
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
