"""The demo's scoreboards.

- ``load``: scoreboards computed from the demo strategies, with a look back at every quarter of
  their period (for the trend), a sign-off, an assessment and an officer's review;
- ``load_current``: this year's work of one active partnership, dated from the day the demo is
  loaded, so that each demo user's dashboard has something to say: reports due and overdue, a
  value to review, a task past its date, a mission without an outcome, missions open for
  registration, member records of different ages and a scoreboard with KPIs at risk. Everything
  is marked "(demo)".

  The partnership is a real ESCP-S3 one (ongoing, with no end date in the published data); its
  strategy, KPIs, values, tasks, missions and the members of one partner cluster are synthetic.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from missions.models import Mission, Outcome, Participation
from partnerships.demo import DEMO_COORDINATED
from partnerships.models import ClusterMembership, Member, Partnership
from strategy.models import (
    KPI,
    CoreIndicator,
    Measurement,
    Milestone,
    Objective,
    Strategy,
    Task,
    period_ends,
)

from .models import Assessment, Review, ScoreboardSnapshot
from .services import recompute_scoreboard, store_figures


@transaction.atomic
def _report_dates(partnership) -> None:
    """Demo values came in about two weeks after their period; one in five a month and a half
    after (late), so that the oversight's on-time rate has something to say."""
    zone = timezone.get_current_timezone()
    values = list(
        Measurement.objects.filter(kpi__objective__strategy__partnership=partnership).order_by(
            "kpi", "period_end", "partner"
        )
    )
    for i, value in enumerate(values):
        day = value.period_end + timedelta(days=45 if i % 5 == 4 else 14)
        value.reported_at = min(datetime.combine(day, time(10), tzinfo=zone), timezone.now())
    Measurement.objects.bulk_update(values, ["reported_at"])


def load(*, stdout=None, **options) -> None:
    for acronym in DEMO_COORDINATED:
        partnership = Partnership.objects.get(acronym=acronym, generation=2)
        _report_dates(partnership)
        for quarter in period_ends("quarterly", partnership.start_date, partnership.end_date):
            if not ScoreboardSnapshot.objects.filter(
                partnership=partnership, date=quarter
            ).exists():
                recompute_scoreboard(partnership.pk, as_of=quarter)
        data = recompute_scoreboard(partnership.pk)
        if not ScoreboardSnapshot.objects.filter(
            partnership=partnership, signed_off_at__isnull=False
        ).exists():
            ScoreboardSnapshot.objects.create(
                partnership=partnership,
                date=date(2019, 7, 15),
                period_end=date(2019, 6, 30),
                data=data,
                signed_off_at=timezone.now(),
            )
        if not partnership.assessments.exists():
            Assessment.objects.create(
                partnership=partnership,
                kind=Assessment.Kind.SURVEY,
                date=date(2019, 10, 1),
                title="Survey of the SMEs that travelled (demo)",
                findings="Most SMEs found the buyer meetings useful; several asked for more "
                "preparation on certification abroad. (demo)",
                adjustments="A half-day workshop on certification before each mission. (demo)",
            )
        kpi = (
            KPI.objects.filter(objective__strategy__partnership=partnership, source="manual")
            .order_by("pk")
            .first()
        )
        if kpi and not partnership.reviews.exists():
            Review.objects.create(
                partnership=partnership,
                kpi=kpi,
                flag=Review.Flag.OVER_AMBITIOUS,
                comment="Comparable partnerships reached about half of this. (demo)",
            )
    load_current(stdout=stdout)
    # Every partnership's figures, as the nightly job keeps them (silent ones too).
    store_figures(Partnership.objects.values_list("pk", flat=True))
    if stdout:
        stdout.write(f"Scoreboards: {ScoreboardSnapshot.objects.count()} snapshots.")


CURRENT_ACRONYM = "CYBER SECURE LIGHT"
# The partner cluster the demo cluster manager also looks after (see accounts/demo.py).
CURRENT_CLUSTER = ("Secured Communication Solutions", "FR")


