"""The qualitative strand: EC officers flag a KPI (with the ambition check beside it), the
partnership's coordinators answer once; coordinators record assessments; both are audited."""

from datetime import date

import pytest
from django.urls import reverse

from evaluation.models import Review
from strategy.models import KPI, CoreIndicator, Objective, Strategy
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_officer_flags_a_kpi_and_the_coordinator_answers(client, world, plan):
    client.force_login(world.officer)
    page = client.get(reverse("strategy:kpi_detail", args=[plan["kpi"].pk]))
    assert "How ambitious is the target?" in page.content.decode()
    client.post(
        reverse("evaluation:review_create", args=[plan["kpi"].pk]),
        {"flag": "over_ambitious", "comment": "Twice what others reach."},
    )
    review = plan["kpi"].reviews.get()
    client.force_login(world.coord_a)
    client.post(
        reverse("evaluation:scoreboard", args=[world.a.pk]),
        {"action": "answer", "review": review.pk, "response": "We have the buyers."},
    )
    review.refresh_from_db()
    assert review.state == "answered"
    client.force_login(world.manager_a)
    refused = client.post(
        reverse("evaluation:review_create", args=[plan["kpi"].pk]),
        {"flag": "other", "comment": "x"},
        follow=True,
    )
    assert plan["kpi"].reviews.count() == 1 and refused.status_code in (200, 403)


def test_a_review_is_answered_once_by_the_partnerships_coordinator(client, world, plan):
    review = Review.objects.create(
        partnership=world.a, kpi=plan["kpi"], flag="other", comment="?", created_by=world.officer
    )
    url = reverse("evaluation:scoreboard", args=[world.a.pk])
    client.force_login(world.staff)
    client.post(url, {"action": "answer", "review": review.pk, "response": "staff"})
    client.force_login(world.coord_a)
    client.post(url, {"action": "answer", "review": "abc", "response": "x"})
    client.post(url, {"action": "answer", "review": review.pk, "response": "first"})
    client.post(url, {"action": "answer", "review": review.pk, "response": "second"})
    review.refresh_from_db()
    assert review.response == "first"


def _other_kpi(partnership, name, target, *, unit="SMEs", indicator="smes_involved", **fields):
    strategy = Strategy.objects.create(partnership=partnership, status="adopted")
    objective = Objective.objects.create(strategy=strategy, code="O1", statement="x")
    return KPI.objects.create(
        objective=objective,
        name=name,
        unit=unit,
        baseline_date=fields.pop("baseline_date", date(2023, 12, 31)),
        target_date=fields.pop("target_date", date(2027, 12, 31)),
        target_value=target,
        core_indicator=CoreIndicator.objects.get(code=indicator) if indicator else None,
        **fields,
    )


def test_coordinators_see_other_partnerships_targets_only_in_a_wide_enough_crowd(
    client, world, plan
):
    KPI.objects.filter(pk=plan["kpi"].pk).update(
        core_indicator=CoreIndicator.objects.get(code="smes_involved")
    )
    _other_kpi(world.b, "Secret target", 77)
    client.force_login(world.coord_a)
    page = client.get(reverse("strategy:kpi_detail", args=[plan["kpi"].pk])).content.decode()
    assert "Secret target" not in page and ">77<" not in page
    assert "shown to EC officers only" in page
    client.force_login(world.officer)
    page = client.get(reverse("strategy:kpi_detail", args=[plan["kpi"].pk])).content.decode()
    assert "Secret target" in page


def test_the_ambition_check_compares_the_same_core_indicator_per_cluster_and_month(
    client, world, plan
):
    """A's KPI: 40 SMEs over 48 months with 2 partner clusters (0.417 a cluster a month). B's
    has 1 cluster and 24 months for 20 SMEs (0.833), a far higher pace for a lower target;
    a KPI in the same unit of another indicator (SMEs with a first contract) is left out."""
    kpi = plan["kpi"]
    KPI.objects.filter(pk=kpi.pk).update(
        core_indicator=CoreIndicator.objects.get(code="smes_involved")
    )
    _other_kpi(world.b, "SMEs reached by B", 20, target_date=date(2025, 12, 31))
    other = factories.partnership("GAMMA", coordinator=factories.cluster("Gamma", "ES"))
    _other_kpi(other, "SMEs with a first contract", 5, indicator=None)
    client.force_login(world.officer)
    page = client.get(reverse("strategy:kpi_detail", args=[kpi.pk])).content.decode()
    assert "SMEs reached by B" in page and "SMEs with a first contract" not in page
    assert "0.417 SMEs per partner cluster per month" in page
    assert "0.833" in page
    assert "higher than 0 % of theirs" in page


def test_a_kpi_linked_to_no_core_indicator_is_compared_with_none(client, world, plan):
    _other_kpi(world.b, "Same unit, same kind", 20, indicator=None)
    client.force_login(world.officer)
    page = client.get(reverse("strategy:kpi_detail", args=[plan["kpi"].pk])).content.decode()
    assert "counts towards no core indicator" in page
    assert "Same unit, same kind" not in page


def test_assessments_and_review_answers_are_in_the_audit_trail(client, world, plan):
    from auditlog.models import LogEntry

    from evaluation.models import Assessment

    review = Review.objects.create(
        partnership=world.a, kpi=plan["kpi"], flag="other", comment="?", created_by=world.officer
    )
    client.force_login(world.coord_a)
    url = reverse("evaluation:scoreboard", args=[world.a.pk])
    client.post(
        url,
        {
            "action": "assessment",
            "kind": "survey",
            "date": "2025-02-01",
            "title": "SME survey",
            "findings": "Useful meetings.",
        },
    )
    client.post(url, {"action": "answer", "review": review.pk, "response": "We checked."})
    assessment = Assessment.objects.get()
    created = LogEntry.objects.get_for_object(assessment).get()
    assert created.action == LogEntry.Action.CREATE and created.actor == world.coord_a
    answered = LogEntry.objects.get_for_object(review).filter(action=LogEntry.Action.UPDATE).get()
    assert answered.actor == world.coord_a
    assert answered.changes["response"] == ["", "We checked."]
