import io
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.test import Client

from escp_portal.accounts.models import RoleAssignment, User
from missions.models import ExportGroup, Mission, Outcome, Participation
from partnerships.models import (
    ClusterAlias,
    ClusterOrganisation,
    Member,
    Partner,
    Partnership,
    Programme,
)
from strategy.models import KPI, MarketStudy, Measurement, Milestone, Strategy, TargetMarket, Task

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Programme,
            Partnership,
            ClusterOrganisation,
            Partner,
            User,
            RoleAssignment,
            LogEntry,
            Member,
            TargetMarket,
            Strategy,
            KPI,
            Measurement,
            Task,
            Mission,
            Participation,
            Outcome,
            MarketStudy,
            ExportGroup,
            Milestone,
        )
    }


def test_load_demo_loads_the_real_partnerships_and_twice_changes_nothing():
    call_command("load_demo", stdout=io.StringIO())
    first = counts()
    assert first["Partnership"] == 59
    assert first["Programme"] == 2
    assert first["Partner"] == 286
    # Clusters in several partnerships are one organisation: spelling variants are merged
    # through the data file's aliases (230 records before they were).
    assert first["ClusterOrganisation"] == 215
    assert ClusterAlias.objects.filter(cluster__name="Secured Communication Solutions").count() == 3
    s3 = Partnership.objects.filter(programme__code="ESCP-S3")
    assert set(s3.values_list("start_date", "end_date")) == {(date(2018, 10, 25), None)}
    # Synthetic members for the 10 partner clusters of the demo coordinator's 4i partnerships,
    # and 12 for the partner cluster of the ongoing one with this year's activity.
    assert first["Member"] == 212
    assert not Member.objects.exclude(name__endswith="(demo)").exists()
    # Target countries as published (88 across the partnerships), and a synthetic strategy for
    # each of the demo coordinator's three partnerships (the ongoing one: 3 KPIs, 4 missions,
    # 1 outcome).
    assert first["TargetMarket"] == 88
    assert set(
        TargetMarket.objects.filter(partnership__acronym="AdPack2").values_list(
            "country", flat=True
        )
    ) == {"CA", "CN", "US"}
    # AdPack2's KPIs include "B2B meetings held", and one of its outcomes came from a meeting;
    # MobiGoIn-Action's include "Investment mobilised by joint projects", and one of AdPack2's
    # outcomes is the agreement an opportunity reached (opportunities/demo.py); AdPack2's strategy
    # also has a second version in draft, shared with its partners.
    assert first["Strategy"] == 4 and first["KPI"] == 13 and first["Measurement"] > 0
    assert first["Mission"] == 12 and first["Outcome"] == 11 and first["Participation"] > 0
    assert Partner.objects.filter(cluster__name="Aerospace Valley").count() == 5
    # The market studies, export groups and milestones pages of the demo coordinator's
    # partnerships open with content: a study per target market, two export groups each, and
    # milestones on the KPIs of their strategies.
    for acronym in ("AdPack2", "MobiGoIn-Action"):
        partnership = Partnership.objects.get(acronym=acronym, generation=2)
        markets = partnership.target_markets.count()
        assert MarketStudy.objects.filter(target_market__partnership=partnership).count() == (
            markets
        )
        assert partnership.export_groups.count() == 2
        kpis = KPI.objects.filter(objective__strategy__partnership=partnership)
        # (The B2B meetings and investment KPIs are added later by the missions' and the
        # opportunities' demos, without milestones.)
        later = ["b2b_meetings_held", "investment_mobilised"]
        assert not kpis.filter(milestones=None).exclude(source__in=later).exists()
    assert first["ExportGroup"] == 4 and first["MarketStudy"] > 0 and first["Milestone"] > 0
    assert Partnership.objects.filter(acronym__in=["GIVE", "PERES", "FoodPackLab"]).count() == 6
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == first


def test_demo_roles_see_and_edit_what_the_policy_allows():
    call_command("load_demo", stdout=io.StringIO())
    adpack2 = Partnership.objects.get(acronym="AdPack2")
    adpack = Partnership.objects.get(acronym="AdPack")
    client = Client()
    client.force_login(User.objects.get(email="coordinator@demo.escp.eu"))
    assert client.get(f"/partnerships/{adpack2.pk}/edit/").status_code == 200
    assert client.get(f"/partnerships/{adpack.pk}/edit/").status_code == 403
    client.force_login(User.objects.get(email="manager@demo.escp.eu"))
    managed = RoleAssignment.objects.get(
        user__email="manager@demo.escp.eu", cluster__partnerships_joined__partnership=adpack2
    ).cluster
    assert managed.partnerships_joined.filter(partnership=adpack2).exists()
    assert client.get(f"/clusters/{managed.pk}/edit/").status_code == 200
    assert client.get(f"/partnerships/{adpack2.pk}/edit/").status_code == 403
    client.force_login(User.objects.get(email="officer@demo.escp.eu"))
    assert client.get(f"/partnerships/{adpack2.pk}/history/").status_code == 200
    assert client.get(f"/partnerships/{adpack2.pk}/edit/").status_code == 403


