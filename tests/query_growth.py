"""More of everything in partnership A (and around it), to show that a page costs as many
queries with many rows as with one: ``grow(s, n)`` adds ``n`` rows of each kind to the objects
the access matrix's fixture ``s`` points at."""

import itertools
from datetime import date, timedelta

from django.utils import timezone
from knox.models import AuthToken

from escp_portal.accounts.models import Role, RoleAssignment
from evaluation.models import Assessment, Review, ScoreboardSnapshot
from evaluation.services import recompute_scoreboard
from missions.models import ExportGroup, Mission, Outcome, Participation
from partnerships.models import (
    ClusterMembership,
    Competence,
    MemberImport,
    Partner,
    Programme,
    Sector,
)
from strategy.models import (
    KPI,
    MarketStudy,
    Measurement,
    Milestone,
    Objective,
    StageAssignment,
    Strategy,
    TargetMarket,
    Task,
    ValueChain,
    ValueChainStage,
)
from tests import factories

# Countries for target markets (one per partnership and country), never "CA" (the fixture's).
COUNTRIES = [
    "US", "MX", "BR", "AR", "CL", "CO", "PE", "JP", "KR", "CN", "IN", "ID", "VN", "TH", "MY",
    "SG", "PH", "AU", "NZ", "ZA", "NG", "KE", "EG", "MA", "TR", "SA", "AE", "IL", "UA", "GB",
    "NO", "CH", "IS", "RS", "GE", "AM", "KZ", "UZ", "PK", "BD",
]  # fmt: skip
# The source of the derived KPIs (the test's data has one already: more add no query).
DERIVED = "partner_members"
_seq = itertools.count(1)


def derived_kpi(objective, name):
    """A KPI whose values come from the portal's records (the source ``DERIVED``)."""
    return KPI.objects.create(
        objective=objective,
        name=name,
        unit="members",
        source=DERIVED,
        baseline_date=date(2023, 12, 31),
        target_date=date(2027, 12, 31),
        target_value=100,
    )


