"""Demo data of the partnerships app: the real partnerships and partner clusters of the
programme's first calls, from the project's own copy of the published list."""

import json
import zlib
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from .models import (
    ClusterAlias,
    ClusterOrganisation,
    Partner,
    PartnerInvitation,
    Partnership,
    Programme,
)
from .models.directory import alias_key

DATA_FILE = Path(__file__).resolve().parent / "data" / "escp_partnerships.json"

PROGRAMMES = {
    "ESCP-4i": (
        "European Strategic Cluster Partnerships for Going International",
        "Cluster organisations from several EU countries build one strategy to take their "
        "member companies, mostly SMEs, to markets outside Europe.",
    ),
    "ESCP-S3": (
        "European Strategic Cluster Partnerships for Smart Specialisation Investment",
        "Cluster organisations of regions with shared smart-specialisation priorities work "
        "towards joint investment projects inside the EU.",
    ),
}

# When the source gives no period: the span each call funded.
CALL_PERIODS = {
    ("ESCP-4i", 1): (date(2016, 1, 1), date(2017, 12, 31)),
    ("ESCP-4i", 2): (date(2018, 1, 1), date(2019, 12, 31)),
    ("ESCP-S3", 1): (date(2018, 10, 25), None),
}

# The demo coordinator's partnerships need a coordinating partner; the source names none, so the
# demo picks the first partner listed (synthetic, marked as such in the command's output).
DEMO_COORDINATED = ("MobiGoIn-Action", "AdPack2")
# The partner cluster of AdPack2 the demo cluster manager looks after (escp_portal.accounts.demo):
# not its coordinator, so that the coordinator sees members of clusters the manager does not.
MANAGED_CLUSTER = ("Secured Communication Solutions", "FR")

MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}


def cluster_key(name: str, country: str) -> tuple[str, str]:
    """Spellings that differ only in case, spacing or punctuation are one cluster; others are
    matched through the cluster's aliases (the data file's ``clusters`` list)."""
    return alias_key(name), country.upper()


def cluster_index() -> dict[tuple[str, str], ClusterOrganisation]:
    """Every cluster by its name and by each of its aliases."""
    index = {cluster_key(c.name, str(c.country)): c for c in ClusterOrganisation.objects.all()}
    for alias in ClusterAlias.objects.select_related("cluster"):
        index.setdefault((alias.key, str(alias.country).upper()), alias.cluster)
    return index


def load_clusters(listed: list[dict]) -> None:
    """The organisations the published lists spell in several ways: one record each, with the
    other spellings as its aliases."""
    index = cluster_index()
    for entry in listed:
        names = [entry["name"], *entry["aliases"]]
        found = [index[k] for n in names if (k := cluster_key(n, entry["country"])) in index]
        cluster = found[0] if found else None
        if cluster is None:
            cluster = ClusterOrganisation.objects.create(
                name=entry["name"], country=entry["country"]
            )
            index[cluster_key(cluster.name, entry["country"])] = cluster
        for name in names:
            key = cluster_key(name, entry["country"])
            if key != cluster_key(cluster.name, entry["country"]) and not (
                ClusterAlias.objects.filter(key=key[0], country=entry["country"]).exists()
            ):
                ClusterAlias.objects.create(cluster=cluster, name=name, country=entry["country"])
            index.setdefault(key, cluster)


def parse_period(text: str | None) -> tuple[date | None, date | None]:
    """'January 2016 - December 2017' or '2016 - 2017' -> first and last day of the span."""
    if not text:
        return None, None
    parts = [p.strip() for p in text.split("-")]
    if len(parts) != 2:
        return None, None

    def bound(part, start):
        words = part.split()
        year = int(words[-1])
        month = MONTHS.get(words[0].lower()) if len(words) == 2 else None
        if start:
            return date(year, month or 1, 1)
        month = month or 12
        next_first = date(year + (month == 12), month % 12 + 1, 1)
        return date.fromordinal(next_first.toordinal() - 1)

    try:
        return bound(parts[0], True), bound(parts[1], False)
    except (ValueError, IndexError):
        return None, None


def _phase(record) -> str:
    if record["phase"]:
        return record["phase"]
    # The S3 call funds partnerships working towards joint investment.
    return Partnership.Phase.INVESTMENT


