from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from knox.models import AuthToken

from escp_portal.accounts.models import Invitation
from escp_portal.webhooks.models import Delivery, Subscription
from evaluation.models import Assessment, Review
from evaluation.services import recompute_scoreboard
from missions.models import ExportGroup, Mission, Outcome, Participation
from partnerships.models import ClusterMembership, MemberImport, PartnerInvitation
from strategy.models import (
    MarketStudy,
    Measurement,
    TargetMarket,
    Task,
    ValueChain,
    ValueChainStage,
)
from tests import factories
from tests.strategy.conftest import plan  # noqa: F401 - a small strategy for A

# 64 characters, as long as a generated one (PostgreSQL refuses more).
WEBHOOK_SECRET = "whsec-coord-a-0123456789abcdef0123456789abcdef0123456789abcdef00"
ROLES = ["anonymous", "coord_a", "coord_b", "manager_a", "manager_x", "officer"]


def _strategy(partnership, partner):
    strategy, objective, kpi = factories.make_strategy_with_kpi(
        partnership,
        objective_fields={
            "owner": partner,
            "statement": "Bring SMEs of the partner clusters to buyers in Canada by 2027.",
        },
        name=f"KPI {partnership.acronym}",
        responsible=partner,
    )
    measurement = Measurement.objects.create(
        kpi=kpi, period_end=date(2025, 3, 31), partner=partner, value=3
    )
    task = Task.objects.create(objective=objective, title=f"Task {partnership.acronym}")
    task.responsible.add(partner)
    chain = ValueChain.objects.create(partnership=partnership, name="Chain")
    # Nobody covers it: the page suggests who could (findable members, other clusters).
    ValueChainStage.objects.create(chain=chain, name="Stage", order=1, description="Cladding")
    market = TargetMarket.objects.create(partnership=partnership, country="CA")
    study = MarketStudy.objects.create(target_market=market, segments="Buyers")
    return SimpleNamespace(
        strategy=strategy,
        objective=objective,
        kpi=kpi,
        measurement=measurement,
        task=task,
        chain=chain,
        market=market,
        study=study,
    )


@pytest.fixture
def s(world):
    """Two partnerships with one of everything each, and an API token per user."""
    return two_of_everything(world)