def grow(s, n=30):
    """Add ``n`` of everything to partnership A and its surroundings."""
    world, today = s.world, timezone.localdate()
    tag = next(_seq)
    a = world.a
    assert n <= len(COUNTRIES)

    # The directory: programmes, sectors, partnerships with their partner clusters.
    programmes = [
        Programme.objects.create(code=f"grow-{tag}-{i}", name=f"Call {i}") for i in range(n)
    ]
    sectors = [
        Sector.objects.create(name=f"Sector {tag}-{i}", slug=f"sector-{tag}-{i}") for i in range(n)
    ]
    competences = [
        Competence.objects.create(name=f"Skill {tag}-{i}", slug=f"skill-{tag}-{i}")
        for i in range(n)
    ]
    a.sectors.add(*sectors)
    clusters = [factories.cluster(f"Grown {tag}-{i}", COUNTRIES[i], city="Town") for i in range(n)]
    for cluster in clusters:
        cluster.sectors.add(*sectors[:3])
    partners = [Partner.objects.create(partnership=a, cluster=cluster) for cluster in clusters]
    others = []
    for i in range(n):
        other = factories.partnership(
            f"G{tag}X{i}",
            programme=programmes[i],
            coordinator=clusters[i],
            partners=[clusters[(i + 1) % n]],
        )
        other.sectors.add(sectors[i])
        others.append(other)
    Partner.objects.create(partnership=others[0], cluster=world.cluster_a)
    # More roles for the users (coordinator of A coordinates more, the manager manages more).
    for other in others[:5]:
        RoleAssignment.objects.create(user=world.coord_a, role=Role.COORDINATOR, partnership=other)
    # Two of them ended: their items go to the dashboards' section apart, in the same queries.
    for other in others[:2]:
        Mission.objects.create(
            partnership=other,
            title=f"Ended partnership's mission {other.acronym}",
            country="CA",
            start_date=today + timedelta(days=20),
            end_date=today + timedelta(days=22),
        )
        Review.objects.create(
            partnership=other,
            objective=Objective.objects.create(
                strategy=Strategy.objects.create(partnership=other, status="draft", version=9),
                code="E1",
                statement="Ended",
            ),
            flag="other",
            comment="?",
            created_by=world.officer,
        )
    type(a).objects.filter(pk__in=[other.pk for other in others[:2]]).update(status="completed")
    for cluster in clusters[:5]:
        RoleAssignment.objects.create(
            user=world.manager_a, role=Role.CLUSTER_MANAGER, cluster=cluster
        )
    for user in (world.coord_a, world.manager_a, world.officer):
        for _ in range(min(n, 15)):
            AuthToken.objects.create(user=user)

    # Members of cluster A (and of the grown clusters), with their tags.
    members = []
    for i in range(n):
        member = factories.member(
            world.cluster_a,
            f"Grown member {tag}-{i}",
            employees=5 + i * 20,
            nace_code="62.01",
            contact_email=f"m{tag}-{i}@member.example",
            export_markets=COUNTRIES[:3],
        )
        ClusterMembership.objects.create(member=member, cluster=clusters[i])
        member.competences.add(*competences[:3])
        members.append(member)
    for cluster in (world.cluster_a, world.cluster_a2, clusters[0]):
        for i in range(n):
            factories.member(cluster, f"Extra {tag}-{cluster.pk}-{i}", employees=100)
    for cluster in clusters[:n]:
        ClusterMembership.objects.create(member=s.member_a, cluster=cluster)
    s.member_a.competences.add(*competences)
    for i in range(n):
        MemberImport.objects.create(
            cluster=world.cluster_a,
            uploaded_by=world.manager_a,
            file_name=f"m{i}.csv",
            status="done",
            rows=[{"name": f"Row {j}"} for j in range(5)],
        )

    # The strategy: objectives, KPIs with milestones and measurements, tasks.
    strategy, objective, kpi = s.a.strategy, s.a.objective, s.a.kpi
    periods = kpi.periods(until=today)[-8:]
    for i in range(n):
        Milestone.objects.create(kpi=kpi, date=date(2024, 1, 1) + timedelta(days=30 * i), value=i)
    for partner in partners:
        for period in periods:
            Measurement.objects.create(
                kpi=kpi, period_end=period, partner=partner, value=1, status="approved"
            )
    objectives, kpis = [], []
    for i in range(n):
        new = Objective.objects.create(
            strategy=strategy,
            code=f"G{i}",
            owner=partners[i],
            statement=f"Grown objective {i}",
            order=i + 2,
        )
        objectives.append(new)
        for target in (new, objective):
            grown = KPI.objects.create(
                objective=target,
                name=f"Grown KPI {tag}-{target.pk}-{i}",
                unit="SMEs",
                baseline_date=date(2023, 12, 31),
                target_date=date(2027, 12, 31),
                target_value=40,
                responsible=partners[i],
            )
            kpis.append(grown)
            for period in periods[-3:]:
                Measurement.objects.create(
                    kpi=grown,
                    period_end=period,
                    partner=partners[i],
                    value=2,
                    status="approved" if i % 2 else "submitted",
                    reported_by=world.manager_a,
                )
        derived_kpi(new if i % 2 else objective, f"Derived KPI {tag}-{i}")
        for target in (new, objective):
            task = Task.objects.create(objective=target, title=f"Grown task {target.pk}-{i}")
            task.responsible.add(partners[i], s.partner_a)
        Review.objects.create(
            partnership=a,
            kpi=kpis[-1],
            flag="unclear",
            comment="Why?",
            created_by=world.officer,
        )
        Review.objects.create(
            partnership=a, objective=new, flag="other", comment="?", created_by=world.officer
        )

    # Value chains, markets.
    for i in range(n):
        stage = ValueChainStage.objects.create(chain=s.a.chain, name=f"Stage {i}", order=i + 2)
        stage.depends_on.add(*s.a.chain.stages.all()[:2])
        StageAssignment.objects.create(stage=stage, partner=partners[i], contribution="Parts")
        StageAssignment.objects.create(stage=stage, member=members[i], contribution="Parts")
        chain = ValueChain.objects.create(partnership=a, name=f"Chain {i}")
        ValueChainStage.objects.create(chain=chain, name="Stage", order=1)
        market = TargetMarket.objects.create(
            partnership=a, country=COUNTRIES[i], lead_partner=partners[i]
        )
        MarketStudy.objects.create(target_market=market, segments="Buyers")

    # Missions with their participants and outcomes, export groups, assessments.
    missions = []
    for i in range(n):
        mission = Mission.objects.create(
            partnership=a if i % 3 else world.b,
            title=f"Grown mission {i}",
            country="CA" if i % 2 else COUNTRIES[i],
            start_date=today + timedelta(days=25 + i),
            end_date=today + timedelta(days=28 + i),
            organiser=partners[i] if i % 3 else None,
            capacity=50,
        )
        missions.append(mission)
        # And in this month, which the calendar opens on.
        this_month = today.replace(day=1) + timedelta(days=i % 28)
        Mission.objects.create(
            partnership=a if i % 3 else world.b,
            title=f"Grown mission this month {i}",
            country=COUNTRIES[i],
            start_date=this_month,
            end_date=this_month + timedelta(days=1),
            organiser=partners[i] if i % 3 else None,
        )
        Participation.objects.create(
            mission=s.ma.mission, member=members[i], cluster=world.cluster_a
        )
        Participation.objects.create(mission=mission, cluster=clusters[i])
        if i % 3:
            Participation.objects.create(mission=mission, member=members[i], cluster=clusters[i])
        outcome = Outcome.objects.create(
            partnership=a,
            mission=s.ma.mission if i % 2 else mission if i % 3 else None,
            kind="contract",
            counterpart=f"Buyer {i}",
            counterpart_country="CA",
            date=date(2025, 5, 1),
            value=1000,
        )
        outcome.members.add(members[i], s.member_a)
        group = ExportGroup.objects.create(
            partnership=a, name=f"Group {i}", goal="Sell", target_markets=["CA", "US"]
        )
        group.members.add(members[i], s.member_a)
        s.ma.group.members.add(members[i])
        Assessment.objects.create(
            partnership=a,
            kind="workshop",
            date=date(2025, 1, 1) + timedelta(days=i),
            title=f"Workshop {i}",
            findings="Found",
            created_by=world.coord_a,
        )
    # --- B2B meetings: offers and seeks of the grown participants of A's mission, counterparts,
    # meetings in every state, placed ones too, some with a follow-up (and an outcome).
    b2b_mission = s.ma.mission
    grown_people = list(b2b_mission.participations.exclude(pk=s.ma.participation.pk))
    for person in grown_people:
        profile = factories.meeting_profile(person, offers=f"Offer {person.pk}")
        profile.competences.add(*competences[:3])
    grown_counterparts = [
        factories.counterpart(b2b_mission, f"Grown counterpart {tag}-{i}", contact_name="C")
        for i in range(n)
    ]
    start = timezone.now().replace(microsecond=0)
    for i, person in enumerate(grown_people):
        slot = start + timedelta(minutes=30 * i)
        factories.meeting(
            person,
            grown_counterparts[i],
            state="accepted",
            starts_at=slot,
            ends_at=slot + timedelta(minutes=30),
            table=1,
            took_place=bool(i % 2),
            follow_up="talks" if i % 2 else "none",
        )
        factories.meeting(
            s.ma.participation, person, state=["requested", "declined", "withdrawn"][i % 3]
        )
        factories.meeting(
            grown_counterparts[i], s.ma.participation, state="accepted" if i % 2 else "requested"
        )
    # Other partnerships' strategies, with KPIs of the same source (an officer lists them all).
    for other in others[:10]:
        goal = Objective.objects.create(
            strategy=Strategy.objects.create(partnership=other, status="adopted"),
            code="O1",
            statement="Grow the members of the partner clusters.",
        )
        derived_kpi(goal, f"Members of {other.acronym}")
    for other in others[:5]:
        recompute_scoreboard(other.pk)
    recompute_scoreboard(a.pk)
    for i in range(n):
        ScoreboardSnapshot.objects.create(
            partnership=a,
            date=today - timedelta(days=i + 1),
            data=ScoreboardSnapshot.objects.filter(partnership=a).first().data,
        )
    data = ScoreboardSnapshot.objects.filter(partnership=a).first().data
    for i, period in enumerate(periods):
        ScoreboardSnapshot.objects.create(
            partnership=a,
            date=today - timedelta(days=i),
            data=data,
            period_end=period,
            signed_off_by=world.coord_a,
            signed_off_at=timezone.now(),
        )
    a.save()  # one more entry in the history

    # Finding partners: findable members (A's cluster), contact requests for them and posts
    # with answers; findable members of B's cluster that fit A's stage nobody covers.
    from matchmaking.models import ContactRequest, PartnerRequest, PartnerRequestAnswer

    for i, member in enumerate(members):
        factories.findable(member, set_by=world.manager_a, competences=["Cladding"])
        ContactRequest.objects.create(
            requester=world.coord_b if i % 2 else world.manager_x,
            member=member,
            cluster=world.cluster_a,
            member_name=member.name,
            purpose="supply",
            message=f"Request {i}",
            status="open" if i % 3 else "forwarded",
        )
        post = PartnerRequest.objects.create(
            author=world.coord_a,
            partnership=a,
            title=f"Grown post {tag}-{i}",
            competences="Cladding",
            countries=COUNTRIES[:3],
            until=today + timedelta(days=10 + i),
        )
        for author in (world.manager_x, world.coord_b, world.manager_a):
            PartnerRequestAnswer.objects.create(request=post, author=author, message="Yes")
        PartnerRequestAnswer.objects.create(
            request=s.find.post, author=factories.user(), message=f"Answer {i}"
        )
        # Findable members of B's cluster: suggested for A's stage nobody covers.
        cladder = factories.member(world.cluster_b, f"Grown cladder {tag}-{i}", country="FI")
        factories.findable(cladder, competences=["Cladding"])
    # Vouchers and EU funding: A's scheme grants to every grown member of Alpha Cluster, and
    # more open calls fit A (by sector, by target market).
    if hasattr(s, "fund"):
        from decimal import Decimal

        from funding.models import Voucher

        Voucher.objects.filter(scheme=s.fund.scheme_a).update(amount=Decimal("1"))
        for member in members:
            if member.memberships.filter(cluster=world.cluster_a).exists():
                factories.voucher(s.fund.scheme_a, member, amount="1", cluster=world.cluster_a)
        for i in range(n):
            factories.funding_call(
                f"Grown call {tag}-{i}", sectors=sectors[i : i + 2], countries=COUNTRIES[:2]
            )
