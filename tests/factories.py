"""Plain builders for test data: a small world with every role of the access policy."""

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from escp_portal.accounts.models import Role, RoleAssignment, User
from partnerships.models import ClusterOrganisation, Partner, Partnership, Programme
from strategy.models import KPI, Objective, Strategy

__all__ = ["Partner"]

PASSWORD = "a-long-test-password"
_seq = itertools.count(1)


def programme(code="ESCP-4i") -> Programme:
    obj, _ = Programme.objects.get_or_create(code=code, defaults={"name": code})
    return obj


def cluster(name=None, country="DE", **fields) -> ClusterOrganisation:
    return ClusterOrganisation.objects.create(
        name=name or f"Cluster {next(_seq)}", country=country, **fields
    )


def partnership(acronym=None, *, partners=(), coordinator=None, **fields) -> Partnership:
    fields.setdefault("programme", programme())
    fields.setdefault("phase", Partnership.Phase.IMPLEMENTATION)
    fields.setdefault("start_date", date(2024, 1, 1))
    fields.setdefault("end_date", date(2027, 12, 31))
    obj = Partnership.objects.create(acronym=acronym or f"P{next(_seq)}", name="Test", **fields)
    if coordinator is not None:
        Partner.objects.create(partnership=obj, cluster=coordinator, role=Partner.Role.COORDINATOR)
    for c in partners:
        Partner.objects.create(partnership=obj, cluster=c)
    return obj


def user(email=None, *, role=None, scope=None, **fields) -> User:
    obj = User.objects.create_user(email or f"user{next(_seq)}@example.org", PASSWORD, **fields)
    if role == Role.COORDINATOR:
        RoleAssignment.objects.create(user=obj, role=role, partnership=scope)
    elif role == Role.CLUSTER_MANAGER:
        RoleAssignment.objects.create(user=obj, role=role, cluster=scope)
    elif role == Role.EC_OFFICER:
        RoleAssignment.objects.create(user=obj, role=role)
    return obj


@dataclass
class World:
    a: Partnership
    b: Partnership
    draft: Partnership
    cluster_a: ClusterOrganisation
    cluster_a2: ClusterOrganisation
    cluster_b: ClusterOrganisation
    cluster_x: ClusterOrganisation
    coord_a: User
    coord_b: User
    manager_a: User
    manager_x: User
    officer: User
    staff: User


def make_world() -> World:
    """Partnership A (coordinated by coord_a, with cluster_a managed by manager_a), partnership B
    (coord_b), a draft partnership of A's coordinator, and a cluster in neither (manager_x)."""
    cluster_a = cluster("Alpha Cluster", "DE")
    cluster_a2 = cluster("Alpha Two", "FR")
    cluster_b = cluster("Beta Cluster", "IT")
    cluster_x = cluster("Lone Cluster", "PL")
    a = partnership("ALPHA", coordinator=cluster_a2, partners=[cluster_a])
    b = partnership("BETA", coordinator=cluster_b)
    draft = partnership("DRAFTY", status=Partnership.Status.DRAFT, partners=[cluster_a2])
    coord_a = user("coord-a@example.org", role=Role.COORDINATOR, scope=a)
    RoleAssignment.objects.create(user=coord_a, role=Role.COORDINATOR, partnership=draft)
    return World(
        a=a,
        b=b,
        draft=draft,
        cluster_a=cluster_a,
        cluster_a2=cluster_a2,
        cluster_b=cluster_b,
        cluster_x=cluster_x,
        coord_a=coord_a,
        coord_b=user("coord-b@example.org", role=Role.COORDINATOR, scope=b),
        manager_a=user("manager-a@example.org", role=Role.CLUSTER_MANAGER, scope=cluster_a),
        manager_x=user("manager-x@example.org", role=Role.CLUSTER_MANAGER, scope=cluster_x),
        officer=user("officer@example.org", role=Role.EC_OFFICER),
        staff=user("staff@example.org", is_staff=True),
    )


def member(cluster=None, name=None, country="DE", **fields):
    from partnerships.models import ClusterMembership, Member

    obj = Member.objects.create(name=name or f"Member {next(_seq)}", country=country, **fields)
    if cluster is not None:
        ClusterMembership.objects.create(member=obj, cluster=cluster)
    obj.refresh_from_db()
    return obj


