"""Versions of the strategy: starting, editing, adopting and revising them, with the values
reported while a revision is prepared."""

import pytest
from django.urls import reverse

from strategy.models import KPI, Measurement, Strategy

pytestmark = pytest.mark.django_db


def test_adopting_a_revision_retires_the_previous_version(client, world, plan, approved):
    client.force_login(world.coord_a)
    strategy = plan["strategy"]
    approved(3)
    draft_id = client.post(f"/api/v1/strategies/{strategy.pk}/revise/").json()["id"]
    draft = Strategy.objects.get(pk=draft_id)
    assert draft.version == 2 and draft.status == "draft"
    copied = KPI.objects.get(objective__strategy=draft)
    assert copied.measurements.get().value == 3  # the series continues
    assert client.post(f"/api/v1/strategies/{strategy.pk}/revise/").status_code == 400
    client.post(f"/api/v1/strategies/{draft_id}/adopt/")
    strategy.refresh_from_db()
    assert strategy.status == "revised"
    response = client.patch(
        f"/api/v1/objectives/{plan['objective'].pk}/",
        {"statement": "Changed afterwards"},
        content_type="application/json",
    )
    assert response.status_code == 400  # a replaced version is kept as it was


def test_values_reported_during_a_revision_are_kept_on_adoption(client, world, plan):
    client.force_login(world.coord_a)
    draft_id = client.post(f"/api/v1/strategies/{plan['strategy'].pk}/revise/").json()["id"]
    copy = KPI.objects.get(objective__strategy_id=draft_id)
    # Reports go to the adopted version while the draft is prepared…
    refused = client.post(
        "/api/v1/measurements/",
        {"kpi": copy.pk, "period_end": "2025-09-30", "value": 9},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "adopted version" in str(refused.json())
    reported = client.post(
        "/api/v1/measurements/",
        {"kpi": plan["kpi"].pk, "period_end": "2025-09-30", "value": 42},
        content_type="application/json",
    ).json()
    client.post(f"/api/v1/measurements/{reported['id']}/approve/")
    # …and come along when the draft is adopted.
    client.post(f"/api/v1/strategies/{draft_id}/adopt/")
    carried = Measurement.objects.get(kpi=copy)
    assert (carried.value, carried.status) == (42, "approved")
    assert client.post(f"/api/v1/measurements/{reported['id']}/approve/").status_code == 400
    assert client.delete(f"/api/v1/tasks/{plan['task'].pk}/").status_code == 400
    assert client.post(f"/api/v1/strategies/{plan['strategy'].pk}/revise/").status_code == 400


def test_strategy_versions_through_the_api(client, world, plan):
    client.force_login(world.coord_a)
    draft = client.post(
        "/api/v1/strategies/", {"partnership": world.a.pk}, content_type="application/json"
    )
    assert draft.status_code == 201 and draft.json()["version"] == 2
    second = client.post(
        "/api/v1/strategies/", {"partnership": world.a.pk}, content_type="application/json"
    )
    assert second.status_code == 400 and "draft version exists" in str(second.json())
    other = client.post(
        "/api/v1/strategies/", {"partnership": world.b.pk}, content_type="application/json"
    )
    assert other.status_code == 403


def test_starting_the_strategy_twice_says_why_instead_of_failing(client, world):
    client.force_login(world.coord_a)
    url = reverse("strategy:strategy_create", args=[world.a.pk])
    assert client.post(url).status_code == 302
    again = client.post(url, follow=True)  # a double click, or a second tab
    assert again.status_code == 200
    assert "A draft version exists already" in again.content.decode()
    assert Strategy.objects.filter(partnership=world.a).count() == 1


def test_form_pages_work_without_a_referer_and_only_for_coordinators(client, world, plan):
    urls = [
        reverse("strategy:objective_edit", args=[plan["objective"].pk]),
        reverse("strategy:kpi_edit", args=[plan["kpi"].pk]),
        reverse("strategy:strategy_edit", args=[plan["strategy"].pk]),
        reverse("strategy:objective_add", args=[plan["strategy"].pk]),
    ]
    client.force_login(world.coord_a)
    for url in urls:
        assert client.get(url).status_code == 200, url
    for who in ("manager_a", "officer"):
        client.force_login(getattr(world, who))
        for url in urls:
            assert client.get(url).status_code == 403, (who, url)
    client.force_login(world.coord_a)
    odd = client.get(reverse("strategy:overview", args=[world.a.pk]) + "?version=%C2%B2")
    assert odd.status_code == 200
