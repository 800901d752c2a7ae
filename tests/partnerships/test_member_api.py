"""Members at /api/v1/members/: filters, the bulk upsert (all rows or none), competences."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import Competence, Member

pytestmark = pytest.mark.django_db


def test_member_filters(client, world, members):
    client.force_login(world.manager_a)

    def names(query):
        response = client.get("/api/v1/members/?" + query)
        assert response.status_code == 200, response.content
        return {m["name"] for m in response.json()["results"]}

    assert names("sme=true") == {"Acme Robotics"}
    assert names("sme=false") == {"Bigco"}
    assert names("sector=C") == {"Acme Robotics"}
    assert names("sector=62") == {"Bigco"}
    assert names("competence=robotics") == {"Acme Robotics"}
    assert names("export_market=CN") == {"Acme Robotics"}
    assert names("q=robot") == {"Acme Robotics"}
    assert names(f"partnership={world.a.pk}") == {"Acme Robotics", "Bigco"}
    assert client.get("/api/v1/members/?sector=ZZ").status_code == 400
    page = client.get(
        reverse("partnerships:member_list", args=[world.cluster_a.pk]), {"sector": "ZZ"}
    )
    # The searchable NACE field (escp_portal/choices) names what it could not match.
    assert "No NACE code matches “ZZ”." in page.content.decode()


def test_bulk_api_is_atomic_with_row_errors(client, world, members):
    client.force_login(world.manager_a)
    rows = [{"name": f"Api firm {i}", "country": "ES", "employees": "5"} for i in range(50)]
    rows[17]["founded_year"] = "17"
    rows[30]["country"] = "Spain"
    response = client.post(
        "/api/v1/members/bulk/",
        {"cluster": world.cluster_a.pk, "rows": rows},
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]["rows"]
    assert {(e["index"], e["field"]) for e in errors} == {(17, "founded_year"), (30, "country")}
    assert not Member.objects.filter(name__startswith="Api firm").exists()
    del rows[17]["founded_year"]
    rows[30]["country"] = "ES"
    response = client.post(
        "/api/v1/members/bulk/",
        {"cluster": world.cluster_a.pk, "rows": rows},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["create"] == 50
    again = client.post(
        "/api/v1/members/bulk/",
        {"cluster": world.cluster_a.pk, "rows": rows},
        content_type="application/json",
    )
    assert again.json()["unchanged"] == 50
    assert Member.objects.filter(name__startswith="Api firm").count() == 50


def test_bulk_api_refuses_other_clusters(client, world):
    client.force_login(world.manager_x)
    response = client.post(
        "/api/v1/members/bulk/",
        {"cluster": world.cluster_a.pk, "rows": [{"name": "X", "country": "DE"}]},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Member.objects.exists()


def test_two_rows_cannot_update_the_same_member(client, world, members):
    client.force_login(world.manager_a)
    acme = members["acme"]
    response = client.post(
        "/api/v1/members/bulk/",
        {
            "cluster": world.cluster_a.pk,
            "rows": [
                {"id": acme.pk, "name": "Renamed", "country": "DE", "employees": 1},
                {"name": "Acme Robotics", "country": "DE", "employees": 999},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["rows"][0]["message"] == "Row 0 already updates this member."


def test_competence_names_follow_one_rule(client, world, members):
    client.force_login(world.manager_a)
    url = f"/api/v1/members/{members['acme'].pk}/"
    for bad in (["!!!"], ["x" * 81], ["ﬁ" * 50]):
        response = client.patch(url, {"competences": bad}, content_type="application/json")
        assert response.status_code == 400, bad
    ok = client.patch(url, {"competences": ["AI", "Big data"]}, content_type="application/json")
    assert ok.json()["competences"] == ["AI", "Big data"]


def test_competences_are_looked_up_together_and_a_new_one_is_made_once(client, world, members):
    # "Robotics" is known (the fixture gave it to Acme); "Digital twins" is new.
    client.force_login(world.manager_a)
    url = f"/api/v1/members/{members['acme'].pk}/"
    names = ["Robotics", "robotics", "Digital twins", "digital twins"]
    with CaptureQueriesContext(connection) as queries:
        response = client.patch(url, {"competences": names}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert sorted(response.json()["competences"]) == ["Digital twins", "Robotics"]
    assert Competence.objects.filter(slug="digital-twins").count() == 1
    by_slug = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT")
        and '"partnerships_competence"."slug"' in q["sql"].partition(" WHERE ")[2]
    ]
    assert len(by_slug) == 1, by_slug
