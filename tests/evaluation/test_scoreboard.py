"""A partnership's scoreboard: when it is recomputed, what it costs, who sees it, and that
reading it never saves it."""

from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation import services
from evaluation.models import KPIStatus, ScoreboardSnapshot
from evaluation.selectors import kpi_statuses
from strategy.models import Measurement, Milestone, Strategy
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
    # The statuses (the KPIs' milestones in one query), the snapshot and the figures the
    # programme pages add up.
    with django_assert_max_num_queries(25):
        services.recompute_scoreboard(world.a.pk)
    assert KPIStatus.objects.get(kpi=plan["kpi"]).current_value > 0


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


def test_a_strategy_without_kpis_has_an_empty_scoreboard(client, world):
    Strategy.objects.create(partnership=world.b, status="draft")
    client.force_login(world.officer)
    for url in (
        reverse("evaluation:scoreboard", args=[world.b.pk]),
        reverse("evaluation:scoreboard_export", args=[world.b.pk, "pdf"]),
        f"/api/v1/scoreboards/{world.b.pk}/",
    ):
        assert client.get(url).status_code == 200, url


def test_a_scoreboard_never_computed_shows_what_the_recompute_will_save(client, world, plan):
    Measurement.objects.create(
        kpi=plan["kpi"],
        period_end=date(2025, 3, 31),
        partner=plan["partner_a"],
        value=10,
        status="approved",
    )
    client.force_login(world.coord_a)
    url = reverse("evaluation:scoreboard", args=[world.a.pk])
    shown = client.get(url).context
    assert shown["computed_now"] and not KPIStatus.objects.exists()
    assert not ScoreboardSnapshot.objects.exists()
    response = client.post(url, {"action": "recompute"}, follow=True)
    assert "The scoreboard was recomputed." in response.content.decode()
    stored = client.get(url).context
    assert not stored["computed_now"]
    fields = ("kpi_id", "current_value", "progress", "expected", "status", "last_reported")
    assert [[getattr(s, name) for name in fields] for s in shown["statuses"]] == [
        [getattr(s, name) for name in fields] for s in stored["statuses"]
    ]
    assert shown["statuses"][0].current_value == Decimal("10.00")
    assert shown["totals"] == stored["totals"]


def test_only_the_partnerships_coordinators_recompute_it(client, world, plan):
    url = reverse("evaluation:scoreboard", args=[world.a.pk])
    for user in (world.manager_a, world.officer):
        client.force_login(user)
        assert client.post(url, {"action": "recompute"}).status_code == 403
    assert not KPIStatus.objects.exists()
    with pytest.raises(PermissionDenied):
        services.scoreboard_recompute(actor=world.coord_b, partnership=world.a)
    services.scoreboard_recompute(actor=world.staff, partnership=world.a)
    assert KPIStatus.objects.filter(kpi=plan["kpi"]).exists()


def test_the_status_is_measured_against_the_milestone_due(world, plan):
    """Baseline 0 at the end of 2023, target 40 at the end of 2027: 12 by the end of Q1 2025
    is on track on a straight line (expected 31 %, progress 30 %), and off track when a
    milestone asks for 30 by the end of 2024."""
    Measurement.objects.create(
        kpi=plan["kpi"],
        period_end=date(2025, 3, 31),
        partner=plan["partner_a"],
        value=12,
        status="approved",
    )
    status = kpi_statuses(world.a.pk, as_of=date(2025, 4, 15))[0]
    assert (status.progress, status.status) == (Decimal("30.0"), "on_track")
    Milestone.objects.create(kpi=plan["kpi"], date=date(2024, 12, 31), value=30)
    status = kpi_statuses(world.a.pk, as_of=date(2025, 4, 15))[0]
    assert status.expected > 75 and status.status == "off_track"


def test_kpi_statuses_read_the_milestones_of_all_kpis_in_one_query(world, plan):
    def count():
        with CaptureQueriesContext(connection) as context:
            kpi_statuses(world.a.pk)
        return len(context.captured_queries)

    before = count()
    for i in range(5):
        kpi = factories.kpi(plan["objective"], f"KPI {i}")
        Milestone.objects.create(kpi=kpi, date=date(2025, 12, 31), value=10)
        Milestone.objects.create(kpi=kpi, date=date(2026, 12, 31), value=20)
    assert count() == before


def _partnership_with_values(n):
    partnership = factories.partnership(f"BATCH{n}", partners=[factories.cluster(f"B{n}", "AT")])
    plan = factories.make_strategy_with_kpi(partnership, responsible=partnership.partners.first())
    factories.mission(partnership, status="done", country="US")
    factories.outcome(partnership, kind="contract", value=Decimal("1500.50"))
    for period in plan.kpi.periods(date(2025, 12, 31))[:3]:
        Measurement.objects.create(
            kpi=plan.kpi,
            period_end=period,
            partner=partnership.partners.first(),
            value=2,
            status="approved",
        )
    return partnership


def test_the_nightly_recompute_takes_many_partnerships_in_a_flat_number_of_queries():
    few = [_partnership_with_values(n).pk for n in range(2)]
    many = [_partnership_with_values(n).pk for n in range(2, 10)]
    with CaptureQueriesContext(connection) as two:
        services.recompute_scoreboards(few)
    with CaptureQueriesContext(connection) as eight:
        data = services.recompute_scoreboards(many)
    assert len(eight.captured_queries) == len(two.captured_queries)
    # The same as one at a time.
    alone = services.recompute_scoreboard(many[-1])
    assert data[many[-1]] == alone
    assert alone["totals"]["outcomes_by_kind"] == {"contract": 1}
    assert alone["totals"]["outcomes_value"] == "1500.50"
    assert alone["totals"]["missions_held"] == 1
    assert sum(alone["statuses"].values()) == 1 and alone["kpis"][0]["value"] == "6.00"
    assert KPIStatus.objects.filter(partnership_id__in=many).count() == 8
    assert ScoreboardSnapshot.objects.filter(partnership_id__in=many).count() == 8
