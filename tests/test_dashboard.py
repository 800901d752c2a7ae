"""The role dashboard on the home page: each role's first question answered, from what the
role may see, in a fixed number of queries."""

from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from escp_portal import dashboard
from evaluation.models import KPIStatus, Review, Status
from missions.models import Mission, Outcome, Participation
from partnerships.models import Partner
from strategy.models import KPI, REPORTING_GRACE, Measurement, PeriodLock, Task
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


def _plan(partnership, responsible, name):
    return factories.make_strategy_with_kpi(
        partnership,
        objective_fields={
            "owner": responsible,
            "statement": "Take the partner clusters' SMEs to buyers in Canada by 2027.",
            "start_date": date(2025, 1, 1),
        },
        name=name,
        baseline_date=date(2024, 12, 31),
        responsible=responsible,
    )


def _mission(partnership, title, start, **fields):
    return Mission.objects.create(
        partnership=partnership,
        title=title,
        kind="trade_mission",
        country="CA",
        start_date=start,
        end_date=start + timedelta(days=3),
        **fields,
    )


@pytest.fixture
def w():
    world = factories.make_world()
    world.partner_a = Partner.objects.get(partnership=world.a, cluster=world.cluster_a)
    world.partner_b = Partner.objects.get(partnership=world.b, cluster=world.cluster_b)
    world.coordinator_a = Partner.objects.get(partnership=world.a, cluster=world.cluster_a2)
    _s, world.objective_a, world.kpi_a = _plan(world.a, world.partner_a, "Exporting SMEs A")
    _s, world.objective_b, world.kpi_b = _plan(world.b, world.partner_b, "Exporting SMEs B")
    return world


def test_late_reports_are_periods_ended_a_month_ago_without_the_responsible_partners_report(w):
    # Quarterly from 31 Dec 2024: by 26 Nov 2026 the quarters to 30 Jun and 30 Sep 2026 are past
    # their 30-day grace; March 2026 is older than the six months the list looks back.
    late = dashboard.coordinator({w.a.pk}, TODAY)["late_reports"]
    assert [(r.kpi.name, r.period_end) for r in late.rows] == [
        ("Exporting SMEs A", date(2026, 6, 30)),
        ("Exporting SMEs A", date(2026, 9, 30)),
    ]
    # Another partner's value does not count; a returned one is still owed.
    Measurement.objects.create(
        kpi=w.kpi_a, period_end=date(2026, 6, 30), partner=w.coordinator_a, value=1
    )
    Measurement.objects.create(
        kpi=w.kpi_a,
        period_end=date(2026, 9, 30),
        partner=w.partner_a,
        value=2,
        status="returned",
    )
    assert dashboard.coordinator({w.a.pk}, TODAY)["late_reports"].total == 2
    Measurement.objects.create(
        kpi=w.kpi_a, period_end=date(2026, 6, 30), partner=w.partner_a, value=4
    )
    result = dashboard.coordinator({w.a.pk}, TODAY)
    assert [r.period_end for r in result["late_reports"].rows] == [date(2026, 9, 30)]
    # Two submitted values wait for the coordinator (the other partner's and the new one).
    assert result["values_to_review"] == 2
    # B's KPI is not A's coordinator's business.
    assert all(r.kpi.pk != w.kpi_b.pk for r in result["late_reports"].rows)


def test_manager_sees_only_the_reports_their_cluster_owes(w):
    result = dashboard.cluster_manager(w.manager_a, TODAY)
    assert {r.kpi.pk for r in result["late_reports"].rows} == {w.kpi_a.pk}
    KPI.objects.filter(pk=w.kpi_a.pk).update(responsible=w.coordinator_a)
    assert not dashboard.cluster_manager(w.manager_a, TODAY)["late_reports"]


def test_a_locked_period_is_not_reported_late(w):
    """Nobody can report a locked period any more (the reminders skip it too)."""
    PeriodLock.objects.create(partnership=w.a, period_end=date(2026, 6, 30))
    late = dashboard.coordinator({w.a.pk}, TODAY)["late_reports"]
    assert [r.period_end for r in late.rows] == [date(2026, 9, 30)]
    late = dashboard.cluster_manager(w.manager_a, TODAY)["late_reports"]
    assert [r.period_end for r in late.rows] == [date(2026, 9, 30)]


@override_settings(KPI_REMINDER_WINDOW_DAYS=400)
def test_late_reports_look_back_as_far_as_the_reminders(w):
    late = dashboard.coordinator({w.a.pk}, TODAY)["late_reports"]
    assert [r.period_end for r in late.rows][:1] == [date(2025, 9, 30)]


