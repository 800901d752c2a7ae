"""A collective trademark project (issue #20, action 13): started in one click as steps on the
roadmap with responsible partners, and a register of licensed members that names a member only
to those who may see it."""

import pytest
from django.urls import reverse

from strategy.models import Task, Trademark, TrademarkLicence
from strategy.services.trademark import STEPS
from tests import factories

pytestmark = pytest.mark.django_db


def test_starting_a_project_puts_its_steps_on_the_roadmap(client, world, plan):
    client.force_login(world.coord_a)
    response = client.post(
        reverse("strategy:trademark_start", args=[world.a.pk]),
        {"name": "Alpha Quality", "responsible": [plan["partner_a"].pk]},
    )
    trademark = Trademark.objects.get()
    assert response.status_code == 302 and response["Location"] == trademark.get_absolute_url()
    steps = Task.objects.filter(objective=trademark.objective)
    assert steps.count() == len(STEPS)
    assert all(list(t.responsible.all()) == [plan["partner_a"]] for t in steps)
    assert trademark.objective.strategy == plan["strategy"] and trademark.objective.code == "TM"
    page = client.get(trademark.get_absolute_url()).content.decode()
    assert "Search the registers for earlier marks" in page and "Alpha Cluster" in page
    # A second mark of the same name is refused with a message.
    again = client.post(
        reverse("strategy:trademark_start", args=[world.a.pk]), {"name": "Alpha Quality"}
    )
    assert again.status_code == 200 and Trademark.objects.count() == 1
    client.force_login(world.manager_a)
    assert client.get(reverse("strategy:trademark_start", args=[world.a.pk])).status_code == 403


def test_the_register_names_members_only_to_those_who_may_see_them(client, world, plan):
    from strategy.services.trademark import trademark_start

    trademark = trademark_start(actor=world.coord_a, partnership=world.a, name="Alpha Quality")
    member = factories.member(world.cluster_a, name="Alder GmbH")
    outsider = factories.member(world.cluster_x, name="Lone Works")
    client.force_login(world.manager_a)
    add = reverse("strategy:licence_add", args=[trademark.pk])
    form = client.get(add).content.decode()
    assert "Alder GmbH" in form and "Lone Works" not in form
    client.post(add, {"member": member.pk, "licensed_on": "2025-05-01", "scope": "Trays"})
    assert TrademarkLicence.objects.get().member == member
    client.force_login(world.coord_a)
    refused = client.post(
        "/api/v1/trademark-licences/",
        {
            "trademark": trademark.pk,
            "member": outsider.pk,
            "licensed_on": "2025-05-01",
            "scope": "x",
        },
        content_type="application/json",
    )
    assert refused.status_code == 400  # not a member they may see
    client.force_login(world.officer)
    page = client.get(trademark.get_absolute_url()).content.decode()
    assert "Alder GmbH" not in page and "A member company (not shown to you)" in page
    listed = client.get(f"/api/v1/trademark-licences/?trademark={trademark.pk}").json()
    assert listed["results"][0]["member"] is None and listed["results"][0]["member_name"] is None
    client.force_login(world.coord_a)
    listed = client.get(f"/api/v1/trademark-licences/?trademark={trademark.pk}").json()
    assert listed["results"][0]["member_name"] == "Alder GmbH"
    client.force_login(world.coord_b)
    assert client.get(trademark.get_absolute_url()).status_code == 404


def test_the_api_starts_a_project(client, world, plan):
    client.force_login(world.coord_a)
    created = client.post(
        "/api/v1/trademarks/",
        {"partnership": world.a.pk, "name": "Alpha Mark", "responsible": [plan["partner_a"].pk]},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="start-alpha-mark",
    )
    assert created.status_code == 201, created.json()
    again = client.post(
        "/api/v1/trademarks/",
        {"partnership": world.a.pk, "name": "Alpha Mark"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="start-alpha-mark",
    )
    assert again.json()["id"] == created.json()["id"] and Trademark.objects.count() == 1
    detail = client.get(f"/api/v1/trademarks/{created.json()['id']}/")
    stale = client.patch(
        f"/api/v1/trademarks/{created.json()['id']}/",
        {"name": "Other"},
        content_type="application/json",
        HTTP_IF_MATCH='"stale"',
    )
    assert detail["ETag"] and stale.status_code == 412
    client.force_login(world.coord_b)
    foreign = client.post(
        "/api/v1/trademarks/",
        {"partnership": world.a.pk, "name": "Theirs"},
        content_type="application/json",
    )
    assert foreign.status_code in (400, 403)
