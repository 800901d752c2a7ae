from datetime import date

import pytest
from django.urls import reverse

from strategy import selectors
from strategy.models import Objective

pytestmark = pytest.mark.django_db


def check(objective):
    annotated = selectors.objectives_for(objective.strategy).get(pk=objective.pk)
    return selectors.smart_check(annotated, objective.strategy.partnership)


def test_a_complete_objective_meets_every_letter(plan):
    result = check(plan["objective"])
    assert result.complete and result.missing == []


def test_an_objective_without_kpi_task_or_dates_shows_what_is_missing(plan):
    bare = Objective.objects.create(strategy=plan["strategy"], code="O2", statement="More.")
    result = check(bare)
    assert result.missing == ["S", "M", "A", "R", "T"]
    assert str(result.reasons["M"]) == "Add a KPI."
    assert str(result.reasons["A"]) == "Plan at least one task that delivers it."
    assert str(result.reasons["T"]) == "Set a start date and a target date."


def test_dates_outside_the_partnership_period_fail_relevance_only(plan):
    objective = plan["objective"]
    objective.target_date = date(2030, 1, 1)
    objective.save()
    result = check(objective)
    assert result.missing == ["R"]
    assert "outside the partnership's period" in str(result.reasons["R"])


def test_a_kpi_without_target_is_not_measurable(plan):
    plan["kpi"].target_value = None
    plan["kpi"].save()
    assert check(plan["objective"]).missing == ["M"]


def test_the_page_shows_the_missing_letters_and_why(client, world, plan):
    Objective.objects.create(strategy=plan["strategy"], code="O2", statement="More.")
    client.force_login(world.coord_a)
    html = client.get(reverse("strategy:overview", args=[world.a.pk])).content.decode()
    assert "Add a KPI." in html and "Set a start date and a target date." in html
    assert "How objectives are checked (SMART)" in html
    api = client.get("/api/v1/objectives/", {"partnership": world.a.pk}).json()["results"]
    missing = {o["code"]: o["smart"]["missing"] for o in api}
    assert missing == {"O1": [], "O2": ["S", "M", "A", "R", "T"]}