def test_coordinator_page_lists_what_is_late_and_what_is_next(client, w):
    today = timezone.localdate()
    Task.objects.create(
        objective=w.objective_a, title="Draft the buyer list", due_date=today - timedelta(days=3)
    )
    Task.objects.create(
        objective=w.objective_a,
        title="Finished already",
        due_date=today - timedelta(days=3),
        status="done",
        completed_on=today - timedelta(days=4),
    )
    Task.objects.create(
        objective=w.objective_b, title="Beta's own task", due_date=today - timedelta(days=3)
    )
    _mission(w.a, "Toronto fair", today - timedelta(days=20))
    recorded = _mission(w.a, "Montreal visit", today - timedelta(days=40))
    Outcome.objects.create(
        partnership=w.a,
        mission=recorded,
        kind="mou",
        counterpart="Buyer",
        counterpart_country="CA",
        date=today - timedelta(days=30),
    )
    upcoming = _mission(
        w.a,
        "Vancouver B2B",
        today + timedelta(days=14),
        capacity=10,
        registration_deadline=today + timedelta(days=7),
    )
    Participation.objects.create(
        mission=upcoming, cluster=w.cluster_a, member=factories.member(w.cluster_a)
    )
    _mission(w.b, "Beta's mission", today + timedelta(days=10))
    Review.objects.create(
        partnership=w.a,
        kpi=w.kpi_a,
        flag="unambitious",
        comment="Forty SMEs in three years looks easy.",
        created_by=w.officer,
    )
    client.force_login(w.coord_a)
    page = client.get(reverse("home")).content.decode()
    assert "What needs you" in page
    assert "1 task past its due date" in page and "Draft the buyer list" in page
    assert "Finished already" not in page and "Beta&#x27;s own task" not in page
    assert "1 mission with no outcome recorded yet" in page and "Toronto fair" in page
    assert "Montreal visit" not in page
    assert "1 Commission review to answer" in page
    assert "Vancouver B2B" in page and "1 / 10" in page
    assert "Beta&#x27;s mission" not in page
    assert "Exporting SMEs A" in page and "Exporting SMEs B" not in page


def test_manager_page_shows_member_freshness_and_open_registrations(client, w):
    today = timezone.localdate()
    fresh = factories.member(w.cluster_a, name="Fresh GmbH", nace_code="62.01", employees=12)
    stale = factories.member(w.cluster_a, name="Stale GmbH", nace_code="62.01", employees=40)
    factories.member(w.cluster_a, name="Unknown size GmbH")
    type(stale).objects.filter(pk=stale.pk).update(updated_at=timezone.now() - timedelta(days=400))
    factories.member(w.cluster_b, name="Beta member")
    open_mission = _mission(
        w.a, "Calgary week", today + timedelta(days=30), registration_deadline=today + timedelta(5)
    )
    _mission(
        w.a,
        "Closed already",
        today + timedelta(days=30),
        registration_deadline=today - timedelta(1),
    )
    _mission(w.b, "Beta trip", today + timedelta(days=30))
    Participation.objects.create(mission=open_mission, cluster=w.cluster_a, member=fresh)
    # Not the manager's: a cancelled registration, and another cluster's.
    Participation.objects.create(
        mission=open_mission,
        cluster=w.cluster_a,
        member=stale,
        status=Participation.Status.CANCELLED,
    )
    Participation.objects.create(
        mission=open_mission, cluster=w.cluster_b, member=factories.member(w.cluster_b)
    )
    client.force_login(w.manager_a)
    response = client.get(reverse("home"))
    board = response.context["manager_dashboard"]
    cluster = board["clusters"][0]
    assert (cluster.member_total, cluster.stale, cluster.incomplete) == (3, 1, 1)
    newest = max(m.updated_at for m in type(fresh).objects.filter(memberships__cluster=w.cluster_a))
    assert cluster.last_update == newest
    assert [(m.title, m.mine) for m in board["open_missions"].rows] == [("Calgary week", 1)]
    page = response.content.decode()
    assert "Your member data" in page and "Not updated for a year" in page
    assert "Calgary week" in page
    assert "Closed already" not in page and "Beta trip" not in page
    assert "1 registration of your cluster is still to be confirmed." in page


def _status(kpi, value):
    KPIStatus.objects.create(
        kpi=kpi, partnership=kpi.objective.strategy.partnership, expected=50, status=value
    )


