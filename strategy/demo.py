"""Demo data of the strategy app: the target countries published for the real partnerships,
and a synthetic strategy (clearly marked "(demo)") for the demo coordinator's partnerships."""

import json
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from partnerships.demo import DATA_FILE, DEMO_COORDINATED
from partnerships.models import Partnership

from .models import (
    KPI,
    CoreIndicator,
    Decision,
    MarketStudy,
    Measurement,
    Milestone,
    Objective,
    PartnershipMeeting,
    PeriodLock,
    StageAssignment,
    Strategy,
    StrategyFeedback,
    TargetMarket,
    Task,
    Trademark,
    TrademarkLicence,
    ValueChain,
    ValueChainStage,
)
from .services.trademark import STEPS

PLANS = {
    "AdPack2": {
        "vision": "Smart, sustainable packaging made by European SMEs is bought on three "
        "continents. (demo)",
        "mission": "Pool the partner clusters' buyer contacts abroad and take packaging SMEs "
        "there together, prepared and matched. (demo)",
        "objectives": [
            (
                "Bring 60 packaging SMEs of the partner clusters into business talks with buyers "
                "in North America and China by the end of 2019.",
                [
                    ("SMEs in business talks abroad", "SMEs", "outcome", "manual", 60),
                    ("Business agreements signed", "agreements", "impact", "manual", 12),
                ],
            ),
            (
                "Grow the number of SMEs in the partner clusters that take part in joint work "
                "to 100.",
                [("SMEs in the partner clusters", "SMEs", "output", "partner_smes", 100)],
            ),
            (
                "Deliver the joint roadmap on time: ten activities completed by the end of 2019.",
                [("Roadmap activities completed", "tasks", "output", "tasks_completed", 10)],
            ),
        ],
        "chain": (
            "Smart packaging value chain",
            [
                "Materials and coatings",
                "Converting",
                "Sensors and printed electronics",
                "Brand owners and retail",
                "Collection and recycling",
            ],
        ),
    },
    "MobiGoIn-Action": {
        "vision": "European mobility SMEs are partners of choice for connected-vehicle "
        "programmes in North America and Asia. (demo)",
        "mission": "Prepare SMEs for foreign markets together and open doors to OEMs and "
        "cities abroad. (demo)",
        "objectives": [
            (
                "Match 40 mobility SMEs with OEMs, cities or integrators in the USA, Canada, China "
                "and Singapore by the end of 2019.",
                [
                    ("SMEs matched with partners abroad", "SMEs", "outcome", "manual", 40),
                    ("Pilot projects started abroad", "projects", "impact", "manual", 6),
                ],
            ),
            (
                "Keep the partner clusters' SME base growing to 80 SMEs.",
                [("SMEs in the partner clusters", "SMEs", "output", "partner_smes", 80)],
            ),
            (
                "Run the joint roadmap: eight activities completed by the end of 2019.",
                [("Roadmap activities completed", "tasks", "output", "tasks_completed", 8)],
            ),
        ],
        "chain": (
            "Connected mobility value chain",
            [
                "Components and sensors",
                "Software and connectivity",
                "Vehicle integration",
                "Fleet operators and cities",
                "Data services",
            ],
        ),
    },
}
TASKS = [
    "Map partner competences",
    "Joint market study",
    "Buyer database",
    "Training on export",
    "First mission abroad",
    "Matchmaking event",
    "Second mission abroad",
    "Evaluation",
]


def load_target_markets() -> int:
    created = 0
    data = json.loads(DATA_FILE.read_text("utf-8"))["partnerships"]
    for record in data:
        partnership = Partnership.objects.get(
            programme__code=record["programme"],
            generation=record["generation"] or 1,
            acronym=record["acronym"],
        )
        for country in record["target_countries"]:
            _obj, was_created = TargetMarket.objects.get_or_create(
                partnership=partnership, country=country
            )
            created += was_created
    return created


