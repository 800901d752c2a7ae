"""The qualitative strand: EC officers flag a KPI (with the ambition check beside it), the
partnership's coordinators answer once; coordinators record assessments; both are audited."""

from datetime import date

import pytest
from django.urls import reverse

from evaluation.models import Review
from strategy.models import KPI, Objective, Strategy

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


def test_coordinators_see_other_partnerships_targets_only_in_a_wide_enough_crowd(
    client, world, plan
):
    other = Strategy.objects.create(partnership=world.b, status="adopted")
    objective = Objective.objects.create(strategy=other, code="O1", statement="x")
    KPI.objects.create(
        objective=objective,
        name="Secret target",
        unit="SMEs ",
        baseline_date=date(2023, 12, 31),
        target_date=date(2027, 12, 31),
        target_value=77,
    )
    client.force_login(world.coord_a)
    page = client.get(reverse("strategy:kpi_detail", args=[plan["kpi"].pk])).content.decode()
    assert "Secret target" not in page and ">77<" not in page
    assert "shown to EC officers only" in page
    client.force_login(world.officer)
    page = client.get(reverse("strategy:kpi_detail", args=[plan["kpi"].pk])).content.decode()
    assert "Secret target" in page  # the unit matched despite the trailing space


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
