"""Reads of the target markets."""

from ..models import TargetMarket


def target_markets_of(partnership):
    return TargetMarket.objects.filter(partnership=partnership).select_related(
        "lead_partner__cluster", "study"
    )
