"""Oversight for EC officers: per published partnership, a strategy adopted, live KPIs, reports
on time / late / missing, last activity and open reviews — the silent ones first, filtered,
sorted and exported, for those who read the programme statistics, in a fixed number of
queries."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from evaluation.models import KPIStatus, PartnershipFigures, Review, Status
from evaluation.selectors import oversight, oversight_for, row_data
from evaluation.tasks import recompute_all_scoreboards
from partnerships.models import Partner, Partnership
from strategy.models import KPI, Measurement
from tests import factories

pytestmark = pytest.mark.django_db

# Quarterly from 31 Dec 2024: on 15 Aug 2025 the reports of March and June 2025 are due (30
# days after their period), September's is not.
TODAY = date(2025, 8, 15)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


def _report(kpi, period, partner, reported_on, status="submitted"):
    value = Measurement.objects.create(
        kpi=kpi, period_end=period, partner=partner, value=1, status=status
    )
    Measurement.objects.filter(pk=value.pk).update(reported_at=_at(reported_on))
    return value


def _rows(**kwargs):
    return {row.acronym: row for row in oversight(Partnership.objects.all(), **kwargs)}


@pytest.fixture
def plan(world):
    partner_a = Partner.objects.get(partnership=world.a, cluster=world.cluster_a)
    other = Partner.objects.get(partnership=world.a, cluster=world.cluster_a2)
    strategy, objective, kpi = factories.make_strategy_with_kpi(
        world.a, baseline_date=date(2024, 12, 31), responsible=partner_a
    )
    return {
        "strategy": strategy,
        "objective": objective,
        "kpi": kpi,
        "partner_a": partner_a,
        "other": other,
    }


def test_reports_are_counted_on_time_late_or_missing(world, plan):
    kpi, partner_a, other = plan["kpi"], plan["partner_a"], plan["other"]
    _report(kpi, date(2025, 3, 31), partner_a, date(2025, 4, 20))  # due 30 April: on time
    _report(kpi, date(2025, 6, 30), partner_a, date(2025, 8, 10))  # due 30 July: late
    _report(kpi, date(2025, 9, 30), partner_a, date(2025, 8, 10))  # not due yet: not counted
    # A KPI with no responsible partner: any partner's value counts; a returned one does not.
    loose = factories.kpi(plan["objective"], "Loose KPI", baseline_date=date(2024, 12, 31))
    _report(loose, date(2025, 3, 31), other, date(2025, 4, 1), status="returned")
    _report(loose, date(2025, 6, 30), other, date(2025, 7, 1), status="approved")
    # Another partner's value of a KPI with a responsible one does not count either.
    _report(kpi, date(2025, 6, 30), other, date(2025, 7, 1))
    # A KPI derived from the portal's records is live but owes no report.
    KPI.objects.create(
        objective=plan["objective"],
        name="Derived",
        unit="members",
        source="partner_members",
        baseline_date=date(2024, 12, 31),
        target_date=date(2027, 12, 31),
    )
    row = _rows(today=TODAY)["ALPHA"]
    assert (row.kpis, row.expected, row.on_time, row.late, row.missing) == (3, 4, 2, 1, 1)
    assert row.on_time_rate == 50
    assert row.adopted and row.has_strategy and not row.silent


def test_a_report_is_on_time_until_the_due_day_ends_in_the_portal_time_zone(world, plan):
    """March's report is due on 30 April: on time until midnight in Brussels (22:00 UTC in
    summer), whatever the database's clock says."""
    from zoneinfo import ZoneInfo

    kpi, partner_a = plan["kpi"], plan["partner_a"]
    brussels = ZoneInfo("Europe/Brussels")
    march = _report(kpi, date(2025, 3, 31), partner_a, date(2025, 4, 1))
    june = _report(kpi, date(2025, 6, 30), partner_a, date(2025, 7, 1))
    # 23:30 in Brussels on the due day (21:30 UTC): on time.
    Measurement.objects.filter(pk=march.pk).update(
        reported_at=datetime(2025, 4, 30, 23, 30, tzinfo=brussels)
    )
    # 00:30 in Brussels the day after June's due day (22:30 UTC on the due day): late.
    Measurement.objects.filter(pk=june.pk).update(
        reported_at=datetime(2025, 7, 31, 0, 30, tzinfo=brussels)
    )
    row = _rows(today=TODAY)["ALPHA"]
    assert (row.expected, row.on_time, row.late) == (2, 1, 1)