# --- the joint strategy --------------------------------------------------------------------------

OBJECTIVE_STATEMENT = "Bring 40 SMEs of the partner clusters into talks with buyers in Canada."


def strategy(partnership, *, version=1, status="adopted", **fields) -> Strategy:
    return Strategy.objects.create(
        partnership=partnership, version=version, status=status, **fields
    )


def objective(
    strategy,
    code="O1",
    *,
    statement=OBJECTIVE_STATEMENT,
    start_date=date(2024, 1, 1),
    target_date=date(2027, 12, 31),
    **fields,
) -> Objective:
    return Objective.objects.create(
        strategy=strategy,
        code=code,
        statement=statement,
        start_date=start_date,
        target_date=target_date,
        **fields,
    )


def kpi(
    objective,
    name="SMEs in talks abroad",
    *,
    unit="SMEs",
    baseline_date=date(2023, 12, 31),
    target_date=date(2027, 12, 31),
    target_value=Decimal(40),
    **fields,
) -> KPI:
    """A KPI of the objective: quarterly and reported by hand unless told otherwise."""
    return KPI.objects.create(
        objective=objective,
        name=name,
        unit=unit,
        baseline_date=baseline_date,
        target_date=target_date,
        target_value=target_value,
        **fields,
    )


class StrategyWithKPI(NamedTuple):
    strategy: Strategy
    objective: Objective
    kpi: KPI


def make_strategy_with_kpi(
    partnership, *, status="adopted", version=1, objective_fields=None, **kpi_fields
) -> StrategyWithKPI:
    """A strategy of the partnership (adopted, version 1) with one objective (O1, 2024 to 2027;
    ``objective_fields`` override it, e.g. its ``owner``) and one KPI (``kpi``'s defaults, a
    target of 40 SMEs by the end of 2027; ``kpi_fields`` override them, e.g. ``responsible``)."""
    plan = strategy(partnership, status=status, version=version)
    goal = objective(plan, **(objective_fields or {}))
    return StrategyWithKPI(plan, goal, kpi(goal, **kpi_fields))


# --- missions: missions, registrations, outcomes, export groups ----------------------------------


def mission(partnership, title=None, *, start=None, days=3, **fields):
    """A mission of the partnership (to Canada unless ``country`` says), starting on ``start``
    (a month from now by default) and lasting ``days`` more days."""
    from datetime import timedelta

    from django.utils import timezone

    from missions.models import Mission

    start = start or timezone.localdate() + timedelta(days=30)
    fields.setdefault("country", "CA")
    return Mission.objects.create(
        partnership=partnership,
        title=title or f"Mission {next(_seq)}",
        start_date=start,
        end_date=start + timedelta(days=days),
        **fields,
    )


def participation(mission, member=None, *, cluster=None, status="registered", **fields):
    """A registration written as it is (no service, no rules): the member's, for ``cluster``
    (the member's first cluster by default), or the cluster's own without a member."""
    from missions.models import Participation

    if cluster is None:
        cluster = member.memberships.order_by("pk").first().cluster
    return Participation.objects.create(
        mission=mission, member=member, cluster=cluster, status=status, **fields
    )


def outcome(partnership, *, members=(), kind="mou", counterpart="Buyer", **fields):
    """An outcome of the partnership (an MoU with a Canadian buyer, by default) naming
    ``members``."""
    from missions.models import Outcome

    fields.setdefault("counterpart_country", "CA")
    fields.setdefault("date", date(2025, 5, 1))
    obj = Outcome.objects.create(
        partnership=partnership, kind=kind, counterpart=counterpart, **fields
    )
    obj.members.set(members)
    return obj


def export_group(partnership, *, members=(), name=None, goal="Sell together", **fields):
    from missions.models import ExportGroup

    obj = ExportGroup.objects.create(
        partnership=partnership, name=name or f"Group {next(_seq)}", goal=goal, **fields
    )
    obj.members.set(members)
    return obj


# --- B2B meetings at missions --------------------------------------------------------------------


def counterpart(mission, name="Maple Foods", **fields):
    """A local counterpart of the mission (a company of the mission's country by default)."""
    from missions.models import LocalCounterpart

    fields.setdefault("country", mission.country)
    return LocalCounterpart.objects.create(mission=mission, name=name, **fields)