def two_of_everything(world):
    """The data of fixture ``s`` (also for tests outside this directory)."""
    today = timezone.localdate()
    partner_a = world.a.partners.get(cluster=world.cluster_a)
    partner_b = world.b.partners.get(cluster=world.cluster_b)
    member_a = factories.member(
        world.cluster_a, "Alder GmbH", employees=10, contact_email="a@member.example"
    )
    member_a2 = factories.member(world.cluster_a2, "Cedar AB", employees=10)
    member_b = factories.member(
        world.cluster_b, "Birch SA", employees=10, contact_email="b@member.example"
    )
    member_x = factories.member(world.cluster_x, "Xylo Oy", employees=10)
    a, b = _strategy(world.a, partner_a), _strategy(world.b, partner_b)
    missions = {}
    for key, partnership, cluster, member in (
        ("a", world.a, world.cluster_a, member_a),
        ("b", world.b, world.cluster_b, member_b),
    ):
        mission = Mission.objects.create(
            partnership=partnership,
            title=f"Voyage {partnership.acronym.title()}",
            country="CA",
            start_date=today + timedelta(days=30),
            end_date=today + timedelta(days=32),
            capacity=5,
        )
        participation = Participation.objects.create(
            mission=mission, member=member, cluster=cluster
        )
        outcome = Outcome.objects.create(
            partnership=partnership,
            mission=mission,
            kind="mou",
            counterpart="Buyer",
            counterpart_country="CA",
            date=date(2025, 5, 1),
        )
        group = ExportGroup.objects.create(partnership=partnership, name="Group", goal="Sell")
        assessment = Assessment.objects.create(
            partnership=partnership,
            kind="survey",
            date=date(2025, 1, 1),
            title="Survey",
            findings="Found",
        )
        missions[key] = SimpleNamespace(
            mission=mission,
            participation=participation,
            outcome=outcome,
            group=group,
            assessment=assessment,
        )
    review = Review.objects.create(
        partnership=world.a, kpi=a.kpi, flag="other", comment="?", created_by=world.officer
    )
    upload = MemberImport.objects.create(
        cluster=world.cluster_a, uploaded_by=world.manager_a, file_name="m.csv", status="invalid"
    )
    # --- B2B meetings at A's mission (and B's): Alder GmbH's offers and seeks, a local
    # counterpart whose contact only A's coordinator sees, and a meeting of the two that took
    # place (its follow-up recorded).
    b2b = {}
    for key, cluster_manager_side in (("a", missions["a"]), ("b", missions["b"])):
        mission = cluster_manager_side.mission
        name = "Maplewood Foods" if key == "a" else "Pinewood Foods"
        counterpart = factories.counterpart(
            mission,
            name,
            offers="Shelves in Ontario",
            contact_name=f"Contact {name}",
            contact_email=f"buyer@{name.split()[0].lower()}.example",
        )
        profile = factories.meeting_profile(
            cluster_manager_side.participation, offers=f"Offers of {key.upper()}"
        )
        meeting = factories.meeting(
            cluster_manager_side.participation,
            counterpart,
            state="accepted",
            message="Shelf space?",
            took_place=True,
            follow_up="talks",
        )
        b2b[key] = SimpleNamespace(counterpart=counterpart, profile=profile, meeting=meeting)
    for key in ("a", "b"):
        missions[key].b2b = b2b[key]
    recompute_scoreboard(world.a.pk)
    recompute_scoreboard(world.b.pk)
    tokens = {
        role: AuthToken.objects.create(user=getattr(world, role))[1]
        for role in ROLES
        if role != "anonymous"
    }
    for role in ROLES[1:]:
        user = getattr(world, role)
        user.calendar_token = f"{role.replace('_', '-')}-calendar-token-0123456789"
        user.save(update_fields=["calendar_token"])
    ClusterMembership.objects.filter(member=member_a).update(joined_on=date(2020, 1, 1))
    # --- consent: A invites the lone cluster (pending), which shares nothing until it accepts;
    # A's coordinator invites a person to coordinate A.
    partner_invitation = PartnerInvitation.objects.create(
        partnership=world.a, cluster=world.cluster_x, invited_by=world.coord_a
    )
    invitation = Invitation.objects.create(
        email="new-coordinator@example.org",
        role="coordinator",
        partnership=world.a,
        token_hash="0" * 64,
        invited_by=world.coord_a,
        expires_at=timezone.now() + timedelta(days=14),
    )
    # --- webhooks: A's coordinator's subscription, with a delivery; its secret is theirs alone
    webhook = Subscription.objects.create(
        owner=world.coord_a,
        url="https://93.184.216.34/hook",
        secret=WEBHOOK_SECRET,
        events=["measurement.approved"],
    )
    webhook_delivery = Delivery.objects.create(
        subscription=webhook, event="ping", event_id="5b7c0f5e-8f0e-4a8a-9d6e-7d1c2b3a4f5e"
    )
    find = _finding_partners(world, today)
    fund = _funding(world, member_a, member_a2, member_b)
    opps = _opportunities(world, partner_a, missions["a"].mission)
    coordination = _coordination(world, a, b, partner_a, partner_b, member_a)
    return SimpleNamespace(
        fund=fund,
        coordination=coordination,
        find=find,
        opps=opps,
        partner_invitation=partner_invitation,
        invitation=invitation,
        webhook=webhook,
        webhook_delivery=webhook_delivery,
        world=world,
        a=a,
        b=b,
        ma=missions["a"],
        mb=missions["b"],
        member_a=member_a,
        member_a2=member_a2,
        member_b=member_b,
        member_x=member_x,
        partner_a=partner_a,
        partner_b=partner_b,
        review=review,
        upload=upload,
        tokens=tokens,
        token_key={
            role: AuthToken.objects.filter(user=getattr(world, role)).first().token_key
            for role in ROLES[1:]
        },
    )


# --- inclusive coordination, balance, collective trademark (issue #20): the coordination block ---
# Each partnership has a meeting with a decision, a partner's comment on its strategy and an
# expectation; A has a collective mark whose register licenses Alder GmbH (named to A's
# coordinator and cluster manager only; officers read that a member company holds a licence).


