"""Target markets and their market studies."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


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