def meeting_profile(participation, *, offers="Smart labels", seeks="Retail buyers", **fields):
    from missions.models import MeetingProfile

    return MeetingProfile.objects.create(
        participation=participation, offers=offers, seeks=seeks, **fields
    )


def meeting(first, second, *, state="requested", **fields):
    """A meeting asked by ``first`` of ``second`` (participations or local counterparts of one
    mission), written as it is (no service, no rules)."""
    from missions.models import Meeting, Participation, pair_of

    def side(name, party):
        if isinstance(party, Participation):
            return {name: party}
        return {f"{name}_counterpart": party}

    return Meeting.objects.create(
        mission=first.mission,
        pair=pair_of(first, second),
        state=state,
        **side("requester", first),
        **side("recipient", second),
        **fields,
    )


# --- finding partners: findable profiles --------------------------------------------------------


def findable(member, cluster=None, *, set_by=None, competences=(), **flags):
    """Make ``member`` findable through ``cluster`` (its first cluster by default), as its
    manager would, with ``flags`` (``show_…``) over the defaults; ``competences`` (names) are
    given to the member first."""
    from matchmaking.models import FindableProfile
    from matchmaking.services.profiles import fill
    from partnerships.models import Competence

    for name in competences:
        competence, _ = Competence.objects.get_or_create(
            name=name, defaults={"slug": name.lower().replace(" ", "-")}
        )
        member.competences.add(competence)
    cluster = cluster or member.memberships.order_by("pk").first().cluster
    profile = FindableProfile.objects.create(member=member, cluster=cluster, set_by=set_by, **flags)
    fill([FindableProfile.objects.select_related("member").get(pk=profile.pk)])
    profile.refresh_from_db()
    return profile


# --- vouchers and EU funding ----------------------------------------------------------------------


def voucher_scheme(partnership, *, name="Pilot vouchers", **fields):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from funding.models import VoucherScheme

    today = timezone.localdate()
    values = {
        "purpose": "Joint pilots of members of two clusters",
        "budget": Decimal("10000"),
        "max_per_sme": Decimal("4000"),
        "min_sme_share": 75,
        "opens_on": today - timedelta(days=30),
        "closes_on": today + timedelta(days=300),
        **fields,
    }
    return VoucherScheme.objects.create(partnership=partnership, name=name, **values)


def voucher(scheme, member, *, amount="1000", status="granted", **fields):
    from decimal import Decimal

    from django.utils import timezone

    from funding.models import Voucher

    cluster = fields.pop("cluster", None) or member.memberships.first().cluster
    return Voucher.objects.create(
        scheme=scheme,
        member=member,
        cluster=cluster,
        to_sme=bool(member.is_sme),
        amount=Decimal(amount),
        granted_on=fields.pop("granted_on", timezone.localdate()),
        purpose=fields.pop("purpose", "Prototype"),
        status=status,
        **fields,
    )


def funding_call(title="Cluster innovation call", *, days=30, sectors=(), **fields):
    from datetime import timedelta

    from django.utils import timezone

    from funding.models import FundingCall

    values = {
        "programme": "Single Market Programme",
        "deadline": timezone.localdate() + timedelta(days=days),
        "topics": "innovation vouchers",
        **fields,
    }
    call = FundingCall.objects.create(title=title, **values)
    if sectors:
        call.sectors.set(sectors)
    return call


# --- brokers and investment (opportunities) ------------------------------------------------------


def broker(partnership, name="Bea Broker", *, created_by=None, **fields):
    from opportunities.models import Broker

    fields.setdefault("country", "DE")
    return Broker.objects.create(
        partnership=partnership, name=name, created_by=created_by, **fields
    )


def opportunity(partnership, title="Trays for a retailer", *, owner=None, **fields):
    from opportunities.models import Opportunity

    fields.setdefault("counterpart", "Northfield Grocers")
    fields.setdefault("counterpart_country", "CA")
    return Opportunity.objects.create(
        partnership=partnership, title=title, owner=owner, created_by=owner, **fields
    )


def investment_project(partnership, title="Shared pilot plant", **fields):
    from opportunities.models import InvestmentProject

    fields.setdefault("s3_area", "Advanced manufacturing")
    fields.setdefault("regions", "Bavaria, Lombardy")
    return InvestmentProject.objects.create(partnership=partnership, title=title, **fields)