@transaction.atomic
def load(*, stdout=None, scale: int = 1, **options) -> dict:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    today = timezone.localdate()
    programmes = {}
    for code, (name, description) in PROGRAMMES.items():
        programmes[code], _ = Programme.objects.update_or_create(
            code=code, defaults={"name": name, "description": description}
        )

    load_clusters(data.get("clusters", []))
    clusters = cluster_index()
    for record in data["partnerships"]:
        programme = programmes[record["programme"]]
        generation = record["generation"] or 1
        start, end = parse_period(record["period"])
        if start is None and record.get("launched"):
            # Published launch date and no published end (the ESCP-S3 partnerships): active
            # only while activity is recorded (partnerships.selectors.quiet_q).
            start, end = date.fromisoformat(record["launched"]), None
        if start is None:
            start, end = CALL_PERIODS.get((programme.code, generation), (None, None))
        status = Partnership.Status.COMPLETED if end and end < today else Partnership.Status.ACTIVE
        partnership, _ = Partnership.objects.update_or_create(
            programme=programme,
            generation=generation,
            acronym=record["acronym"],
            defaults={
                "name": record["name"],
                "phase": _phase(record),
                "status": status,
                "start_date": start,
                "end_date": end,
                "sme_count": record["sme_count"],
                "website": record["website"] or "",
            },
        )
        for index, listed in enumerate(record["partners"]):
            key = cluster_key(listed["name"], listed["country"])
            cluster = clusters.get(key)
            if cluster is None:
                cluster = ClusterOrganisation.objects.create(
                    name=listed["name"].strip(), country=listed["country"]
                )
                clusters[key] = cluster
            coordinates = index == 0 and record["acronym"] in DEMO_COORDINATED
            Partner.objects.update_or_create(
                partnership=partnership,
                cluster=cluster,
                defaults={
                    "role": Partner.Role.COORDINATOR if coordinates else Partner.Role.PARTNER,
                    "joined_on": start,
                },
            )
    load_members(scale=scale, stdout=stdout)
    load_expectations()
    counts = {
        "programmes": Programme.objects.count(),
        "partnerships": Partnership.objects.count(),
        "clusters": ClusterOrganisation.objects.count(),
        "partners": Partner.objects.count(),
    }
    if stdout:
        stdout.write(
            "Partnerships: {partnerships} in {programmes} programmes, {clusters} cluster "
            "organisations, {partners} partner places.".format(**counts)
        )
        stdout.write(
            f"Synthetic: the first listed partner of {', '.join(DEMO_COORDINATED)} is marked "
            "as coordinator."
        )
    return counts


# --- synthetic members ---------------------------------------------------------------------------
# Clearly marked: every synthetic member's name ends in "(demo)" and uses example.org addresses.
DEMO_SUFFIX = "(demo)"
NAME_PARTS = (
    [
        "Nord",
        "Sud",
        "Alto",
        "Blue",
        "Civi",
        "Delta",
        "Euro",
        "Flux",
        "Gran",
        "Helio",
        "Iber",
        "Jade",
        "Kappa",
        "Lumen",
        "Meri",
        "Nova",
        "Orbi",
        "Pax",
        "Quanta",
        "Rhein",
        "Silva",
        "Terra",
    ],
    ["pack", "mobil", "sens", "form", "tech", "fib", "plast", "nav", "grid", "cell", "print"],
    [
        "Labs",
        "Systems",
        "Solutions",
        "Industries",
        "Works",
        "Engineering",
        "Components",
        "GmbH",
        "S.A.",
        "S.r.l.",
        "Oy",
        "AB",
        "s.r.o.",
    ],
)
COMPETENCES = [
    "Smart labels",
    "Barrier coatings",
    "Bioplastics",
    "Recycled fibres",
    "Printed electronics",
    "Cold chain",
    "Connected vehicles",
    "Battery systems",
    "Autonomous driving",
    "V2X",
    "Fleet software",
    "Machine vision",
    "Cybersecurity",
    "Lightweight materials",
    "Logistics",
]
NACE_CODES = [
    "17.21",
    "22.22",
    "28.29",
    "62.01",
    "72.19",
    "29.32",
    "26.30",
    "71.12",
    "25.92",
    "20.16",
    "26.11",
    "49.41",
    "46.76",
]