def test_silent_partnerships_come_first_with_their_reason(world, plan):
    quiet = factories.partnership("QUIET")  # no strategy
    empty = factories.partnership("EMPTY")
    factories.strategy(empty, status="draft")  # a draft, and no KPI
    factories.make_strategy_with_kpi(world.b, baseline_date=date(2024, 12, 31))
    _report(plan["kpi"], date(2025, 3, 31), plan["partner_a"], date(2025, 4, 2))
    # Nothing of BETA's due reports came: silent. ALPHA reported, but its KPI is off track.
    KPIStatus.objects.create(
        kpi=plan["kpi"], partnership=world.a, expected=50, status=Status.OFF_TRACK
    )
    rows = oversight(Partnership.objects.exclude(status="draft"), today=TODAY)
    assert [(r.acronym, r.silent_reasons) for r in rows] == [
        ("BETA", ["nothing_reported"]),
        ("EMPTY", ["no_kpis"]),
        ("QUIET", ["no_strategy"]),
        ("ALPHA", []),
    ]
    by_name = {r.acronym: r for r in rows}
    assert not by_name["EMPTY"].adopted and by_name["EMPTY"].has_strategy
    assert by_name["ALPHA"].troubled_share == 100
    assert quiet.pk in {r.pk for r in oversight(Partnership.objects.all(), silent=True)}
    assert "ALPHA" not in {
        r.acronym for r in oversight(Partnership.objects.all(), today=TODAY, silent=True)
    }


def test_open_reviews_and_last_activity(world, plan):
    kpi = plan["kpi"]
    old = Review.objects.create(
        partnership=world.a, kpi=kpi, flag="unclear", comment="?", created_by=world.officer
    )
    Review.objects.create(
        partnership=world.a, kpi=kpi, flag="other", comment="?", created_by=world.officer
    )
    Review.objects.create(partnership=world.a, kpi=kpi, flag="other", comment="!", state="answered")
    Review.objects.filter(pk=old.pk).update(created_at=_at(TODAY - timedelta(days=40)))
    reported = _report(kpi, date(2025, 3, 31), plan["partner_a"], date(2025, 4, 20))
    row = _rows(today=TODAY)["ALPHA"]
    assert (row.open_reviews, row.oldest_review_days) == (2, 40)
    # The strategy and its KPI were just written: they are the latest activity.
    assert row.last_activity >= timezone.now() - timedelta(minutes=5)
    beta = _rows(today=TODAY)["BETA"]
    assert (beta.last_activity, beta.open_reviews, beta.oldest_review_days) == (None, 0, None)
    mission = factories.mission(world.b, "Beta trip")
    assert _rows(today=TODAY)["BETA"].last_activity == mission.updated_at
    reported.refresh_from_db()
    assert reported.reported_at < row.last_activity


def test_filters_sorts_and_drafts(world, plan):
    factories.partnership("ZETA", generation=2, phase=Partnership.Phase.PREPARATORY)
    acronyms = [r.acronym for r in oversight_for(user=world.officer, sort="acronym")]
    assert acronyms == ["ALPHA", "BETA", "ZETA"]  # no draft
    assert [r.acronym for r in oversight_for(user=world.officer, sort="-acronym")] == [
        "ZETA",
        "BETA",
        "ALPHA",
    ]
    assert [r.acronym for r in oversight_for(user=world.officer, generation=2)] == ["ZETA"]
    assert [r.acronym for r in oversight_for(user=world.officer, phase="preparatory")] == ["ZETA"]
    # Rows without a value come last, whatever the direction.
    assert [r.acronym for r in oversight_for(user=world.officer, sort="-on_time")][-1] == "ZETA"


