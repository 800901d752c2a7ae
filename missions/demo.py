"""Synthetic missions, registrations and outcomes (marked "(demo)") for the demo
coordinator's partnerships, within their period (2018 to 2019), and the B2B meetings of
AdPack2's matchmaking mission in Toronto: offers and seeks, two local counterparts, requests in
every state, a schedule, follow-ups and the contract that became an outcome."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from partnerships.demo import DEMO_COORDINATED
from partnerships.models import ClusterMembership, Partnership

from . import scheduling
from .models import (
    ExportGroup,
    LocalCounterpart,
    Meeting,
    MeetingProfile,
    Mission,
    Outcome,
    Participation,
    pair_of,
)

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
    meetings = load_b2b()
    groups = sum(load_export_groups(acronym) for acronym in DEMO_COORDINATED)
    if stdout and groups:
        stdout.write(f"Synthetic export groups: {groups} new (marked (demo)).")
    if stdout:
        stdout.write(f"Synthetic missions: {created} new (marked (demo)).")
        if meetings:
            stdout.write(f"Synthetic B2B meetings: {meetings} at {B2B_MISSION} (demo).")


EXPORT_GROUPS = [
    ("Joint offer for North American retail (demo)", "Answer retail tenders together: one "
     "catalogue, one distributor, shared samples. (demo)"),
    ("Shared booth at the next trade fair (demo)", "Book and staff one stand for the members "
     "that exhibit, and split the cost. (demo)"),
]  # fmt: skip


def load_export_groups(acronym: str) -> int:
    """Two export groups of members of the partnership's clusters, once."""
    partnership = Partnership.objects.get(acronym=acronym, generation=2)
    if partnership.export_groups.exists():
        return 0
    members = [
        m.member
        for m in ClusterMembership.objects.filter(
            cluster__in=partnership.partners.values("cluster")
        )
        .select_related("member")
        .order_by("pk")[:8]
    ]
    for index, (name, goal) in enumerate(EXPORT_GROUPS):
        group = ExportGroup.objects.create(partnership=partnership, name=name, goal=goal)
        group.members.set(members[index * 4 : index * 4 + 4])
    return len(EXPORT_GROUPS)


# --- B2B meetings at AdPack2's matchmaking mission ---------------------------------------------

B2B_MISSION = "B2B meetings at a packaging fair (demo)"
OFFERS = [
    ("Printed freshness sensors for food packs (demo)", "Grocery chains testing smart labels"),
    ("Compostable trays from agricultural waste (demo)", "Distributors for retail packaging"),
    ("Barrier coatings without fluorine (demo)", "Converters and brand owners"),
    ("Traceability software for returnable crates (demo)", "Pilot customers in logistics"),
    ("Paper-based blister packs (demo)", "Pharmacy chains and contract packers"),
    ("Design studio for refill systems (demo)", "Brands moving to refills"),
]
COUNTERPARTS = [
    (
        "Lakeshore Grocers (demo)",
        LocalCounterpart.Kind.COMPANY,
        "Shelf space in 140 stores across Ontario (demo)",
        "Packaging that shows freshness; less plastic (demo)",
        "Purchasing desk (demo)",
        "purchasing@lakeshore-grocers.example",
    ),
    (
        "Ontario Packaging Association (demo)",
        LocalCounterpart.Kind.ASSOCIATION,
        "Introductions to 300 member companies (demo)",
        "European suppliers for a buyers' day (demo)",
        "Events team (demo)",
        "events@ontario-packaging.example",
    ),
]


