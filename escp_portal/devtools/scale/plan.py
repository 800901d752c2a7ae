"""What the scale generator aims at: the top scale, the sizes and vocabulary of the made-up
rows, and how many rows of each kind a scale asks for and the database holds."""

from __future__ import annotations

from datetime import date

TOP = {
    "partnerships": 1_000,
    "clusters": 20_000,
    "members": 1_000_000,
    "kpis": 20_000,
    "measurements": 5_000_000,
    "missions": 50_000,
    "participations": 500_000,
    "outcomes": 200_000,
}
PARTNERS_PER_PARTNERSHIP = 5
KPIS_PER_OBJECTIVE = 4
SYNTHETIC = "Synthetic"
SYNTHETIC_GENERATION = 9  # a call number no real partnership has
EU = [
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
]
THIRD_COUNTRIES = [
    "US",
    "CA",
    "JP",
    "KR",
    "CN",
    "IN",
    "BR",
    "MX",
    "SG",
    "AU",
    "ZA",
    "MA",
    "TR",
    "AE",
    "VN",
    "CL",
]
NACE = ("10.89", "17.21", "20.16", "22.22", "25.62", "26.51", "28.29", "62.01", "71.12", "72.19")
MISSION_KINDS = ("trade_mission", "fact_finding", "b2b", "c2c", "inbound", "outbound")
OUTCOME_KINDS = ("mou", "contract", "project", "opportunity", "investment")
FIRST_PERIOD = date(2022, 1, 31)


def targets(scale: float) -> dict[str, int]:
    """Row counts at ``scale`` per cent of the top scale."""
    return {name: max(1, round(count * scale / 100)) for name, count in TOP.items()}


def counts() -> dict[str, int]:
    """How many rows of each kind of ``TOP`` the database holds."""
    from missions.models import Mission, Outcome, Participation
    from partnerships.models import ClusterOrganisation, Member, Partnership
    from strategy.models import KPI, Measurement

    return {
        "partnerships": Partnership.objects.count(),
        "clusters": ClusterOrganisation.objects.count(),
        "members": Member.objects.count(),
        "kpis": KPI.objects.count(),
        "measurements": Measurement.objects.count(),
        "missions": Mission.objects.count(),
        "participations": Participation.objects.count(),
        "outcomes": Outcome.objects.count(),
    }