def _quarter_end(day: date) -> date:
    """The end of the last calendar quarter that ended before ``day``."""
    month = (day.month - 1) // 3 * 3
    if not month:
        return date(day.year - 1, 12, 31)
    return date(day.year, month + 1, 1) - timedelta(days=1)


def _members(cluster, now) -> list[Member]:
    # The cluster has AdPack2's synthetic members too (one organisation, several published
    # spellings): these twelve are found by their names.
    own = Member.objects.filter(memberships__cluster=cluster, name__startswith="Secure lighting")
    if own.exists():
        return list(own.order_by("name"))
    members = []
    for i in range(12):
        member = Member.objects.create(
            name=f"Secure lighting firm {i + 1:02d} (demo)",
            country="FR",
            city="Marseille" if i % 2 else "Nice",
            # Three records without a NACE code or a headcount: the dashboard counts them.
            nace_code="" if i in (3, 7) else "26.30",
            employees=None if i == 11 else 8 + 9 * i,
            annual_turnover=Decimal(1_500_000 + 400_000 * i),
        )
        ClusterMembership.objects.create(member=member, cluster=cluster, joined_on=date(2019, 1, 1))
        members.append(member)
    # Four records nobody has looked at for more than a year.
    stale = [m.pk for m in members[:4]]
    Member.objects.filter(pk__in=stale).update(updated_at=now - timedelta(days=430))
    return members


