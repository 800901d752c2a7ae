"""The API of brokers, opportunities, investor contacts and investment projects: the same rules
as the pages (officers read projects, not people), creates saved once, versions, errors."""

from datetime import date

import pytest

from missions.models import Outcome
from opportunities.models import Broker, Opportunity
from tests import factories

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def test_a_broker_is_added_once_per_idempotency_key_and_officers_do_not_see_it(client, world):
    client.force_login(world.manager_a)
    body = {"partnership": world.a.pk, "name": "Hanna Lind", "country": "SE", "kind": "person"}
    first = client.post(
        f"{API}brokers/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="broker-1"
    )
    assert first.status_code == 201, first.content
    again = client.post(
        f"{API}brokers/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="broker-1"
    )
    assert again["Idempotent-Replayed"] == "true"
    assert Broker.objects.count() == 1
    client.force_login(world.officer)
    assert client.get(f"{API}brokers/").json()["count"] == 0
    refused = client.post(f"{API}brokers/", body, content_type="application/json")
    assert refused.status_code == 403
    client.force_login(world.coord_b)
    refused = client.post(f"{API}brokers/", body, content_type="application/json")
    assert refused.status_code == 403  # A's directory entry is public; its brokers are not theirs
    assert {"status", "code", "detail"} <= set(refused.json())


def test_an_opportunity_moves_with_its_version_and_agrees_into_an_outcome(client, world):
    opportunity = factories.opportunity(world.a, owner=world.manager_a, stage="meeting")
    client.force_login(world.manager_a)
    url = f"{API}opportunities/{opportunity.pk}/"
    etag = client.get(url)["ETag"]
    ok = client.patch(
        url, {"next_follow_up": "2026-12-24"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert ok.status_code == 200, ok.content
    stale = client.patch(
        url, {"title": "Again"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    jump = client.patch(url, {"stage": "agreement"}, content_type="application/json")
    assert jump.status_code == 400 and "stage" in jump.json()["errors"]
    bad = client.patch(url, {"next_follow_up": "99999-01-01"}, content_type="application/json")
    assert bad.status_code == 400
    agreed = client.post(
        f"{url}agree/",
        {"kind": "contract", "date": "2025-06-01", "value": "5000"},
        content_type="application/json",
        HTTP_IF_MATCH=client.get(url)["ETag"],
    )
    assert agreed.status_code == 200, agreed.content
    outcome = Outcome.objects.get(pk=agreed.json()["outcome"])
    assert (outcome.kind, outcome.date, outcome.value) == ("contract", date(2025, 6, 1), 5000)
    assert Opportunity.objects.get(pk=opportunity.pk).stage == "agreement"
    again = client.post(
        f"{url}agree/", {"kind": "mou", "date": "2025-06-02"}, content_type="application/json"
    )
    assert again.status_code == 400


def test_officers_read_investment_projects_through_the_api(client, world):
    project = factories.investment_project(
        world.a, investment_mobilised=1000, mobilised_on=date(2025, 1, 1)
    )
    client.force_login(world.officer)
    rows = client.get(f"{API}investment-projects/", {"partnership": world.a.pk}).json()
    assert [r["id"] for r in rows["results"]] == [project.pk]
    assert client.get(f"{API}investor-contacts/").json()["count"] == 0
    patch = client.patch(
        f"{API}investment-projects/{project.pk}/",
        {"status": "seeking"},
        content_type="application/json",
    )
    assert patch.status_code == 403
    client.force_login(world.coord_b)
    assert client.get(f"{API}investment-projects/{project.pk}/").status_code == 404


def test_an_investment_project_needs_two_regions_through_the_api_too(client, world):
    client.force_login(world.coord_a)
    body = {
        "partnership": world.a.pk,
        "title": "Test track",
        "s3_area": "Automotive",
        "regions": "Piemonte",
        "investment_sought": "100000",
    }
    one = client.post(f"{API}investment-projects/", body, content_type="application/json")
    assert one.status_code == 400 and "regions" in one.json()["errors"]
    two = client.post(
        f"{API}investment-projects/",
        {**body, "regions": "Piemonte, Bavaria"},
        content_type="application/json",
    )
    assert two.status_code == 201, two.content
