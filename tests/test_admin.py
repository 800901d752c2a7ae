"""The administration site shows staff the records the services write, read-only: lists with
search and filters open, nothing can be added, changed or deleted there."""

import pytest
from django.contrib import admin
from django.urls import reverse

from escp_portal.admin import ReadOnlyAdmin
from tests import factories

pytestmark = pytest.mark.django_db

READ_ONLY = sorted(
    (
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ReadOnlyAdmin)
    ),
)


def test_the_service_written_records_are_read_only():
    assert set(READ_ONLY) >= {
        "missions.Mission",
        "missions.Participation",
        "missions.Outcome",
        "missions.ReminderLog",
        "strategy.Strategy",
        "strategy.KPI",
        "strategy.Measurement",
        "evaluation.KPIStatus",
        "evaluation.Review",
    }


@pytest.mark.parametrize("label", READ_ONLY)
def test_staff_read_but_cannot_add_change_or_delete(client, label):
    world = factories.make_world()
    plan = factories.make_strategy_with_kpi(world.a)
    mission = factories.mission(world.a, title="Buyers in Toronto")
    objects = {
        "missions.Mission": mission,
        "missions.Outcome": factories.outcome(world.a, counterpart="Maple Foods"),
        "strategy.Strategy": plan.strategy,
        "strategy.KPI": plan.kpi,
    }
    staff = factories.user("ops@example.eu", is_staff=True, is_superuser=True)
    client.force_login(staff)
    app, model = label.lower().split(".")
    listing = client.get(reverse(f"admin:{app}_{model}_changelist"), {"q": "a"})
    assert listing.status_code == 200
    assert reverse(f"admin:{app}_{model}_add") not in listing.content.decode()
    assert client.get(reverse(f"admin:{app}_{model}_add")).status_code == 403
    obj = objects.get(label)
    if obj is not None:
        change = reverse(f"admin:{app}_{model}_change", args=[obj.pk])
        page = client.get(change)
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        assert client.post(change, {}).status_code == 403
        delete = reverse(f"admin:{app}_{model}_delete", args=[obj.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert type(obj).objects.filter(pk=obj.pk).exists()