def synthetic_rows(cluster, count: int, markets: list[str], seed: int) -> list[dict]:
    import random

    rng = random.Random(seed)
    rows = []
    for i in range(count):
        first, middle, last = (rng.choice(part) for part in NAME_PARTS)
        employees = int(rng.lognormvariate(3.2, 1.3))
        turnover = employees * rng.randint(60_000, 220_000)
        rows.append(
            {
                "name": f"{first}{middle} {last} {i + 1:03d} {DEMO_SUFFIX}",
                "kind": rng.choices(["enterprise", "research", "university"], [0.88, 0.08, 0.04])[
                    0
                ],
                "country": str(cluster.country),
                "city": "",
                "nace_code": rng.choice(NACE_CODES),
                "employees": str(employees),
                "annual_turnover": str(turnover),
                "founded_year": str(rng.randint(1950, 2024)),
                "competences": "; ".join(rng.sample(COMPETENCES, rng.randint(1, 3))),
                "export_markets": "; ".join(rng.sample(markets, rng.randint(0, len(markets)))),
                "website": f"https://member{i + 1}.cluster{cluster.pk}.example.org",
                "contact_name": f"Contact {i + 1:03d} {DEMO_SUFFIX}",
                "contact_email": f"contact{i + 1}@cluster{cluster.pk}.example.org",
                "member_since": date.fromordinal(
                    date(2012, 1, 1).toordinal() + rng.randint(0, 2830)
                ).isoformat(),
            }
        )
    return rows


def load_members(*, scale: int = 1, stdout=None) -> int:
    """Synthetic members for the partner clusters of the demo coordinator's partnerships."""
    from .services.member_import import apply_plan, plan_import

    record = {p["acronym"]: p for p in json.loads(DATA_FILE.read_text("utf-8"))["partnerships"]}
    created = 0
    for acronym in DEMO_COORDINATED:
        partnership = Partnership.objects.get(acronym=acronym, generation=2)
        markets = record[acronym]["target_countries"] or ["US", "CN"]
        for partner in partnership.partners.select_related("cluster").order_by("cluster__name"):
            cluster = partner.cluster
            # Seeded by the cluster's name, not its id: the same members whatever ids the
            # database hands out (a database that served tests before gives others).
            seed = zlib.crc32(f"{cluster.name}|{cluster.country}".encode())
            rows = synthetic_rows(cluster, 20 * scale, markets, seed=seed)
            plan = plan_import(cluster, rows)
            if not plan.valid:  # pragma: no cover - the generator makes valid rows
                raise RuntimeError(plan.errors[:3])
            created += apply_plan(cluster, plan)["create"]
    if stdout:
        stdout.write(f"Synthetic members: {created} created (names end in {DEMO_SUFFIX}).")
    return created


def load_invitations(*, coordinator, manager, partnerships, clusters) -> int:
    """One invitation for the demo manager to answer: the first of the coordinator's
    partnerships that one of the manager's clusters is not (yet) a partner of. The loaded
    partners stay as recorded (programme data). Run twice, nothing changes."""
    for partnership in partnerships:
        for cluster in clusters:
            if Partner.objects.filter(partnership=partnership, cluster=cluster).exists():
                continue
            PartnerInvitation.objects.get_or_create(
                partnership=partnership,
                cluster=cluster,
                defaults={
                    "invited_by": coordinator,
                    "message": "Synthetic demo invitation: join us to share your members.",
                },
            )
            return 1
    return 0


# --- expectations and commitments of AdPack2's partners (issue #20, action 7) --------------------
# Written down at the start of the partnership (demo); the first review found some met, some not.

EXPECTATIONS = [
    ("expectation", "Meet packaging buyers in North America. (demo)", "met"),
    ("commitment", "Bring ten member SMEs to each mission. (demo)", "partly"),
    ("expectation", "Learn how other clusters run export groups. (demo)", "open"),
    ("commitment", "Lead the market study of one target country. (demo)", "not_met"),
]


def load_expectations() -> int:
    """Once: two entries per partner of AdPack2, with the last review of each."""
    from .models import PartnerExpectation

    partnership = Partnership.objects.filter(acronym="AdPack2", generation=2).first()
    if (
        partnership is None
        or PartnerExpectation.objects.filter(partner__partnership=partnership).exists()
    ):
        return 0
    made = 0
    for index, partner in enumerate(partnership.partners.order_by("pk")):
        for offset in (0, 1):
            kind, text, review = EXPECTATIONS[(index + offset) % len(EXPECTATIONS)]
            reviewed = review != "open"
            PartnerExpectation.objects.create(
                partner=partner,
                entry_kind=kind,
                text=text,
                recorded_on=partnership.start_date or date(2018, 1, 1),
                review=review,
                reviewed_on=date(2019, 1, 22) if reviewed else None,
                review_note="Reviewed at the steering committee. (demo)" if reviewed else "",
            )
            made += 1
    return made
