"""Synthetic missions, registrations and outcomes (marked "(demo)") for the demo
coordinator's partnerships, within their period (2018 to 2019)."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from partnerships.demo import DEMO_COORDINATED
from partnerships.models import ClusterMembership, Partnership

from .models import Mission, Outcome, Participation

PLANS = {
    "AdPack2": [
        (
            "Smart packaging buyers' week (demo)",
            "trade_mission",
            "US",
            "Chicago",
            date(2019, 5, 13),
            12,
        ),
        (
            "Packaging innovation tour (demo)",
            "fact_finding",
            "CN",
            "Shanghai",
            date(2018, 10, 15),
            10,
        ),
        ("B2B meetings at a packaging fair (demo)", "b2b", "CA", "Toronto", date(2019, 3, 25), 15),
        ("Cluster-to-cluster meeting (demo)", "c2c", "BE", "Brussels", date(2018, 4, 16), 20),
    ],
    "MobiGoIn-Action": [
        (
            "Connected mobility mission (demo)",
            "trade_mission",
            "US",
            "Detroit",
            date(2019, 5, 20),
            12,
        ),
        ("Smart city pitch session (demo)", "pitch", "SG", "Singapore", date(2019, 9, 9), 8),
        (
            "Automotive suppliers' matchmaking (demo)",
            "b2b",
            "CN",
            "Shenzhen",
            date(2018, 11, 19),
            10,
        ),
        (
            "Investor day for mobility start-ups (demo)",
            "investor",
            "CA",
            "Montreal",
            date(2019, 6, 17),
            10,
        ),
    ],
}
OUTCOMES = [
    ("mou", None),
    ("contract", Decimal("180000")),
    ("opportunity", None),
    ("project", Decimal("450000")),
]


@transaction.atomic
def load(*, stdout=None, **options) -> None:
    created = 0
    for acronym in DEMO_COORDINATED:
        partnership = Partnership.objects.get(acronym=acronym, generation=2)
        if partnership.missions.exists():
            continue
        partners = list(partnership.partners.select_related("cluster").order_by("pk"))
        members = list(
            ClusterMembership.objects.filter(cluster__in=[p.cluster for p in partners])
            .select_related("member")
            .order_by("pk")
        )
        for index, (title, kind, country, city, start, capacity) in enumerate(PLANS[acronym]):
            mission = Mission.objects.create(
                partnership=partnership,
                title=title,
                kind=kind,
                country=country,
                city=city,
                start_date=start,
                end_date=start + timedelta(days=4),
                registration_deadline=start - timedelta(days=21),
                capacity=capacity,
                organiser=partners[index % len(partners)],
                status=Mission.Status.DONE,
                local_support="The national chamber of commerce on the spot (demo)",
                description="Matchmaking with local buyers and partners, prepared together. (demo)",
            )
            chosen = members[index * 3 :: 5][: capacity + 2]
            for position, membership in enumerate(chosen):
                Participation.objects.create(
                    mission=mission,
                    member=membership.member,
                    cluster=membership.cluster,
                    status=Participation.Status.ATTENDED
                    if position < capacity
                    else Participation.Status.WAITING,
                )
            kind_, value = OUTCOMES[index % len(OUTCOMES)]
            outcome = Outcome.objects.create(
                partnership=partnership,
                mission=mission,
                kind=kind_,
                counterpart=f"{city} buyer (demo)",
                counterpart_country=country,
                value=value,
                date=mission.end_date + timedelta(days=60 + 30 * index),
                description="Followed up after the mission. (demo)",
            )
            outcome.members.set([m.member for m in chosen[:2]])
            created += 1
    if stdout:
        stdout.write(f"Synthetic missions: {created} new (marked (demo)).")
