from datetime import date
from unittest import mock

import pytest
from django.urls import reverse

from evaluation import services
from evaluation.models import KPIStatus, ScoreboardSnapshot
from strategy.models import Measurement
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_writes_leads_to_one_recompute(client, world, plan):
    """Real commits: the request's transaction asks for its recompute once, after commit."""
    client.force_login(world.coord_a)
    rows = [
        {"kpi": plan["kpi"].pk, "period_end": p.isoformat(), "value": 1}
        for p in plan["kpi"].periods(date.today())
    ]
    with mock.patch.object(
        services, "recompute_scoreboard", wraps=services.recompute_scoreboard
    ) as recompute:
        response = client.post("/api/v1/measurements/bulk/", rows, content_type="application/json")
    assert response.status_code == 201 and len(response.json()) == len(rows) > 5
    assert recompute.call_count == 1
    assert KPIStatus.objects.get(kpi=plan["kpi"]).status == "no_data"  # nothing approved yet


@pytest.mark.parametrize("measurements", [10, 400])
def test_the_recompute_query_count_does_not_grow_with_measurements(
    world, plan, measurements, django_assert_max_num_queries
):
    partners = [plan["partner_a"]] + [
        factories.Partner.objects.create(
            partnership=world.a, cluster=factories.cluster(f"Extra {i}", "NL")
        )
        for i in range(measurements // 10)
    ]
    periods = plan["kpi"].periods()
    Measurement.objects.bulk_create(
        [
            Measurement(
                kpi=plan["kpi"],
                period_end=periods[i % len(periods)],
                partner=partners[i // len(periods) % len(partners)],
                value=1,
                status="approved",
            )
            for i in range(min(measurements, len(periods) * len(partners)))
        ],
        ignore_conflicts=True,
    )
    with django_assert_max_num_queries(20):
        services.recompute_scoreboard(world.a.pk)
    assert KPIStatus.objects.get(kpi=plan["kpi"]).current_value > 0


def test_a_signed_off_snapshot_does_not_change_when_a_value_is_corrected(client, world, plan):
    measurement = Measurement.objects.create(
        kpi=plan["kpi"],
        period_end=date(2025, 3, 31),
        partner=plan["partner_a"],
        value=10,
        status="approved",
    )
    client.force_login(world.coord_a)
    client.post(
        reverse("evaluation:scoreboard", args=[world.a.pk]),
        {"action": "sign_off", "period_end": "2025-03-31"},
    )
    signed = ScoreboardSnapshot.objects.get(signed_off_at__isnull=False)
    frozen = signed.data
    assert frozen["kpis"][0]["value"] == "10.00"
    client.post(
        "/api/v1/measurements/",
        {"kpi": plan["kpi"].pk, "period_end": "2025-03-31", "value": 12, "reason": "Recount"},
        content_type="application/json",
    )
    client.post(f"/api/v1/measurements/{measurement.pk}/approve/")
    services.recompute_scoreboard(world.a.pk)
    signed.refresh_from_db()
    assert signed.data == frozen
    page = client.get(reverse("evaluation:scoreboard", args=[world.a.pk]))
    assert [d["value"] for d in page.context["differences"]] == ["12.00"]
    assert "Changed since the sign-off" in page.content.decode()


def test_officers_see_every_scoreboard_but_no_contact_details(client, world, plan):
    factories.member(world.cluster_a, "Contact Co", contact_email="secret@contact.example")
    client.force_login(world.officer)
    for partnership in (world.a, world.b):
        page = client.get(reverse("evaluation:scoreboard", args=[partnership.pk]))
        assert page.status_code == 200
        assert "secret@contact.example" not in page.content.decode()
    assert client.get(f"/api/v1/scoreboards/{world.b.pk}/").status_code == 200
    assert client.get("/api/v1/members/").json()["count"] == 0
    assert client.get("/api/v1/statistics/").status_code == 200


def test_a_cluster_manager_sees_only_partnerships_their_cluster_is_in(client, world, plan):
    client.force_login(world.manager_a)
    assert client.get(reverse("evaluation:scoreboard", args=[world.a.pk])).status_code == 200
    assert client.get(reverse("evaluation:scoreboard", args=[world.b.pk])).status_code == 404
    assert client.get(f"/api/v1/scoreboards/{world.b.pk}/").status_code == 404
    assert client.get(reverse("evaluation:statistics")).status_code == 403
    assert client.get("/api/v1/statistics/").status_code == 403


def test_exports_open(client, world, plan):
    client.force_login(world.coord_a)
    pdf = client.get(reverse("evaluation:scoreboard_export", args=[world.a.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("evaluation:scoreboard_export", args=[world.a.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_an_officer_flags_a_kpi_and_the_coordinator_answers(client, world, plan):
    client.force_login(world.officer)
    page = client.get(reverse("strategy:kpi_detail", args=[plan["kpi"].pk]))
    assert "How ambitious is the target?" in page.content.decode()
    client.post(
        reverse("evaluation:review_create", args=[plan["kpi"].pk]),
        {"flag": "over_ambitious", "comment": "Twice what others reach."},
    )
    review = plan["kpi"].reviews.get()
    client.force_login(world.coord_a)
    client.post(
        reverse("evaluation:scoreboard", args=[world.a.pk]),
        {"action": "answer", "review": review.pk, "response": "We have the buyers."},
    )
    review.refresh_from_db()
    assert review.state == "answered"
    client.force_login(world.manager_a)
    refused = client.post(
        reverse("evaluation:review_create", args=[plan["kpi"].pk]),
        {"flag": "other", "comment": "x"},
        follow=True,
    )
    assert plan["kpi"].reviews.count() == 1 and refused.status_code in (200, 403)
