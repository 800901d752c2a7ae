"""Demo data of the partnerships app: the real partnerships and partner clusters of the
programme's first calls, from the project's own copy of the published list."""

import json
import re
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from .models import ClusterOrganisation, Partner, Partnership, Programme

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
    """Spellings that differ only in case, spacing or a trailing full stop are one cluster."""
    cleaned = re.sub(r"\s+", " ", name).strip().rstrip(".").casefold()
    return cleaned, country.upper()


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
def load(*, stdout=None, **options) -> dict:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    today = timezone.localdate()
    programmes = {}
    for code, (name, description) in PROGRAMMES.items():
        programmes[code], _ = Programme.objects.update_or_create(
            code=code, defaults={"name": name, "description": description}
        )

    clusters = {cluster_key(c.name, str(c.country)): c for c in ClusterOrganisation.objects.all()}
    for record in data["partnerships"]:
        programme = programmes[record["programme"]]
        generation = record["generation"] or 1
        start, end = parse_period(record["period"])
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
