"""After the mission: each side records whether a meeting took place and what came of it; a
follow-up of kind MoU, contract or project becomes one of the mission's outcomes in one action,
once; the meetings held count towards the KPI source "B2B meetings held", linked to the core
indicator B2B meetings, which the programme roll-up adds up."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from evaluation.selectors import core_indicator_rollup
from evaluation.services import recompute_scoreboard
from missions.models import Meeting, Outcome
from missions.services import meetings as services
from partnerships.models import Partnership
from strategy.models import CoreIndicator
from strategy.services import reporting
from strategy.sources import registry
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(world, b2b):
    """The mission moved four months back (over, in a reporting quarter that has ended too);
    Alder met Maple Foods there."""
    today = timezone.localdate()
    b2b.mission.start_date = today - timedelta(days=120)
    b2b.mission.end_date = today - timedelta(days=118)
    b2b.mission.status = "done"
    b2b.mission.save()
    start = timezone.now() - timedelta(days=119)
    return factories.meeting(
        b2b.alder,
        b2b.maple,
        state="accepted",
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        table=1,
    )


def test_either_side_records_the_follow_up(world, b2b, held):
    services.meeting_follow_up(
        actor=world.manager_a,
        meeting=held,
        took_place=True,
        follow_up="talks",
        follow_up_note="A second call in May.",
    )
    held.refresh_from_db()
    assert (held.took_place, held.follow_up) == (True, "talks")
    # The counterpart's side is the organiser's; another cluster's manager is neither side.
    services.meeting_follow_up(
        actor=world.coord_a, meeting=held, took_place=True, follow_up="mou", follow_up_note=""
    )
    with pytest.raises(PermissionDenied):
        services.meeting_follow_up(
            actor=b2b.manager_a2, meeting=held, took_place=False, follow_up="none"
        )


def test_a_meeting_ahead_or_not_held_has_no_follow_up(world, b2b, held):
    with pytest.raises(ValidationError, match="did not take place"):
        services.meeting_follow_up(
            actor=world.manager_a, meeting=held, took_place=False, follow_up="contract"
        )
    ahead = factories.meeting(b2b.aspen, b2b.maple, state="accepted")
    ahead.starts_at = timezone.now() + timedelta(days=1)
    ahead.ends_at = ahead.starts_at + timedelta(minutes=30)
    ahead.table = 2
    ahead.save()
    with pytest.raises(ValidationError, match="still ahead"):
        services.meeting_follow_up(
            actor=world.manager_a, meeting=ahead, took_place=True, follow_up="none"
        )
    asked = factories.meeting(b2b.cedar, b2b.maple)
    with pytest.raises(ValidationError, match="accepted"):
        services.meeting_follow_up(
            actor=world.coord_a, meeting=asked, took_place=True, follow_up="none"
        )


def test_a_contract_becomes_an_outcome_once(client, world, b2b, held):
    client.force_login(world.manager_a)
    url = reverse("missions:meeting_follow_up_edit", args=[held.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        {"took_place": "true", "follow_up": "contract", "follow_up_note": "Pilot order signed."},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(url).content.decode()
    assert "Record as an outcome" in page
    turn = reverse("missions:meeting_outcome", args=[held.pk])
    client.post(turn)
    client.post(turn)  # a second click
    outcome = Outcome.objects.get()
    assert outcome.meeting == held and outcome.mission == b2b.mission
    assert (outcome.kind, outcome.counterpart, str(outcome.counterpart_country)) == (
        "contract",
        "Maple Foods",
        "CA",
    )
    assert list(outcome.members.all()) == [b2b.alder.member]
    assert outcome.description == "Pilot order signed." and outcome.recorded_by == world.manager_a
    assert "Recorded as an outcome of the mission" in client.get(url).content.decode()
    # Through the API too: the same outcome, not a new one.
    again = client.post(f"/api/v1/meetings/{held.pk}/outcome/").json()
    assert again == {"outcome": outcome.pk, "created": False}
    assert Outcome.objects.count() == 1
    # The follow-up's kind is the outcome's now: it changes there.
    with pytest.raises(ValidationError, match="change the outcome"):
        services.meeting_follow_up(
            actor=world.manager_a, meeting=held, took_place=True, follow_up="mou"
        )


def test_talks_or_a_meeting_not_held_are_no_outcome(world, b2b, held):
    services.meeting_follow_up(
        actor=world.manager_a, meeting=held, took_place=True, follow_up="talks"
    )
    held.refresh_from_db()
    with pytest.raises(ValidationError, match="becomes an outcome"):
        services.meeting_outcome(actor=world.manager_a, meeting=held)
    assert not Outcome.objects.exists()


def test_a_meeting_between_two_members_names_both_and_the_other_as_counterpart(world, b2b, held):
    start = held.starts_at + timedelta(hours=1)
    both = factories.meeting(
        b2b.aspen,
        b2b.cedar,
        state="accepted",
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        table=1,
        took_place=True,
        follow_up="project",
    )
    with pytest.raises(PermissionDenied):  # an officer records no outcome
        services.meeting_outcome(actor=world.officer, meeting=both)
    outcome, created = services.meeting_outcome(actor=world.coord_a, meeting=both)
    assert created and outcome.kind == "project"
    assert (outcome.counterpart, str(outcome.counterpart_country)) == ("Cedar SAS", "FR")
    assert set(outcome.members.all()) == {b2b.aspen.member, b2b.cedar.member}


# --- the KPI source and the core indicator -------------------------------------------------------


def test_meetings_held_count_in_the_period_their_mission_ended(world, b2b, held, derived_kpi):
    source = registry()["b2b_meetings_held"]
    assert source.indicator == "b2b_meetings"
    held.took_place = True
    held.save()
    start = held.starts_at + timedelta(hours=1)
    factories.meeting(  # did not take place
        b2b.aspen,
        b2b.maple,
        state="accepted",
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        table=1,
        took_place=False,
    )
    factories.meeting(b2b.cedar, b2b.maple, state="accepted")  # nothing recorded
    other = factories.mission(world.b, "Beta trip", start=b2b.mission.start_date, days=2)
    beta = factories.participation(other, factories.member(world.cluster_b, "Birch SA"))
    factories.meeting(beta, factories.counterpart(other), state="accepted", took_place=True)
    kpi = derived_kpi("b2b_meetings_held", "B2B meetings held")
    end = b2b.mission.end_date
    periods = [(date(end.year - 1, 1, 1), date(end.year - 1, 12, 31)), (end, end)]
    assert source.series(kpi, periods) == {date(end.year - 1, 12, 31): 0, end: 1}
    assert list(source.records(kpi, end, end)) == [held]
    many = source.series_many([world.a.pk, world.b.pk], [(end, end)])
    assert many == {world.a.pk: {end: 1}, world.b.pk: {end: 1}}


def test_a_kpi_of_the_source_counts_towards_the_core_indicator_in_the_roll_up(world, b2b, held):
    held.took_place = True
    held.save()
    _plan, objective, _kpi = factories.make_strategy_with_kpi(world.a)
    kpi = factories.kpi(
        objective,
        "B2B meetings held",
        unit="meetings",
        source="b2b_meetings_held",
        target_value=20,
        baseline_date=b2b.mission.end_date - timedelta(days=400),
        target_date=b2b.mission.end_date + timedelta(days=400),
    )
    reporting.link_core_indicator(kpi)
    kpi.save()
    assert kpi.core_indicator == CoreIndicator.objects.get(code="b2b_meetings")
    recompute_scoreboard(world.a.pk)
    rollup = core_indicator_rollup(Partnership.objects.filter(pk=world.a.pk))
    total = next(t for t in rollup.totals if t.indicator.code == "b2b_meetings")
    assert (total.value, total.kpis, total.partnerships) == (1, 1, 1), total


def test_the_meeting_page_counts_what_was_held(client, world, b2b, held):
    held.took_place = True
    held.save()
    factories.meeting(b2b.cedar, b2b.maple, state="declined")
    client.force_login(world.officer)
    response = client.get(reverse("missions:meetings", args=[b2b.mission.pk]))
    figures = response.context["figures"]
    assert figures["held"] == 1 and figures["accepted"] == 1 and figures["declined"] == 1
    assert figures["scheduled"] == 1
    assert Meeting.objects.count() == 2
