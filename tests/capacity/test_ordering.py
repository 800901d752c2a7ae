"""A model's default order names its own columns (a foreign key by its ``_id``) or spells out the
joins it needs; it never names a relation bare. A bare relation in ``Meta.ordering`` pulls in the
related model's order, and that model's relations in turn: a KPI's milestones were sorted on the
partnership's acronym, the strategy's version and the objective's code, four joins for rows of one
KPI, compiled again on every query. The order a user sees within a partnership, a strategy or a
KPI stays the same."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse

from escp_portal.accounts.models import Role, RoleAssignment
from partnerships.exports import member_personal_data
from partnerships.models import ClusterMembership, Partner
from strategy.forms import DecisionForm
from strategy.models import KPI, Measurement, Milestone, Task
from tests import factories

pytestmark = pytest.mark.django_db

PROJECT_APPS = {
    "partnerships",
    "strategy",
    "evaluation",
    "missions",
    "funding",
    "matchmaking",
    "opportunities",
    "escp_portal",
}


def bare_relations(model) -> list[str]:
    found = []
    for item in model._meta.ordering:
        if not isinstance(item, str):
            continue
        name = item.lstrip("-")
        if "__" in name:
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # "pk"
            continue
        if field.is_relation and name == field.name:
            found.append(f"{model._meta.label}: {item!r}")
    return found


def test_no_default_order_names_a_relation_bare():
    models = [m for m in apps.get_models() if m.__module__.split(".")[0] in PROJECT_APPS]
    assert len(models) > 50
    offenders = [entry for model in models for entry in bare_relations(model)]
    assert offenders == []


def tables_joined(queryset) -> str:
    sql = str(queryset.query)
    return sql.split(" WHERE ")[0] + " ORDER BY " + sql.split(" ORDER BY ")[-1]


def test_rows_of_one_kpi_are_read_without_joining_its_partnership(world):
    plan = factories.make_strategy_with_kpi(world.a)
    Milestone.objects.create(kpi=plan.kpi, date=date(2025, 12, 31), value=Decimal(10))
    for queryset in (
        Milestone.objects.filter(kpi=plan.kpi),
        Measurement.objects.filter(kpi=plan.kpi),
        KPI.objects.filter(objective=plan.objective),
    ):
        sql = tables_joined(queryset)
        assert "partnerships_partnership" not in sql, sql
        assert "strategy_strategy" not in sql, sql


def test_kpis_and_tasks_keep_the_objectives_order(world):
    plan = factories.strategy(world.a)
    # Created last, shown first: the objectives' own order decides, not when they were made.
    second = factories.objective(plan, "O2", order=2)
    first = factories.objective(plan, "O1", order=1)
    late = factories.kpi(second, "Buyers met")
    early = factories.kpi(first, "SMEs in talks")
    assert list(KPI.objects.filter(objective__strategy=plan)) == [early, late]
    tasks = [
        Task.objects.create(objective=second, title="Book the fair", due_date=date(2025, 1, 1)),
        Task.objects.create(objective=first, title="Call the buyers", due_date=date(2026, 1, 1)),
    ]
    assert list(Task.objects.filter(objective__strategy=plan)) == tasks[::-1]


def test_a_kpis_values_are_listed_by_period_then_by_the_partners_country_and_name(world):
    plan = factories.make_strategy_with_kpi(world.a)
    # ALPHA's partners: Alpha Cluster (DE) and Alpha Two (FR, the coordinator, created first).
    german = Partner.objects.get(partnership=world.a, cluster=world.cluster_a)
    french = Partner.objects.get(partnership=world.a, cluster=world.cluster_a2)
    rows = [
        (date(2025, 6, 30), french),
        (date(2025, 3, 31), french),
        (date(2025, 6, 30), german),
        (date(2025, 3, 31), german),
    ]
    for period_end, partner in rows:
        Measurement.objects.create(
            kpi=plan.kpi, period_end=period_end, partner=partner, value=Decimal(1)
        )
    listed = [(m.period_end, m.partner.cluster.country.code) for m in Measurement.objects.all()]
    assert listed == [
        (date(2025, 3, 31), "DE"),
        (date(2025, 3, 31), "FR"),
        (date(2025, 6, 30), "DE"),
        (date(2025, 6, 30), "FR"),
    ]


def test_a_members_clusters_are_listed_by_name_on_its_page_and_in_its_data(client, world):
    """The clusters a member belongs to read by name, not in the order they were created."""
    member = factories.member(world.cluster_x, name="Acme Trays")  # "Lone Cluster"
    aardvark = factories.cluster("Aardvark Cluster")
    ClusterMembership.objects.create(member=member, cluster=aardvark)
    RoleAssignment.objects.create(
        user=world.manager_x, role=Role.CLUSTER_MANAGER, cluster=aardvark
    )  # manages both
    client.force_login(world.manager_x)

    page = client.get(reverse("partnerships:member_detail", args=[member.pk])).content.decode()
    data = member_personal_data(actor=world.manager_x, member=member)

    assert page.index("Aardvark Cluster") < page.index("Lone Cluster")
    assert [c["cluster"] for c in data["clusters"]] == ["Aardvark Cluster", "Lone Cluster"]


def test_a_decision_offers_the_newest_versions_objectives_and_tasks_first(world):
    adopted = factories.strategy(world.a, version=1)
    old = factories.objective(adopted, code="O1")
    draft = factories.strategy(world.a, version=2, status="draft")
    new = factories.objective(draft, code="O1")
    old_task = Task.objects.create(objective=old, title="Old step", due_date=date(2025, 1, 1))
    new_task = Task.objects.create(objective=new, title="New step", due_date=date(2026, 1, 1))
    form = DecisionForm()
    form.limit_to(world.a)

    assert list(form.fields["objective"].queryset) == [new, old]
    assert list(form.fields["task"].queryset) == [new_task, old_task]


def test_the_objectives_api_lists_by_partnership_then_the_newest_version_first(client, world):
    first = factories.objective(factories.strategy(world.a, version=1), code="O1")
    newer = factories.objective(factories.strategy(world.a, version=2, status="draft"), code="O1")
    earlier_name = factories.partnership("AAA-FIRST")  # created last, first by acronym
    other = factories.objective(factories.strategy(earlier_name, version=1), code="O9")
    client.force_login(world.officer)

    listed = client.get(reverse("api:objective-list")).json()["results"]

    assert [row["id"] for row in listed] == [other.pk, newer.pk, first.pk]