def test_demo_users_log_in_with_the_printed_password(client):
    call_command("load_demo", "--password", "another-demo-pass", stdout=io.StringIO())
    response = client.post(
        "/accounts/login/", {"username": "officer@demo.escp.eu", "password": "another-demo-pass"}
    )
    assert response.status_code == 302


def test_each_demo_user_finds_something_on_their_dashboard():
    """The ongoing partnership's synthetic activity is dated from the day of loading, so the
    dashboards have something to show whenever the demo is loaded."""
    call_command("load_demo", stdout=io.StringIO())
    client = Client()
    client.force_login(User.objects.get(email="coordinator@demo.escp.eu"))
    board = client.get("/").context["coordinator_dashboard"]
    for panel in ("late_reports", "to_review", "overdue_tasks", "without_outcomes", "upcoming"):
        assert board[panel].total >= 1, panel
    assert board["open_reviews"].total >= 1
    client.force_login(User.objects.get(email="manager@demo.escp.eu"))
    board = client.get("/").context["manager_dashboard"]
    current = next(c for c in board["clusters"] if c.name == "Secured Communication Solutions")
    # One record: AdPack2's synthetic members (20) and the ongoing partnership's twelve.
    assert (current.member_total, current.stale, current.incomplete) == (32, 4, 3)
    assert board["late_reports"].total >= 1 and board["to_confirm"] == 2
    assert [m.title for m in board["open_missions"].rows][:1] == [
        "Secure lighting matchmaking (demo)"
    ]
    client.force_login(User.objects.get(email="officer@demo.escp.eu"))
    board = client.get("/").context["officer_dashboard"]
    # The ESCP-S3 partnerships have no end date: those without recorded activity are shown as
    # "no recent activity", not among the current ones; the one with this year's activity is.
    at_risk = board["at_risk"]
    assert [row.acronym for row in at_risk.rows] == ["CYBER SECURE LIGHT"]
    oversight = client.get("/oversight/?sort=-kpis").content.decode()
    assert "CYBER SECURE LIGHT" in oversight and "No recent activity" in oversight


def test_demo_has_invitations_to_answer_and_loading_twice_adds_none(client):
    from escp_portal.accounts.models import Invitation, User
    from partnerships.models import PartnerInvitation

    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    invitation = PartnerInvitation.objects.get()
    assert invitation.is_pending
    manager = User.objects.get(email="manager@demo.escp.eu")
    client.force_login(manager)
    page = client.get("/invitations/").content.decode()
    assert invitation.partnership.acronym in page and "Accept" in page
    assert Invitation.objects.get().current_state == "pending"
    client.force_login(User.objects.get(email="coordinator@demo.escp.eu"))
    assert (
        "invited.coordinator@demo.escp.eu" in client.get("/accounts/invitations/").content.decode()
    )


def test_the_demo_mission_has_b2b_meetings_in_every_state_and_an_outcome(client):
    from evaluation.selectors import core_indicator_rollup
    from missions import scheduling
    from missions.models import LocalCounterpart, Meeting, MeetingProfile

    call_command("load_demo", stdout=io.StringIO())
    mission = Mission.objects.get(title="B2B meetings at a packaging fair (demo)")
    meetings = Meeting.objects.filter(mission=mission)
    assert set(meetings.values_list("state", flat=True)) == {
        "requested",
        "accepted",
        "declined",
        "withdrawn",
    }
    assert MeetingProfile.objects.filter(participation__mission=mission).count() >= 6
    assert LocalCounterpart.objects.filter(mission=mission).count() == 2
    placed = [
        scheduling.Placed(m.party_keys(), m.starts_at, m.ends_at, m.table)
        for m in meetings.filter(state="accepted")
    ]
    assert all(p.start for p in placed) and scheduling.double_bookings(placed) == []
    assert meetings.filter(took_place=True).count() == 3
    outcome = Outcome.objects.get(meeting__mission=mission)
    assert outcome.kind == "contract" and outcome.mission == mission
    # The roll-up counts the meetings held through AdPack2's KPI of that source.
    rollup = core_indicator_rollup(Partnership.objects.filter(acronym="AdPack2"))
    total = next(t for t in rollup.totals if t.indicator.code == "b2b_meetings")
    assert total.value == 3 and total.kpis == 1
    # The demo coordinator sees it all; loading again adds nothing.
    client.force_login(User.objects.get(email="coordinator@demo.escp.eu"))
    page = client.get(f"/missions/{mission.pk}/meetings/").content.decode()
    assert "Lakeshore Grocers (demo)" in page and "purchasing@lakeshore-grocers.example" in page
    call_command("load_demo", stdout=io.StringIO())
    assert Meeting.objects.filter(mission=mission).count() == meetings.count()
