"""The API's model serializers build their fields once per class and hand each request a copy
(``escp_portal.api.serializers.ModelSerializer``): what one request changes on its fields never
reaches the next."""

import inspect
from pathlib import Path

import pytest
from django.urls import get_resolver
from rest_framework import serializers

from escp_portal.api.serializers import ModelSerializer
from partnerships.models import Partnership

ROOT = Path(__file__).resolve().parents[2]


def of_the_portal(cls) -> bool:
    path = Path(inspect.getfile(cls)).resolve()
    return path.is_relative_to(ROOT) and not path.is_relative_to(ROOT / ".venv")


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def test_every_model_serializer_of_the_portal_keeps_its_built_fields():
    get_resolver().url_patterns  # noqa: B018  (imports every API module)
    ours = [
        cls
        for cls in subclasses(serializers.ModelSerializer)
        if of_the_portal(cls) and cls is not ModelSerializer
    ]
    assert len(ours) >= 30
    strays = [
        f"{c.__module__}.{c.__qualname__}" for c in ours if not issubclass(c, ModelSerializer)
    ]
    assert strays == []


@pytest.mark.django_db
def test_a_field_locked_for_one_user_stays_open_for_the_next(client, world):
    url = f"/api/v1/partnerships/{world.a.pk}/"
    for attempt in range(2):
        client.force_login(world.coord_a)
        refused = client.patch(url, {"acronym": f"COORD{attempt}"}, content_type="application/json")
        assert refused.status_code == 400, refused.json()
        assert "acronym" in refused.json()["errors"]
        client.force_login(world.staff)
        taken = client.patch(url, {"acronym": f"STAFF{attempt}"}, content_type="application/json")
        assert taken.status_code == 200, taken.json()
        assert Partnership.objects.get(pk=world.a.pk).acronym == f"STAFF{attempt}"


@pytest.mark.django_db
def test_the_bounds_of_a_date_are_checked_once_however_many_requests_came_before(client, world):
    client.force_login(world.coord_a)
    url = f"/api/v1/partnerships/{world.a.pk}/"
    for _ in range(3):
        response = client.patch(url, {"start_date": "0001-01-01"}, content_type="application/json")
        assert response.status_code == 400
        assert len(response.json()["errors"]["start_date"]) == 1, response.json()
