"""Demo data of the strategy app: the target countries published for the real partnerships,
and a synthetic strategy (clearly marked "(demo)") for the demo coordinator's partnerships."""

import json
from datetime import date
from decimal import Decimal

from django.db import transaction

from partnerships.demo import DATA_FILE, DEMO_COORDINATED
from partnerships.models import Partnership

from .models import (
    KPI,
    CoreIndicator,
    MarketStudy,
    Measurement,
    Milestone,
    Objective,
    PeriodLock,
    StageAssignment,
    Strategy,
    TargetMarket,
    Task,
    ValueChain,
    ValueChainStage,
)

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
    if stdout:
        stdout.write(
            f"Target markets: {TargetMarket.objects.count()} ({created} new). "
            f"Synthetic strategies: {strategies} new (marked (demo))."
        )
