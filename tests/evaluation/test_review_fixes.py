"""Edge cases found by probing the scoreboards and statistics."""

from datetime import date

import pytest
from django.urls import reverse

from evaluation.models import Review, ScoreboardSnapshot
from strategy.models import KPI, Objective, Strategy

pytestmark = pytest.mark.django_db


def test_a_strategy_without_kpis_has_an_empty_scoreboard(client, world):
    Strategy.objects.create(partnership=world.b, status="draft")
    client.force_login(world.officer)
    for url in (
        reverse("evaluation:scoreboard", args=[world.b.pk]),
        reverse("evaluation:scoreboard_export", args=[world.b.pk, "pdf"]),
        f"/api/v1/scoreboards/{world.b.pk}/",
    ):
        assert client.get(url).status_code == 200, url


def test_markup_in_kpi_names_is_text_in_the_pdf(client, world, plan):
    plan["kpi"].name = "R&D <b>bold <font size=400>"
    plan["kpi"].save()
    client.force_login(world.coord_a)
    response = client.get(reverse("evaluation:scoreboard_export", args=[world.a.pk, "pdf"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


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


def test_sign_off_takes_a_real_period_once(client, world, plan):
    client.force_login(world.coord_a)
    url = reverse("evaluation:scoreboard", args=[world.a.pk])
    client.post(url, {"action": "sign_off", "period_end": "1900-01-07"})
    assert not ScoreboardSnapshot.objects.filter(signed_off_at__isnull=False).exists()
    client.post(url, {"action": "sign_off", "period_end": "2025-03-31"})
    again = client.post(url, {"action": "sign_off", "period_end": "2025-03-31"}, follow=True)
    assert "already signed off" in again.content.decode()
    assert ScoreboardSnapshot.objects.filter(signed_off_at__isnull=False).count() == 1


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


@pytest.mark.parametrize("generation", ["²", "-1", "0", "abc"])
def test_statistics_refuse_odd_generations(client, world, generation):
    client.force_login(world.officer)
    response = client.get("/api/v1/statistics/", {"generation": generation})
    assert response.status_code == 400 and response.json()["code"] == "invalid"


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
