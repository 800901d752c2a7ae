"""Outcomes: what came of the partnership's work, recorded by its insiders."""

import pytest
from django.urls import reverse

from missions.models import Outcome
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_outcome_is_recorded_on_the_page(client, world, mission, members_a):
    client.force_login(world.manager_a)
    url = reverse("missions:outcomes", args=[world.a.pk])
    response = client.post(
        url,
        {
            "mission": mission.pk,
            "kind": "contract",
            "counterpart": "Maple Foods",
            "counterpart_country": "CA",
            "value": "1000",
            "date": "2025-05-02",
            "members": [members_a[0].pk],
        },
    )
    assert response.status_code == 302 and response.url == url
    outcome = Outcome.objects.get()
    assert outcome.recorded_by == world.manager_a
    assert list(outcome.members.all()) == [members_a[0]]
    assert "The outcome was recorded." in client.get(url).content.decode()


def test_an_outcome_is_changed_by_the_coordinators_or_whoever_recorded_it(client, world):
    recorded = factories.outcome(world.a, recorded_by=world.manager_a)
    by_someone_else = factories.outcome(world.a)

    def rename(outcome, user):
        client.force_login(user)
        return client.patch(
            f"/api/v1/outcomes/{outcome.pk}/",
            {"counterpart": f"Renamed by {user.email}"},
            content_type="application/json",
        ).status_code

    assert rename(recorded, world.manager_a) == 200
    assert rename(by_someone_else, world.manager_a) == 403
    assert rename(by_someone_else, world.coord_a) == 200
    assert rename(recorded, world.officer) == 403
    by_someone_else.refresh_from_db()
    assert by_someone_else.counterpart == "Renamed by coord-a@example.org"


def test_officers_do_not_record_outcomes(client, world):
    client.force_login(world.officer)
    response = client.post(
        "/api/v1/outcomes/",
        {
            "partnership": world.a.pk,
            "kind": "mou",
            "counterpart": "X",
            "counterpart_country": "CA",
            "date": "2025-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Outcome.objects.exists()