def test_officer_panel_lists_silent_partnerships_first_then_those_at_risk(client, w):
    """The panel reads the oversight: an active partnership with no strategy (or no KPIs, or
    nothing reported) is listed first, then those with KPIs at risk or off track; one that
    reports and is on track is not, nor one that ended."""
    today = timezone.localdate()
    _status(w.kpi_a, Status.OFF_TRACK)
    extra = factories.kpi(w.objective_a, "Second A", target_value=10)
    _status(extra, Status.ON_TRACK)
    _status(w.kpi_b, Status.ON_TRACK)
    # B reports every period due, A one of them (late): neither is silent.
    for period in w.kpi_b.periods(today - REPORTING_GRACE):
        Measurement.objects.create(kpi=w.kpi_b, period_end=period, partner=w.partner_b, value=1)
    Measurement.objects.create(
        kpi=w.kpi_a, period_end=date(2025, 3, 31), partner=w.partner_a, value=1
    )
    factories.partnership("QUIET", coordinator=factories.cluster("Quiet", "AT"))
    factories.partnership("OLD", start_date=date(2016, 1, 1), end_date=date(2019, 12, 31))
    factories.partnership("DONE", status="completed")
    client.force_login(w.officer)
    response = client.get(reverse("home"))
    board = response.context["officer_dashboard"]
    rows = [
        (r.acronym, r.silent_reasons, r.off_track, r.troubled_share) for r in board["at_risk"].rows
    ]
    assert rows == [("QUIET", ["no_strategy"], 0, 0), ("ALPHA", [], 1, 50)]
    assert board["silent"] == 1
    page = response.content.decode()
    assert "Partnerships at risk" in page and "no strategy" in page
    assert reverse("evaluation:oversight") in page
    # Coordinators and managers do not get the programme-wide view.
    client.force_login(w.coord_a)
    assert "officer_dashboard" not in client.get(reverse("home")).context


def _ended_partnership(w, acronym, **fields):
    """A partnership coordinated by coord_a with cluster_a as partner and a KPI it owes."""
    from escp_portal.accounts.models import RoleAssignment

    fields.setdefault("start_date", date(2016, 1, 1))
    fields.setdefault("end_date", date(2019, 12, 31))
    old = factories.partnership(
        acronym,
        coordinator=factories.cluster(f"{acronym} cluster", "AT"),
        partners=[w.cluster_a],
        **fields,
    )
    RoleAssignment.objects.create(user=w.coord_a, role="coordinator", partnership=old)
    partner = Partner.objects.get(partnership=old, cluster=w.cluster_a)
    _s, objective, kpi = _plan(old, partner, f"{acronym} KPI")
    return old, objective, kpi


@pytest.fixture(params=["read-whole", "cut-by-the-database"])
def split_by(request, monkeypatch):
    """The lists read whole and split in Python (a few rows), or cut by a window query (more
    rows than ``READ_WHOLE_UP_TO``): the same items either way."""
    if request.param == "cut-by-the-database":
        monkeypatch.setattr(dashboard, "READ_WHOLE_UP_TO", 0)
    return request.param


def test_items_of_ended_partnerships_are_kept_apart(client, w, split_by):
    """A partnership that ended in 2019 (or is completed) still owes reports and has open
    reviews: they are listed apart from the current ones, after them, in a collapsed section."""
    today = timezone.localdate()
    old, old_objective, old_kpi = _ended_partnership(w, "OLDIE")
    done, done_objective, _kpi = _ended_partnership(
        w, "DONE", status="completed", end_date=date(2027, 12, 31)
    )
    late = today - timedelta(days=3)
    for objective, title in ((w.objective_a, "Current task"), (old_objective, "Old task"),
                             (done_objective, "Done task")):  # fmt: skip
        Task.objects.create(objective=objective, title=title, due_date=late)
    for partnership, kpi in ((w.a, w.kpi_a), (old, old_kpi)):
        Review.objects.create(
            partnership=partnership, kpi=kpi, flag="unclear", comment="?", created_by=w.officer
        )
    _mission(old, "Old trip", today + timedelta(days=20))
    _mission(w.a, "Current trip", today + timedelta(days=20))

    board = dashboard.coordinator({w.a.pk, old.pk, done.pk}, today)
    assert [t.title for t in board["overdue_tasks"].rows] == ["Current task"]
    ended = board["ended"]
    assert sorted(t.title for t in ended["overdue_tasks"].rows) == ["Done task", "Old task"]
    assert [r.partnership.acronym for r in board["open_reviews"].rows] == ["ALPHA"]
    assert [r.partnership.acronym for r in ended["open_reviews"].rows] == ["OLDIE"]
    assert {r.kpi.name for r in board["late_reports"].rows} == {"Exporting SMEs A"}
    assert {r.kpi.name for r in ended["late_reports"].rows} == {"OLDIE KPI", "DONE KPI"}
    assert [m.title for m in board["upcoming"].rows] == ["Current trip"]
    assert [m.title for m in ended["upcoming"].rows] == ["Old trip"]
    assert ended["total"] == 2 + 1 + ended["late_reports"].total + 1

    client.force_login(w.coord_a)
    page = client.get(reverse("home")).content.decode()
    assert page.index("Current task") < page.index("Ended partnerships") < page.index("Old task")
    assert '<details id="coordinator-ended"' in page

    manager = dashboard.cluster_manager(w.manager_a, today)
    assert {r.kpi.name for r in manager["late_reports"].rows} == {"Exporting SMEs A"}
    assert {r.kpi.name for r in manager["ended"]["late_reports"].rows} == {
        "OLDIE KPI",
        "DONE KPI",
    }
    client.force_login(w.manager_a)
    response = client.get(reverse("home"))
    board = response.context["manager_dashboard"]
    assert [m.title for m in board["open_missions"].rows] == ["Current trip"]
    assert [m.title for m in board["ended"]["open_missions"].rows] == ["Old trip"]
    page = response.content.decode()
    assert page.index("Current trip") < page.index("Ended partnerships") < page.index("Old trip")