def test_the_page_the_api_and_the_exports(client, world, plan):
    client.force_login(world.officer)
    page = client.get(reverse("evaluation:oversight"), {"sort": "nonsense"})
    assert page.status_code == 200
    assert [r.acronym for r in page.context["rows"]] == ["ALPHA", "BETA"]
    html = page.content.decode()
    assert "Oversight of the partnerships" in html and 'href="?sort=acronym"' in html
    assert reverse("evaluation:oversight_export", args=["xlsx"]) in html
    sorted_page = client.get(reverse("evaluation:oversight"), {"sort": "-acronym"})
    assert [r.acronym for r in sorted_page.context["rows"]] == ["BETA", "ALPHA"]
    assert 'aria-sort="descending"' in sorted_page.content.decode()

    api = client.get("/api/v1/oversight/", {"sort": "acronym", "phase": "implementation"})
    assert api.status_code == 200
    body = api.json()
    assert body["count"] == 2
    alpha = body["results"][0]
    assert alpha["acronym"] == "ALPHA" and alpha["strategy_adopted"] is True
    # Nothing reported of the reports due since 2024: silent.
    assert alpha["live_kpis"] == 1 and alpha["silent_reasons"] == ["nothing_reported"]
    assert alpha["reports_missing"] == alpha["reports_expected"] > 0
    assert client.get("/api/v1/oversight/", {"sort": "nonsense"}).status_code == 400
    assert client.get("/api/v1/oversight/", {"phase": "nonsense"}).status_code == 400

    sheet = load_workbook(
        io.BytesIO(client.get(reverse("evaluation:oversight_export", args=["xlsx"])).content)
    ).active
    values = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert values[1][0] == "Partnership" and {r[0] for r in values[2:]} == {"ALPHA", "BETA"}
    text = client.get(reverse("evaluation:oversight_export", args=["csv"]), {"silent": "on"})
    rows = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Partnership"
    assert [r[0] for r in rows[1:]] == [r["acronym"] for r in body["results"] if r["silent"]]


def test_only_readers_of_the_statistics(client, world):
    for user, answer in ((world.coord_a, 403), (world.manager_a, 403), (world.staff, 200)):
        client.force_login(user)
        assert client.get(reverse("evaluation:oversight")).status_code == answer
        assert client.get("/api/v1/oversight/").status_code == answer
        assert client.get(reverse("evaluation:oversight_export", args=["csv"])).status_code == (
            answer
        )
    client.logout()
    assert client.get(reverse("evaluation:oversight")).status_code == 302


def test_officers_find_the_page(client, world):
    client.force_login(world.officer)
    url = reverse("evaluation:oversight")
    assert url in client.get(reverse("home")).content.decode()
    assert url in client.get(reverse("evaluation:statistics")).content.decode()
    client.force_login(world.coord_a)
    assert url not in client.get(reverse("home")).content.decode()


def test_the_read_costs_the_same_queries_for_many_partnerships(
    world, plan, django_assert_max_num_queries
):
    def read():
        # 2 (3 today, with the stored figures), and for the partnerships whose figures are not
        # stored: 2 for their reports and 1 for their latest changes.
        with django_assert_max_num_queries(5) as captured:
            rows = oversight(Partnership.objects.exclude(status="draft"), today=TODAY)
        return len(captured), len(rows)

    before, count = read()
    for i in range(10):
        other = factories.partnership(f"MORE{i}", coordinator=factories.cluster(f"More {i}"))
        partner = other.partners.get()
        _s, objective, kpi = factories.make_strategy_with_kpi(
            other, baseline_date=date(2024, 12, 31), responsible=partner
        )
        factories.kpi(objective, "Second", responsible=partner)
        _report(kpi, date(2025, 3, 31), partner, date(2025, 4, 2))
        Review.objects.create(
            partnership=other, kpi=kpi, flag="other", comment="?", created_by=world.officer
        )
        factories.mission(other)
    after, grown = read()
    assert (after, grown) == (before, count + 10)
    # With the figures the recompute job stores, the reports are read from them.
    recompute_all_scoreboards()
    published = Partnership.objects.exclude(status="draft")
    with django_assert_max_num_queries(3):
        stored = [row_data(row) for row in oversight(published)]
    PartnershipFigures.objects.all().delete()
    assert stored == [row_data(row) for row in oversight(published)]
    assert sum(row["reports_expected"] for row in stored) > 0


def test_the_page_shows_fifty_rows_at_a_time_and_sorting_starts_on_the_first(client, world):
    for i in range(52):
        factories.partnership(f"PAGE{i:02d}", coordinator=factories.cluster(f"Paged {i}"))
    client.force_login(world.officer)
    first = client.get(reverse("evaluation:oversight"))
    body = first.content.decode()
    assert len(first.context["rows"]) == 50 and first.context["total"] == 54
    assert "54 partnerships" in body and "Page 1 of 2" in body
    second = client.get(reverse("evaluation:oversight"), {"page": "2", "sort": "acronym"})
    assert len(second.context["rows"]) == 4
    assert "page=" not in "".join(c["url"] or "" for c in second.context["columns"])
    assert client.get(reverse("evaluation:oversight"), {"page": "x"}).status_code == 200
