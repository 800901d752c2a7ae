"""Demo data of brokers, opportunities, investor contacts and joint investment projects, made
with the demo users (``load_people``, called once they exist): AdPack2's brokers and its
opportunity pipeline with items at every stage, one of which reached an agreement that became
an outcome; MobiGoIn-Action's investor contacts met at its pitch session, its joint investment
projects and a KPI taken from the investment they mobilised. Synthetic, marked (demo)."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from partnerships.models import Partnership

from .models import Broker, InvestmentProject, InvestorContact, Opportunity
from .services.brokers import opportunity_agree

PIPELINE = "AdPack2"
INVESTMENT = "MobiGoIn-Action"
AGREED = "Recyclable tray line for a Canadian retailer (demo)"
# name, kind, organisation, country, in a target market, main role, note
BROKERS = [
    (
        "Hanna Lindqvist (demo)",
        Broker.Kind.PERSON,
        "Nordic Packaging Links",
        "SE",
        False,
        Broker.Focus.SCOPING,
        "Knows the buyers of the Nordic retail chains; introduces members in person.",
    ),
    (
        "Maple Trade Bridge (demo)",
        Broker.Kind.ORGANISATION,
        "",
        "CA",
        True,
        Broker.Focus.MANAGING,
        "A consultancy in Toronto that keeps talks with Canadian retailers going.",
    ),
    (
        "Luca Ferraro (demo)",
        Broker.Kind.PERSON,
        "Technology transfer office",
        "IT",
        False,
        Broker.Focus.REVIEWING,
        "Helps universities and packaging makers agree on licences.",
    ),
]
# title, stage, broker index, counterpart, country, value, follow-up (days from today)
OPPORTUNITIES = [
    ("Compostable film with a Swedish dairy (demo)", "lead", 0, "Norrmejeri", "SE", 80000, 6),
    (
        "Smart labels for an Italian wine group (demo)",
        "contact",
        2,
        "Cantine Riva",
        "IT",
        45000,
        -4,
    ),
    (
        "Barrier coating trial in Montreal (demo)",
        "meeting",
        1,
        "Laval Emballages",
        "CA",
        120000,
        12,
    ),
    (AGREED, "meeting", 1, "Northfield Grocers", "CA", 250000, None),
    ("Shared pallet tracking pilot (demo)", "dropped", None, "Baltic Freight", "LT", None, None),
]
# name, organisation, kind, country, interests
INVESTORS = [
    (
        "Sofia Marques (demo)",
        "Atlantic Mobility Ventures",
        "venture",
        "PT",
        "Seed and series A in connected mobility.",
    ),
    (
        "Tan Wei Ming (demo)",
        "Lion City Transport Group",
        "corporate",
        "SG",
        "Pilots of smart parking and fleet software.",
    ),
    (
        "Jonas Weber (demo)",
        "Rhein Business Angels",
        "angel",
        "DE",
        "Tickets of EUR 50 000 to 250 000 in B2B software.",
    ),
]
# title, S3 area, regions, status, sought, mobilised, mobilised on, assistance, provider
PROJECTS = [
    (
        "Shared test track for automated shuttles (demo)",
        "Advanced manufacturing for the automotive industry",
        "Baden-Württemberg, Auvergne-Rhône-Alpes, Piemonte",
        InvestmentProject.Status.FINANCED,
        4_000_000,
        2_600_000,
        date(2019, 10, 15),
        InvestmentProject.Assistance.COMPLETED,
        "EU technical assistance facility for industrial modernisation",
    ),
    (
        "Battery second-life plant (demo)",
        "Batteries and energy storage",
        "Västra Götaland, Navarra",
        InvestmentProject.Status.SEEKING,
        6_500_000,
        0,
        None,
        InvestmentProject.Assistance.GRANTED,
        "EU technical assistance facility for industrial modernisation",
    ),
    (
        "Data platform for urban logistics (demo)",
        "Digitisation of mobility services",
        "Noord-Brabant, Flanders",
        InvestmentProject.Status.PREPARING,
        1_200_000,
        0,
        None,
        InvestmentProject.Assistance.APPLIED,
        "",
    ),
]


def load(*, stdout=None, **options) -> None:
    """Nothing before the demo users exist: an opportunity is followed by someone."""


@transaction.atomic
def load_people(*, coordinator, manager, stdout=None, **kwargs) -> dict:
    """Run twice, nothing changes."""
    result = {"brokers": 0, "opportunities": 0, "investors": 0, "projects": 0}
    pipeline = Partnership.objects.filter(acronym=PIPELINE, generation=2).first()
    if pipeline is not None:
        result.update(_pipeline(pipeline, coordinator, manager))
    investment = Partnership.objects.filter(acronym=INVESTMENT, generation=2).first()
    if investment is not None:
        result.update(_investment(investment, coordinator))
    if stdout:
        stdout.write(
            "Brokers and investment: {brokers} brokers, {opportunities} opportunities, "
            "{investors} investor contacts, {projects} joint investment projects.".format(**result)
        )
    return result


def _pipeline(partnership, coordinator, manager) -> dict:
    partners = list(partnership.partners.select_related("cluster").order_by("pk"))
    managed = [p for p in partners if manager.role_assignments.filter(cluster=p.cluster).exists()]
    markets = {m.country.code: m for m in partnership.target_markets.all()}
    brokers = []
    for index, (name, kind, organisation, country, in_market, focus, note) in enumerate(BROKERS):
        broker, _created = Broker.objects.get_or_create(
            partnership=partnership,
            name=name,
            defaults={
                "kind": kind,
                "organisation": organisation,
                "country": country,
                "target_market": markets.get(country) if in_market else None,
                "focus": focus,
                "note": note,
                "email": f"broker{index + 1}@demo.escp.eu",
                "named_by": (managed or partners)[0]
                if index == 0
                else partners[index % len(partners)],
                "created_by": manager if index == 0 and managed else coordinator,
            },
        )
        brokers.append(broker)
    today = timezone.localdate()
    for index, (title, stage, broker, counterpart, country, value, days) in enumerate(
        OPPORTUNITIES
    ):
        opportunity, created = Opportunity.objects.get_or_create(
            partnership=partnership,
            title=title,
            defaults={
                "stage": stage,
                "broker": brokers[broker] if broker is not None else None,
                "partner": partners[index % len(partners)],
                "counterpart": counterpart,
                "counterpart_country": country,
                "value": Decimal(value) if value else None,
                "owner": manager if index == 1 and managed else coordinator,
                "next_follow_up": today + timedelta(days=days) if days is not None else None,
                "created_by": coordinator,
                "description": "Synthetic opportunity of the demo.",
            },
        )
        if created and title == AGREED:
            opportunity_agree(
                actor=coordinator,
                opportunity=opportunity,
                kind="contract",
                date=date(2019, 11, 18),
                value=Decimal(value),
                description="Supply contract for recyclable trays after two meetings (demo)",
            )
    return {
        "brokers": len(brokers),
        "opportunities": partnership.opportunities.count(),
    }


def _investment(partnership, coordinator) -> dict:
    event = partnership.missions.filter(kind="pitch").first() or partnership.missions.first()
    for index, (name, organisation, kind, country, interests) in enumerate(INVESTORS):
        InvestorContact.objects.get_or_create(
            partnership=partnership,
            name=name,
            defaults={
                "organisation": organisation,
                "kind": kind,
                "country": country,
                "interests": interests,
                "event": event,
                "met_on": event.start_date if event else None,
                "email": f"investor{index + 1}@demo.escp.eu",
                "created_by": coordinator,
            },
        )
    partners = list(partnership.partners.order_by("pk"))
    for index, row in enumerate(PROJECTS):
        title, area, regions, status, sought, mobilised, on, assistance, provider = row
        InvestmentProject.objects.get_or_create(
            partnership=partnership,
            title=title,
            defaults={
                "s3_area": area,
                "regions": regions,
                "status": status,
                "investment_sought": Decimal(sought),
                "investment_mobilised": Decimal(mobilised),
                "mobilised_on": on,
                "assistance": assistance,
                "assistance_provider": provider,
                "lead_partner": partners[index % len(partners)] if partners else None,
                "created_by": coordinator,
                "description": "Synthetic project of the demo.",
            },
        )
    _investment_kpi(partnership)
    return {
        "investors": partnership.investor_contacts.count(),
        "projects": partnership.investment_projects.count(),
    }


def _investment_kpi(partnership) -> None:
    """A KPI of the strategy taken from the investment mobilised, linked to the investment core
    indicator through its source."""
    from strategy.models import KPI, CoreIndicator

    strategy = partnership.strategies.order_by("-version").first()
    objective = strategy.objectives.order_by("order", "pk").first() if strategy else None
    if (
        objective is None
        or KPI.objects.filter(
            objective__strategy__partnership=partnership, source="investment_mobilised"
        ).exists()
    ):
        return
    KPI.objects.create(
        objective=objective,
        name="Investment mobilised by joint projects",
        unit="EUR",
        kind=KPI.Kind.OUTCOME,
        source="investment_mobilised",
        core_indicator=CoreIndicator.objects.filter(code="investment").first(),
        baseline_value=Decimal(0),
        baseline_date=partnership.start_date - timedelta(days=1),
        target_value=Decimal(5_000_000),
        target_date=partnership.end_date,
        data_source="The joint investment projects recorded in the portal (demo)",
    )