def test_dashboard_queries_stay_flat_as_partnerships_grow(client, w, django_assert_max_num_queries):
    from escp_portal.accounts.models import RoleAssignment

    def ask(user):
        client.force_login(user)
        client.get(reverse("home"))  # warm: the user's roles come from the cache from then on
        with django_assert_max_num_queries(BUDGET) as captured:
            assert client.get(reverse("home")).status_code == 200
        return len(captured)

    before = {u.email: ask(u) for u in (w.coord_a, w.manager_a, w.officer)}
    for i in range(6):
        cluster = factories.cluster(f"Grown {i}", "AT")
        other = factories.partnership(f"GROWN{i}", coordinator=cluster, partners=[w.cluster_a])
        partner = Partner.objects.get(partnership=other, cluster=w.cluster_a)
        _s, objective, kpi = _plan(other, partner, f"Grown KPI {i}")
        Task.objects.create(objective=objective, title=f"Late {i}", due_date=date(2025, 1, 1))
        _mission(other, f"Grown mission {i}", timezone.localdate() + timedelta(days=9))
        KPIStatus.objects.create(kpi=kpi, partnership=other, expected=50, status=Status.AT_RISK)
        RoleAssignment.objects.create(user=w.coord_a, role="coordinator", partnership=other)
        # And as many that ended, whose items go to the section apart.
        old, old_objective, _kpi = _ended_partnership(w, f"ENDED{i}")
        Task.objects.create(objective=old_objective, title=f"Old {i}", due_date=date(2019, 1, 1))
        _mission(old, f"Old mission {i}", timezone.localdate() + timedelta(days=9))
    after = {u.email: ask(u) for u in (w.coord_a, w.manager_a, w.officer)}
    assert after == before
    # ... and the lists did grow: the same queries answer for the new partnerships.
    grown = dashboard.cluster_manager(w.manager_a, timezone.localdate())
    assert grown["open_missions"].total >= 6 and grown["late_reports"].total >= 6
    assert grown["ended"]["open_missions"].total == 6
    assert grown["ended"]["late_reports"].total >= 6
    assert (
        dashboard.coordinator(
            set(w.coord_a.role_assignments.values_list("partnership_id", flat=True)),
            timezone.localdate(),
        )["ended"]["overdue_tasks"].total
        == 6
    )
    # The six at risk, and ALPHA and BETA, which report nothing (silent); not the ended ones.
    assert dashboard.officer(timezone.localdate())["at_risk"].total == 8


BUDGET = 20


def test_manager_dashboard_leaves_out_draft_partnerships_the_manager_cannot_open(client, w):
    """A draft partnership is its coordinators' alone: its missions and KPIs are not on the
    dashboard of a partner cluster's manager (they would answer 404 there)."""
    draft = factories.partnership("SECRET", status="draft", partners=[w.cluster_a])
    partner = Partner.objects.get(partnership=draft, cluster=w.cluster_a)
    _plan(draft, partner, "Draft KPI")
    today = timezone.localdate()
    hidden = _mission(draft, "Draft trip", today + timedelta(days=30))
    Participation.objects.create(
        mission=hidden, cluster=w.cluster_a, member=factories.member(w.cluster_a)
    )
    client.force_login(w.manager_a)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    response = client.get(reverse("home"))
    board = response.context["manager_dashboard"]
    assert [m.title for m in board["open_missions"].rows] == []
    assert board["to_confirm"] == 0
    assert "Draft trip" not in response.content.decode()
    late = dashboard.cluster_manager(w.manager_a, TODAY)["late_reports"]
    assert {r.kpi.name for r in late.rows} == {"Exporting SMEs A"}


def test_a_coordinator_finds_the_way_to_plan_a_mission(client, w):
    client.force_login(w.coord_a)
    page = client.get(reverse("home")).content.decode()
    assert reverse("missions:mission_add", args=[w.a.pk]) in page
    assert reverse("missions:mission_add", args=[w.b.pk]) not in page