def _coordination(world, a, b, partner_a, partner_b, member_a):
    from partnerships.models import PartnerExpectation
    from strategy.models import (
        Decision,
        PartnershipMeeting,
        StrategyFeedback,
        Trademark,
        TrademarkLicence,
    )

    made = {}
    for key, partnership, version, partner in (
        ("a", world.a, a, partner_a),
        ("b", world.b, b, partner_b),
    ):
        acronym = partnership.acronym
        meeting = PartnershipMeeting.objects.create(
            partnership=partnership, title=f"Minutes {acronym}", held_on=date(2025, 2, 3)
        )
        meeting.attendees.set([partner])
        decision = Decision.objects.create(
            meeting=meeting,
            text=f"Decided {acronym}",
            objective=version.objective,
            task=version.task,
        )
        feedback = StrategyFeedback.objects.create(
            strategy=version.strategy,
            partner=partner,
            feedback_kind="comment",
            text=f"Said {acronym}",
        )
        expectation = PartnerExpectation.objects.create(
            partner=partner,
            entry_kind="expectation",
            text=f"Hopes {acronym}",
            recorded_on=date(2024, 1, 10),
        )
        trademark = Trademark.objects.create(
            partnership=partnership, name=f"Mark {acronym}", objective=version.objective
        )
        made[key] = SimpleNamespace(
            meeting=meeting,
            decision=decision,
            feedback=feedback,
            expectation=expectation,
            trademark=trademark,
        )
    made["a"].licence = TrademarkLicence.objects.create(
        trademark=made["a"].trademark,
        member=member_a,
        licensed_on=date(2025, 6, 1),
        scope="Trays",
    )
    return SimpleNamespace(**made)


# --- finding partners (matchmaking): data for test_access_matrix's block -----------------------
# Yew Works Oy, a member of Beta Cluster (partner of B), is findable: every coordinator and
# cluster manager finds it, but its contacts reach only B's coordinator (its cluster shares them),
# never a requester. A's coordinator has asked for its contact (open), and posted "we look for
# laser cladding" for A, which the lone cluster's manager answered.

YEW_SECRETS = ["yew@member.example", "Yrjö Yew", "+358 40 111 2222"]


def _finding_partners(world, today):
    from escp_portal.accounts.models import Role
    from matchmaking.models import ContactRequest, PartnerRequest, PartnerRequestAnswer

    manager_b = factories.user(
        "manager-b@example.org", role=Role.CLUSTER_MANAGER, scope=world.cluster_b
    )
    yew = factories.member(
        world.cluster_b,
        "Yew Works Oy",
        country="FI",
        nace_code="25.62",
        employees=30,
        export_markets=["JP"],
        contact_name="Yrjö Yew",
        contact_email="yew@member.example",
        contact_phone="+358 40 111 2222",
    )
    profile = factories.findable(yew, set_by=manager_b, competences=["Laser cladding"])
    rowan = factories.member(
        world.cluster_a,
        "Rowan Tools SA",
        country="FR",
        nace_code="28.41",
        employees=120,
        export_markets=["JP", "US"],
        contact_email="rowan@member.example",
    )
    rowan_profile = factories.findable(rowan, set_by=world.manager_a, competences=["CNC machining"])
    contact_request = ContactRequest.objects.create(
        requester=world.coord_a,
        member=yew,
        cluster=world.cluster_b,
        member_name=yew.name,
        purpose="supply",
        message="We look for laser cladding for turbine parts.",
    )
    # Requests for Rowan's contact (A's cluster) from B's coordinator and the lone cluster's
    # manager: every role that asks or answers has a list with rows.
    for requester in (world.coord_b, world.manager_x):
        ContactRequest.objects.create(
            requester=requester,
            member=rowan,
            cluster=world.cluster_a,
            member_name=rowan.name,
            purpose="partnership",
            message="Could we talk?",
        )
    post = PartnerRequest.objects.create(
        author=world.coord_a,
        partnership=world.a,
        title="Laser cladding for turbine parts",
        competences="Laser cladding",
        until=today + timedelta(days=30),
    )
    answer = PartnerRequestAnswer.objects.create(
        request=post, author=world.manager_x, message="Our members do that."
    )
    return SimpleNamespace(
        manager_b=manager_b,
        yew=yew,
        profile=profile,
        rowan=rowan,
        rowan_profile=rowan_profile,
        contact_request=contact_request,
        post=post,
        answer=answer,
    )


