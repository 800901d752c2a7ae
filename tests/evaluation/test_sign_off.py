"""Signing a scoreboard off for a reporting period: once per period, frozen afterwards."""

from datetime import date

import pytest
from django.urls import reverse

from evaluation import services
from evaluation.models import ScoreboardSnapshot
from strategy.models import Measurement

pytestmark = pytest.mark.django_db


def test_sign_off_takes_a_real_period_once(client, world, plan):
    client.force_login(world.coord_a)
    url = reverse("evaluation:scoreboard", args=[world.a.pk])
    client.post(url, {"action": "sign_off", "period_end": "1900-01-07"})
    assert not ScoreboardSnapshot.objects.filter(signed_off_at__isnull=False).exists()
    client.post(url, {"action": "sign_off", "period_end": "2025-03-31"})
    again = client.post(url, {"action": "sign_off", "period_end": "2025-03-31"}, follow=True)
    assert "already signed off" in again.content.decode()
    assert ScoreboardSnapshot.objects.filter(signed_off_at__isnull=False).count() == 1


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


def test_the_api_lists_the_signed_off_periods_newest_first(client, world, plan):
    for period in (date(2025, 3, 31), date(2025, 6, 30)):
        services.sign_off(actor=world.coord_a, partnership=world.a, period_end=period)
    client.force_login(world.coord_a)
    board = client.get(f"/api/v1/scoreboards/{world.a.pk}/").json()
    assert [row["period_end"] for row in board["signed_off"]] == ["2025-06-30", "2025-03-31"]
    assert all(
        set(row) == {"period_end", "signed_off_at", "statuses"} for row in board["signed_off"]
    )
    assert board["partnership"] == world.a.pk