def load_current(*, stdout=None) -> bool:
    partnership = Partnership.objects.filter(acronym=CURRENT_ACRONYM).first()
    if partnership is None or partnership.strategies.exists():
        return False
    today = timezone.localdate()
    now = timezone.now()
    partners = list(partnership.partners.select_related("cluster").order_by("pk"))
    lead = partners[0]
    managed = next(
        p for p in partners if (p.cluster.name, str(p.cluster.country)) == CURRENT_CLUSTER
    )
    members = _members(managed.cluster, now)

    last = _quarter_end(today)
    baseline = _quarter_end(last - timedelta(days=400))
    target = date(today.year + 2, 12, 31)
    strategy = Strategy.objects.create(
        partnership=partnership,
        version=1,
        status=Strategy.Status.ADOPTED,
        vision="Secure, connected lighting from European SMEs in public buildings on three "
        "continents. (demo)",
        mission="Join the lighting and cybersecurity clusters' know-how and take their SMEs "
        "to buyers abroad together. (demo)",
        adopted_on=baseline + timedelta(days=20),
    )
    export = Objective.objects.create(
        strategy=strategy,
        code="O1",
        order=1,
        statement="Bring secure smart-lighting SMEs of the partner clusters to public buyers in "
        "North America by the end of the period. (demo)",
        owner=managed,
        start_date=baseline + timedelta(days=1),
        target_date=target,
    )
    skills = Objective.objects.create(
        strategy=strategy,
        code="O2",
        order=2,
        statement="Train the partner clusters' SMEs in the cybersecurity rules of lighting "
        "systems sold abroad. (demo)",
        owner=lead,
        start_date=baseline + timedelta(days=1),
        target_date=target,
    )
    common = {
        "baseline_value": Decimal(0),
        "baseline_date": baseline,
        "target_date": target,
        "data_source": "Partner records, checked by the coordinator (demo)",
    }
    contracts = KPI.objects.create(
        objective=export,
        name="SMEs with a first contract in North America (demo)",
        unit="SMEs",
        target_value=Decimal(30),
        responsible=managed,
        **common,
    )
    # The plan starts slowly (contracts take time to sign), then speeds up.
    Milestone.objects.bulk_create(
        [
            Milestone(kpi=contracts, date=date(today.year, 12, 31), value=Decimal(6)),
            Milestone(kpi=contracts, date=date(today.year + 1, 12, 31), value=Decimal(18)),
        ]
    )
    trained = KPI.objects.create(
        objective=skills,
        name="SMEs trained in cybersecurity rules (demo)",
        unit="SMEs",
        core_indicator=CoreIndicator.objects.get(code="smes_involved"),
        target_value=Decimal(60),
        responsible=lead,
        **common,
    )
    KPI.objects.create(
        objective=export,
        name="Missions held (demo)",
        unit="missions",
        source="missions_held",
        core_indicator=CoreIndicator.objects.get(code="missions"),
        target_value=Decimal(8),
        **common,
    )
    periods = contracts.periods(today)
    for i, period in enumerate(periods):
        # The managed cluster's last two quarters are not reported yet (the older one is
        # overdue whatever the day of loading). Its figures are behind the straight line.
        if period not in periods[-2:]:
            Measurement.objects.create(
                kpi=contracts,
                period_end=period,
                partner=managed,
                value=Decimal(1),
                status=Measurement.Status.APPROVED,
                note="Contracts signed this quarter (demo).",
            )
        Measurement.objects.create(
            kpi=trained,
            period_end=period,
            partner=lead,
            value=Decimal(6 + i),
            # The latest value waits for the coordinator's approval.
            status=Measurement.Status.SUBMITTED
            if period == periods[-1]
            else Measurement.Status.APPROVED,
            note="Participants of the training days (demo).",
        )
    for title, objective, due, status in (
        ("Shortlist public buyers in Canada", export, today - timedelta(days=20), "in_progress"),
        ("Translate the product sheets", export, today - timedelta(days=60), "done"),
        ("Two training days on connected-device rules", skills, today + timedelta(45), "planned"),
    ):
        task = Task.objects.create(
            objective=objective,
            title=f"{title} (demo)",
            due_date=due,
            status=status,
            completed_on=due if status == "done" else None,
        )
        task.responsible.set([managed if objective is export else lead])

    def mission(title, kind, country, city, start, **fields):
        return Mission.objects.create(
            partnership=partnership,
            title=f"{title} (demo)",
            kind=kind,
            country=country,
            city=city,
            start_date=start,
            end_date=start + timedelta(days=3),
            organiser=managed,
            description="Meetings with public buyers and integrators, prepared together. (demo)",
            **fields,
        )

    # Held six weeks ago; what came of it is still to be recorded.
    held = mission(
        "Smart buildings buyers' days",
        "trade_mission",
        "CA",
        "Toronto",
        today - timedelta(days=45),
        capacity=10,
        status=Mission.Status.DONE,
    )
    for member in members[:5]:
        Participation.objects.create(
            mission=held, member=member, cluster=managed.cluster, status="attended"
        )
    # Open for registration: two registrations still to confirm.
    upcoming = mission(
        "Secure lighting matchmaking",
        "b2b",
        "US",
        "Boston",
        today + timedelta(days=35),
        registration_deadline=today + timedelta(days=14),
        capacity=12,
    )
    for member, status in zip(members[5:8], ("confirmed", "registered", "registered"), strict=True):
        Participation.objects.create(
            mission=upcoming, member=member, cluster=managed.cluster, status=status
        )
    mission(
        "Lighting integrators' investor day",
        "investor",
        "CA",
        "Montreal",
        today + timedelta(days=80),
        registration_deadline=today + timedelta(days=60),
        capacity=8,
    )
    # A mission of last year with its outcome recorded: not on the dashboard.
    earlier = mission(
        "Connected lighting fact-finding",
        "fact_finding",
        "US",
        "Chicago",
        today - timedelta(days=300),
        status=Mission.Status.DONE,
    )
    Outcome.objects.create(
        partnership=partnership,
        mission=earlier,
        kind="mou",
        counterpart="Chicago integrators' association (demo)",
        counterpart_country="US",
        date=today - timedelta(days=240),
        description="A memorandum on joint pilots. (demo)",
    )
    Review.objects.create(
        partnership=partnership,
        kpi=contracts,
        flag=Review.Flag.UNCLEAR,
        comment="Which contracts count: signed ones only, or letters of intent too? (demo)",
    )
    _report_dates(partnership)
    recompute_scoreboard(partnership.pk)
    if stdout:
        stdout.write(f"This year's synthetic activity of {CURRENT_ACRONYM} (marked (demo)).")
    return True