# --- vouchers and EU funding: data for test_access_matrix's funding block ------------------------
# A's scheme has granted vouchers to Alder GmbH (Alpha Cluster, managed by manager_a) and to
# Cedar AB (Alpha Two); B's scheme one to Birch SA. A voucher's purpose names its project, which
# stays with those who see the voucher. An open call fits A (a sector of Alpha Cluster).

VOUCHER_A = "Tray pilot with a retailer in Ontario"
VOUCHER_B = "Crate pilot for dairies"


def _funding(world, member_a, member_a2, member_b):
    from partnerships.models import Sector

    scheme_a = factories.voucher_scheme(world.a, name="Scheme ALPHA")
    scheme_b = factories.voucher_scheme(world.b, name="Scheme BETA")
    voucher_a = factories.voucher(scheme_a, member_a, purpose=VOUCHER_A)
    voucher_a2 = factories.voucher(scheme_a, member_a2, amount="500", purpose=VOUCHER_A)
    voucher_b = factories.voucher(scheme_b, member_b, purpose=VOUCHER_B)
    sector = Sector.objects.create(name="Cladding", slug="cladding")
    world.cluster_a.sectors.add(sector)
    call = factories.funding_call("Cladding call", sectors=[sector])
    return SimpleNamespace(
        scheme_a=scheme_a,
        scheme_b=scheme_b,
        voucher_a=voucher_a,
        voucher_a2=voucher_a2,
        voucher_b=voucher_b,
        call=call,
    )


# --- which members: data for test_access_matrix's block on member names and ids --------------

NOTE = "Needs a stand near the entrance"


@pytest.fixture
def s_naming(s):
    """Fixture ``s``, with A's registration (Alder GmbH) noted and A's outcome and export group
    naming members: Alder GmbH in both, Cedar AB (of Alpha Two) in the export group too."""
    Participation.objects.filter(pk=s.ma.participation.pk).update(note=NOTE)
    s.ma.outcome.members.set([s.member_a])
    s.ma.group.members.set([s.member_a, s.member_a2])
    return s


# --- brokers and investment (opportunities): data for test_access_matrix's block -------------
# A's coordinator named a broker and an investor contact (people: A's insiders who work with
# names see them, EC officers only figures); A's pipeline has an opportunity followed by A's
# cluster's manager; A has a joint investment project (every insider of A reads it).

OPPS_NAMED = ["Bruno Broker", "bruno@broker.example", "Ines Investor", "ines@investor.example"]
OPPS_PIPELINE = ["Trays for Toronto grocers"]
OPPS_PROJECT = ["Shared pilot plant Alpha"]


def _opportunities(world, partner_a, mission_a):
    from opportunities.models import Broker, InvestmentProject, InvestorContact, Opportunity

    broker = Broker.objects.create(
        partnership=world.a,
        name="Bruno Broker",
        email="bruno@broker.example",
        country="DE",
        named_by=partner_a,
        created_by=world.coord_a,
    )
    opportunity = Opportunity.objects.create(
        partnership=world.a,
        title="Trays for Toronto grocers",
        broker=broker,
        partner=partner_a,
        counterpart="Northfield",
        counterpart_country="CA",
        owner=world.manager_a,
        created_by=world.coord_a,
        next_follow_up=date(2020, 1, 1),
    )
    investor = InvestorContact.objects.create(
        partnership=world.a,
        name="Ines Investor",
        organisation="Alpha Ventures",
        email="ines@investor.example",
        country="FR",
        event=mission_a,
        created_by=world.coord_a,
    )
    project = InvestmentProject.objects.create(
        partnership=world.a,
        title="Shared pilot plant Alpha",
        s3_area="Advanced manufacturing",
        regions="Bavaria, Lombardy",
        investment_sought=1000000,
        investment_mobilised=250000,
        mobilised_on=date(2020, 6, 30),
        created_by=world.coord_a,
    )
    return SimpleNamespace(
        broker=broker, opportunity=opportunity, investor=investor, project=project
    )