def load_b2b() -> int:
    """The B2B meetings of AdPack2's matchmaking mission, once. Returns how many were made."""
    mission = Mission.objects.filter(title=B2B_MISSION, partnership__acronym="AdPack2").first()
    if mission is None or mission.meetings.exists():
        return 0
    mission.meeting_venue = "Hall C, packaging fair (demo)"
    mission.meeting_minutes = 30
    mission.meeting_day_start, mission.meeting_day_end = time(9), time(13)
    mission.meeting_tables = 6
    mission.meeting_time_zone = "America/Toronto"
    mission.save()
    people = list(
        mission.participations.filter(status=Participation.Status.ATTENDED)
        .select_related("member")
        .order_by("pk")[:8]
    )
    if len(people) < 8:
        return 0
    for i, person in enumerate(people[: len(OFFERS)]):
        offers, seeks = OFFERS[i]
        MeetingProfile.objects.create(participation=person, offers=offers, seeks=seeks)
    locals_ = [
        LocalCounterpart.objects.create(
            mission=mission,
            name=name,
            country=mission.country,
            kind=kind,
            offers=offers,
            seeks=seeks,
            contact_name=contact,
            contact_email=email,
        )
        for name, kind, offers, seeks, contact, email in COUNTERPARTS
    ]
    p, c = people, locals_
    asked = timezone.make_aware(datetime.combine(mission.start_date - timedelta(days=14), time(10)))
    plan = [
        (p[0], c[0], Meeting.State.ACCEPTED, "Freshness labels for your dairy aisle?"),
        (p[1], c[0], Meeting.State.ACCEPTED, "Compostable trays for ready meals"),
        (p[2], p[3], Meeting.State.ACCEPTED, "Coatings for your crates"),
        (p[4], c[1], Meeting.State.ACCEPTED, "A stand at your buyers' day"),
        (c[1], p[5], Meeting.State.ACCEPTED, "Refill systems for our members"),
        (p[6], p[7], Meeting.State.ACCEPTED, ""),
        (p[0], p[2], Meeting.State.ACCEPTED, "Sensors under a barrier coating"),
        (p[3], c[1], Meeting.State.REQUESTED, "Introductions to logistics firms"),
        (p[5], p[6], Meeting.State.DECLINED, "Refill packs in paper?"),
        (p[7], c[0], Meeting.State.WITHDRAWN, "Blister packs for the pharmacy corner"),
    ]
    meetings = []
    for first, second, state, message in plan:
        sides = {}
        for name, party in (("requester", first), ("recipient", second)):
            key = name if isinstance(party, Participation) else f"{name}_counterpart"
            sides[key] = party
        meetings.append(
            Meeting.objects.create(
                mission=mission,
                pair=pair_of(first, second),
                state=state,
                message=f"{message} (demo)" if message else "",
                answered_at=None if state == Meeting.State.REQUESTED else asked,
                **sides,
            )
        )
    Meeting.objects.filter(pk__in=[m.pk for m in meetings]).update(requested_at=asked)
    accepted = [m for m in meetings if m.state == Meeting.State.ACCEPTED]
    placed = scheduling.place(
        [scheduling.Request(m.pk, m.party_keys()) for m in accepted],
        scheduling.mission_slots(mission),
        mission.meeting_tables,
    )
    for meeting in accepted:
        spot = placed.placed[meeting.pk]
        meeting.starts_at, meeting.ends_at, meeting.table = spot.start, spot.end, spot.table
        meeting.save(update_fields=["starts_at", "ends_at", "table"])
    follow_ups = [
        (True, Meeting.FollowUp.CONTRACT, "Pilot order for 20,000 labels signed in May."),
        (True, Meeting.FollowUp.TALKS, "Samples sent; a call with their category manager."),
        (True, Meeting.FollowUp.MOU, "Joint development of coated crates agreed."),
        (False, Meeting.FollowUp.NONE, ""),
    ]
    for meeting, (held, kind, note) in zip(accepted, follow_ups, strict=False):
        meeting.took_place, meeting.follow_up = held, kind
        meeting.follow_up_note = f"{note} (demo)" if note else ""
        meeting.save(update_fields=["took_place", "follow_up", "follow_up_note"])
    contract = accepted[0]
    outcome = Outcome.objects.create(
        partnership=mission.partnership,
        mission=mission,
        meeting=contract,
        kind=Outcome.Kind.CONTRACT,
        counterpart=contract.second.name,
        counterpart_country=contract.second.country,
        value=Decimal("120000"),
        date=mission.end_date + timedelta(days=45),
        description=contract.follow_up_note,
    )
    outcome.members.set([contract.first.member])
    _b2b_kpi(mission)
    return len(meetings)


def _b2b_kpi(mission) -> None:
    """A KPI of AdPack2's strategy taken from the meetings held, linked to the core indicator."""
    from strategy.models import KPI, CoreIndicator
    from strategy.selectors import live_strategies

    # The live version (the adopted one): AdPack2 also has a later version in draft.
    strategy = live_strategies([mission.partnership_id]).first()
    objective = strategy.objectives.order_by("order", "pk").first() if strategy else None
    if (
        objective is None
        or KPI.objects.filter(
            objective__strategy__partnership=mission.partnership, source="b2b_meetings_held"
        ).exists()
    ):
        return
    partnership = mission.partnership
    KPI.objects.create(
        objective=objective,
        name="B2B meetings held at missions",
        unit="meetings",
        kind=KPI.Kind.OUTPUT,
        source="b2b_meetings_held",
        core_indicator=CoreIndicator.objects.filter(code="b2b_meetings").first(),
        baseline_value=Decimal(0),
        baseline_date=partnership.start_date - timedelta(days=1),
        target_value=Decimal(20),
        target_date=partnership.end_date,
        data_source="The follow-up of each meeting, recorded in the portal (demo)",
    )