# The core indicators the demo KPIs count towards (the derived ones follow their source).
CORE_INDICATORS = {
    "SMEs in business talks abroad": "smes_involved",
    "Business agreements signed": "agreements",
    "SMEs matched with partners abroad": "smes_involved",
    "Pilot projects started abroad": "joint_projects",
}


def load_strategy(partnership: Partnership, plan: dict) -> bool:
    if partnership.strategies.exists():
        return False
    partners = list(partnership.partners.select_related("cluster").order_by("pk"))
    start, end = partnership.start_date, partnership.end_date
    strategy = Strategy.objects.create(
        partnership=partnership,
        version=1,
        status=Strategy.Status.ADOPTED,
        vision=plan["vision"],
        mission=plan["mission"],
        adopted_on=date(start.year, 3, 15),
    )
    task_titles = iter(TASKS)
    for index, (statement, kpis) in enumerate(plan["objectives"], start=1):
        owner = partners[(index - 1) % len(partners)]
        objective = Objective.objects.create(
            strategy=strategy,
            code=f"O{index}",
            statement=statement,
            order=index,
            start_date=start,
            target_date=end,
            owner=owner,
        )
        for k, (name, unit, kind, source, target) in enumerate(kpis):
            responsible = partners[(index + k) % len(partners)]
            kpi = KPI.objects.create(
                objective=objective,
                name=name,
                unit=unit,
                kind=kind,
                source=source,
                baseline_value=Decimal(0),
                baseline_date=start.replace(day=1)
                if start.day != 1
                else date(start.year - 1, 12, 31),
                target_value=Decimal(target),
                target_date=end,
                aggregation=KPI.Aggregation.LATEST
                if source == "partner_smes"
                else KPI.Aggregation.SUM,
                responsible=responsible if source == "manual" else None,
                core_indicator=CoreIndicator.objects.filter(
                    code=CORE_INDICATORS.get(name, "")
                ).first(),
                data_source="Partner records, checked by the coordinator (demo)",
                collection_protocol="Each quarter the responsible partner reports the figure "
                "with a list of the companies as evidence. (demo)",
            )
            if source == "manual":
                _measurements(kpi, responsible, target)
        for t in range(2 if index < 3 else 4):
            title = next(task_titles, f"Activity {index}.{t}")
            due = date(start.year + (t + index) // 4, ((t + index) % 4) * 3 + 3, 28)
            done = due < date(end.year, 9, 30)
            task = Task.objects.create(
                objective=objective,
                title=f"{title} (demo)",
                due_date=due,
                status=Task.Status.DONE if done else Task.Status.IN_PROGRESS,
                completed_on=due if done else None,
            )
            task.responsible.set([partners[(index + t) % len(partners)]])
    PeriodLock.objects.create(partnership=partnership, period_end=date(end.year, 6, 30))
    name, stage_names = plan["chain"]
    chain = ValueChain.objects.create(partnership=partnership, name=f"{name} (demo)")
    previous = None
    for order, stage_name in enumerate(stage_names, start=1):
        stage = ValueChainStage.objects.create(chain=chain, name=stage_name, order=order)
        if previous:
            stage.depends_on.add(previous)
        previous = stage
        # The last stage is left uncovered and the second has two partners: the page shows both.
        if order < len(stage_names):
            StageAssignment.objects.create(stage=stage, partner=partners[order % len(partners)])
        if order == 2:
            StageAssignment.objects.create(stage=stage, partner=partners[0])
    return True


def _measurements(kpi, partner, target):
    periods = kpi.periods()
    per_period = Decimal(target) / max(len(periods), 1)
    for i, period in enumerate(periods):
        status = Measurement.Status.APPROVED
        if i == len(periods) - 1:
            status = Measurement.Status.SUBMITTED
        elif i == len(periods) - 2:
            status = Measurement.Status.RETURNED
        Measurement.objects.create(
            kpi=kpi,
            period_end=period,
            partner=partner,
            value=(per_period * Decimal("0.8" if i % 3 else "1.1")).quantize(Decimal("1")),
            status=status,
            note="Figures from the partner's records (demo).",
            review_comment="Please attach the list of companies." if status == "returned" else "",
        )


@transaction.atomic
def load_market_studies(partnership: Partnership) -> int:
    """A synthetic study of each of the partnership's target markets that has none, so that
    the market pages show what a study holds."""
    created = 0
    for market in partnership.target_markets.filter(study__isnull=True).order_by("country"):
        MarketStudy.objects.create(
            target_market=market,
            segments="Retail chains and their private-label suppliers (demo)",
            market_size_total=Decimal(2_400_000_000),
            market_size_serviceable=Decimal(310_000_000),
            target_share=Decimal("0.5"),
            growth="About 4 % a year over the last five years (demo).",
            trends="Buyers ask for recyclable materials and traceable supply chains (demo).",
            key_success_factors="A local distributor, certified products, samples on site (demo).",
            sources="Synthetic figures for the demonstration.",
        )
        created += 1
    return created


def load_milestones(partnership: Partnership) -> int:
    """Two milestones on the way to each target of the live strategy's KPIs that have none:
    a third and two thirds of the way, on the way's dates."""
    created = 0
    kpis = KPI.objects.filter(objective__strategy__partnership=partnership, milestones=None)
    for kpi in kpis.order_by("pk"):
        span = (kpi.target_date - kpi.baseline_date).days
        Milestone.objects.bulk_create(
            Milestone(
                kpi=kpi,
                date=date.fromordinal(kpi.baseline_date.toordinal() + span * part // 3),
                value=(kpi.target_value * part / 3).quantize(Decimal(1)),
            )
            for part in (1, 2)
        )
        created += 2
    return created


def load(*, stdout=None, **options) -> None:
    created = load_target_markets()
    strategies = 0
    for acronym in DEMO_COORDINATED:
        partnership = Partnership.objects.get(acronym=acronym, generation=2)
        made = load_strategy(partnership, PLANS[acronym])
        strategies += made
        load_market_studies(partnership)
        if made:
            # Once, with the strategy: KPIs added later by other demos keep none.
            load_milestones(partnership)
    coordination = load_coordination(Partnership.objects.get(acronym="AdPack2", generation=2))
    if stdout:
        stdout.write(
            f"Target markets: {TargetMarket.objects.count()} ({created} new). "
            f"Synthetic strategies: {strategies} new (marked (demo))."
        )
        if coordination:
            stdout.write(
                "AdPack2 (demo): a shared draft v2 with comments and endorsements, a meeting "
                "log, and a collective trademark project with licensed members."
            )


# --- inclusive coordination and the collective trademark (issue #20), for AdPack2 -----------------
# A second version is in draft and shared: two partners commented, two endorsed it. Three meetings
# of the partnership with their decisions. A collective mark whose seven steps all rest with the
# coordinating partner (so the balance view names it), and three licensed members: two of the
# demo manager's cluster, one of another partner cluster (the manager sees it without its name).

MEETINGS = [
    (
        "Kick-off of the partnership (demo)",
        date(2018, 2, 6),
        PartnershipMeeting.Format.IN_PERSON,
        ["Each partner presents its members' packaging competences.", "O1"],
    ),
    (
        "Steering committee: choosing the target markets (demo)",
        date(2018, 6, 12),
        PartnershipMeeting.Format.ONLINE,
        ["Canada and China first; Mexico is studied for the second year.", "O2"],
    ),
    (
        "Steering committee: the collective mark (demo)",
        date(2019, 1, 22),
        PartnershipMeeting.Format.HYBRID,
        ["Apply for a collective EU trade mark for the partners' smart packaging.", None],
    ),
]


def load_coordination(partnership: Partnership) -> bool:
    """Once: a shared draft with feedback, the meeting log, a trademark project."""
    adopted = partnership.strategies.filter(status=Strategy.Status.ADOPTED).first()
    if adopted is None or partnership.coordination_meetings.exists():
        return False
    partners = list(partnership.partners.select_related("cluster").order_by("pk"))
    draft = Strategy.objects.create(
        partnership=partnership,
        version=adopted.version + 1,
        status=Strategy.Status.DRAFT,
        vision=adopted.vision,
        mission=adopted.mission + " Second version: adds a collective mark. (demo)",
        shared_at=timezone.now(),
    )
    for objective in adopted.objectives.order_by("order"):
        Objective.objects.create(
            strategy=draft,
            code=objective.code,
            statement=objective.statement,
            order=objective.order,
            start_date=objective.start_date,
            target_date=objective.target_date,
            owner=objective.owner,
        )
    feedback = [
        (partners[1], "comment", "Please give the mission to China a date before the fair. (demo)"),
        (partners[1], "endorsement", ""),
        (
            partners[2],
            "comment",
            "Our members would like the mark to cover recyclable trays too. (demo)",
        ),
        (partners[0], "endorsement", "We support this version. (demo)"),
    ]
    for partner, kind, text in feedback:
        StrategyFeedback.objects.create(
            strategy=draft, partner=partner, feedback_kind=kind, text=text
        )
    objectives = {o.code: o for o in adopted.objectives.all()}
    for index, (title, held_on, meeting_format, (decided, code)) in enumerate(MEETINGS):
        meeting = PartnershipMeeting.objects.create(
            partnership=partnership,
            title=title,
            held_on=held_on,
            meeting_format=meeting_format,
            people="Project managers of the partner clusters (demo)",
            notes="Minutes kept by the coordinator. (demo)",
        )
        meeting.attendees.set(partners if index != 1 else partners[:-1])
        objective = objectives.get(code) if code else None
        Decision.objects.create(
            meeting=meeting,
            text=f"{decided} (demo)",
            objective=objective,
            task=objective.tasks.order_by("pk").first() if objective else None,
        )
    _trademark(partnership, adopted, partners)
    return True


def _trademark(partnership, strategy, partners):
    from partnerships.demo import MANAGED_CLUSTER
    from partnerships.models import Member

    start = date(2019, 2, 1)
    objective = Objective.objects.create(
        strategy=strategy,
        code="TM",
        statement="Register AdPack Smart Pack as a collective EU trade mark and license the "
        "partners' members to use it. (demo)",
        order=strategy.objectives.count() + 1,
        start_date=start,
        target_date=partnership.end_date,
    )
    trademark = Trademark.objects.create(
        partnership=partnership,
        name="AdPack Smart Pack (demo)",
        goods_and_services="Active and intelligent packaging, smart labels, recyclable trays.",
        objective=objective,
    )
    for number, (title, weeks) in enumerate(STEPS):
        due = start + timedelta(weeks=weeks)
        done = number < 3
        task = Task.objects.create(
            objective=objective,
            title=str(title),
            due_date=due,
            status=Task.Status.DONE if done else Task.Status.PLANNED,
            completed_on=due if done else None,
        )
        task.responsible.set([partners[0]])
    own = Member.objects.filter(
        memberships__cluster__name=MANAGED_CLUSTER[0],
        memberships__cluster__country=MANAGED_CLUSTER[1],
    ).order_by("pk")[:2]
    other = Member.objects.filter(memberships__cluster=partners[0].cluster).order_by("pk")[:1]
    for n, member in enumerate([*own, *other]):
        TrademarkLicence.objects.create(
            trademark=trademark,
            member=member,
            licensed_on=date(2019, 9, 1) + timedelta(days=30 * n),
            scope="Smart labels sold in Canada (demo)" if n % 2 else "Recyclable trays (demo)",
        )
