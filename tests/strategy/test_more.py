import pytest
from django.urls import reverse

from strategy.models import KPI, Strategy, Task, ValueChain, ValueChainStage
from tests import factories

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


def test_the_value_chain_shows_gaps_and_overlaps(client, world, plan):
    chain = ValueChain.objects.create(partnership=world.a, name="Chain")
    first = ValueChainStage.objects.create(chain=chain, name="Materials", order=1)
    ValueChainStage.objects.create(chain=chain, name="Recycling", order=2)
    client.force_login(world.coord_a)
    for partner in world.a.partners.all():
        client.post(
            reverse("strategy:value_chain", args=[chain.pk]),
            {"form": "assign", "stage": first.pk, "partner": partner.pk},
        )
    page = client.get(reverse("strategy:value_chain", args=[chain.pk]))
    assert [s.name for s in page.context["gaps"]] == ["Recycling"]
    assert [s.name for s in page.context["overlaps"]] == ["Materials"]
    added = client.post(
        reverse("strategy:value_chain", args=[chain.pk]),
        {"form": "stage", "name": "Converting", "order": 3, "depends_on": [first.pk]},
    )
    assert added.status_code == 302
    assert list(chain.stages.get(name="Converting").depends_on.all()) == [first]


def test_a_manager_places_only_their_own_cluster(client, world, plan):
    chain = ValueChain.objects.create(partnership=world.a, name="Chain")
    stage = ValueChainStage.objects.create(chain=chain, name="Design", order=1)
    client.force_login(world.manager_a)
    other = world.a.partners.get(cluster=world.cluster_a2)
    assert (
        client.post(
            reverse("strategy:value_chain", args=[chain.pk]),
            {"form": "assign", "stage": stage.pk, "partner": other.pk},
        ).status_code
        == 403
    )
    client.post(
        reverse("strategy:value_chain", args=[chain.pk]),
        {"form": "assign", "stage": stage.pk, "partner": plan["partner_a"].pk},
    )
    assert stage.assignments.get().partner == plan["partner_a"]


def test_a_responsible_manager_updates_a_tasks_status_only(client, world, plan):
    task = plan["task"]
    task.responsible.add(plan["partner_a"])
    client.force_login(world.manager_a)
    done = client.patch(
        f"/api/v1/tasks/{task.pk}/", {"status": "done"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["completed_on"]
    renamed = client.patch(
        f"/api/v1/tasks/{task.pk}/", {"title": "Mine now"}, content_type="application/json"
    )
    assert renamed.status_code == 403
    assert Task.objects.get(pk=task.pk).title == "Buyer database"


def test_target_markets_and_their_study(client, world, plan):
    client.force_login(world.coord_a)
    response = client.post(
        "/api/v1/target-markets/",
        {
            "partnership": world.a.pk,
            "country": "JP",
            "priority": "high",
            "lead_partner": plan["partner_a"].pk,
            "rationale": "Buyers of robots.",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    market_id = response.json()["id"]
    duplicate = client.post(
        "/api/v1/target-markets/",
        {"partnership": world.a.pk, "country": "JP"},
        content_type="application/json",
    )
    assert duplicate.status_code == 400
    study = client.post(
        "/api/v1/market-studies/",
        {
            "target_market": market_id,
            "market_size_total": "1000000",
            "market_size_serviceable": "2000000",
        },
        content_type="application/json",
    )
    assert study.status_code == 400  # serviceable cannot exceed the total
    study = client.post(
        "/api/v1/market-studies/",
        {
            "target_market": market_id,
            "segments": "Food packaging lines",
            "market_size_total": "1000000",
            "market_size_serviceable": "200000",
            "target_share": "5",
        },
        content_type="application/json",
    )
    assert study.status_code == 201, study.content
    page = client.get(reverse("strategy:markets", args=[world.a.pk])).content.decode()
    assert "Japan" in page
    public = client.get("/api/v1/partnerships/?target_country=JP").json()["results"]
    assert [p["acronym"] for p in public] == ["ALPHA"]
    client.force_login(world.coord_b)
    assert client.get(f"/api/v1/target-markets/{market_id}/").status_code == 404


def test_a_member_of_a_non_partner_cluster_cannot_be_placed(client, world, plan):
    chain = ValueChain.objects.create(partnership=world.a, name="Chain")
    stage = ValueChainStage.objects.create(chain=chain, name="Design", order=1)
    outsider = factories.member(world.cluster_x, "Outsider")
    client.force_login(world.coord_a)
    page = client.post(
        reverse("strategy:value_chain", args=[chain.pk]),
        {"form": "assign", "stage": stage.pk, "member": outsider.pk},
    )
    assert page.status_code == 200 and not stage.assignments.exists()


def test_a_member_on_the_value_chain_is_named_only_to_who_may_see_it(client, world, plan):
    from escp_portal.accounts.models import Role
    from strategy.models import StageAssignment, ValueChain, ValueChainStage

    chain = ValueChain.objects.create(partnership=world.a, name="Packaging chain")
    stage = ValueChainStage.objects.create(chain=chain, name="Design", order=1)
    member = factories.member(world.cluster_a, "Hidden Design GmbH")
    StageAssignment.objects.create(stage=stage, member=member)
    url = reverse("strategy:value_chain", args=[chain.pk])
    for user, named in (
        (world.coord_a, True),
        (world.manager_a, True),
        (world.officer, False),
        (factories.user(role=Role.CLUSTER_MANAGER, scope=world.cluster_a2), False),
    ):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert ("Hidden Design GmbH" in page) is named, user
        assert named or "A member company" in page
        # Only who may place or remove sees the buttons: not the officer, not another partner's
        # manager for a placement that is not theirs.
        assert ("Place a partner or member" in page) is (user != world.officer), user
        assert ('value="remove"' in page) is named, user
