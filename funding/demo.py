"""Demo data of vouchers and EU funding (synthetic, written for the demo): a voucher scheme of
AdPack2 with vouchers granted to members of its partner clusters, and open EU funding calls
that fit the demo partnerships (plus one closed call, never listed as open)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from partnerships.models import Member, Partnership, Sector

from .models import FundingCall, Voucher, VoucherScheme
from .services.vouchers import _membership

SCHEME_NAME = "Cross-cluster packaging pilots"


def _calls(today, partnerships):
    """(fields, sector names): calls written for the demo, in the portal's own words."""
    markets = sorted(
        {m.country.code for p in partnerships for m in p.target_markets.all()} or {"CA"}
    )
    sectors = sorted({s.name for p in partnerships for s in p.sectors.all()})
    return [
        (
            {
                "programme": "Single Market Programme",
                "title": "Cluster-led vouchers for SME innovation across value chains (demo)",
                "reference": "DEMO-SMP-CLUSTER-01",
                "summary": "Clusters of different regions pass on support to SMEs that test new "
                "products together. Written for the demo.",
                "deadline": today + timedelta(days=60),
                "topics": "innovation vouchers\nsustainable packaging\ninternationalisation",
                "countries": [],
                "nace_codes": "C, 22.2",
                "url": "https://example.org/demo/calls/smp-cluster-01",
            },
            sectors[:2],
        ),
        (
            {
                "programme": "Horizon Europe",
                "title": "Going international together: joint market entry of SME consortia (demo)",
                "reference": "DEMO-HE-MARKETS-02",
                "summary": "Consortia of SMEs from several member states prepare a joint "
                "entry into a market outside the EU. Written for the demo.",
                "deadline": today + timedelta(days=120),
                "topics": "market entry\nexport",
                "countries": markets[:3],
                "nace_codes": "",
                "url": "https://example.org/demo/calls/he-markets-02",
            },
            [],
        ),
        (
            {
                "programme": "Interreg Europe",
                "title": "Regional smart specialisation pilots (demo, closed)",
                "reference": "DEMO-IR-S3-00",
                "summary": "A call whose deadline has passed: it is listed among the closed calls "
                "only. Written for the demo.",
                "deadline": today - timedelta(days=10),
                "topics": "smart specialisation",
                "countries": [],
                "nace_codes": "",
                "url": "",
            },
            sectors[:1],
        ),
    ]


def load(*, coordinator=None, **kwargs) -> None:
    """Idempotent: a second run finds what the first wrote."""
    today = timezone.localdate()
    partnerships = list(
        Partnership.objects.filter(acronym__in=["AdPack2", "MobiGoIn-Action"]).prefetch_related(
            "target_markets", "sectors"
        )
    )
    for fields, sector_names in _calls(today, partnerships):
        call, created = FundingCall.objects.get_or_create(
            reference=fields["reference"], defaults={**fields, "recorded_by": None}
        )
        if created and sector_names:
            call.sectors.set(Sector.objects.filter(name__in=sector_names))
    adpack = next((p for p in partnerships if p.acronym == "AdPack2"), None)
    if adpack is None:
        return
    scheme, created = VoucherScheme.objects.get_or_create(
        partnership=adpack,
        name=SCHEME_NAME,
        defaults={
            "purpose": "Pilots in which a packaging company and a member of another partner "
            "cluster test a new material or design with a customer.",
            "budget": Decimal("120000"),
            "max_per_sme": Decimal("15000"),
            "min_sme_share": 75,
            "opens_on": today - timedelta(days=90),
            "closes_on": today + timedelta(days=270),
        },
    )
    if not created or scheme.vouchers.exists():
        return
    members = list(
        Member.objects.filter(
            memberships__cluster__partnerships_joined__partnership=adpack,
            memberships__cluster__partnerships_joined__left_on__isnull=True,
            erased_at__isnull=True,
        )
        .distinct()
        .order_by("name")[:8]
    )
    amounts = ["12000", "9500", "15000", "6000", "11000", "8000", "7500", "10000"]
    purposes = [
        "Prototype of a recyclable tray with a partner in another cluster",
        "Shelf test of a compostable pouch",
        "Life-cycle assessment of a paper-based closure",
        "Design study for a refill system",
    ]
    statuses = [Voucher.Status.PAID, Voucher.Status.PAID, Voucher.Status.GRANTED]
    for index, member in enumerate(members):
        membership = _membership(scheme, member)
        Voucher.objects.create(
            scheme=scheme,
            member=member,
            cluster=membership.cluster,
            to_sme=bool(member.is_sme),
            amount=Decimal(amounts[index % len(amounts)]),
            granted_on=today - timedelta(days=80 - index * 7),
            purpose=purposes[index % len(purposes)],
            status=statuses[index % len(statuses)],
            granted_by=coordinator,
        )
