"""Writes of the target markets and their studies."""

from __future__ import annotations

from escp_portal.accounts.policy import coordinates
from escp_portal.services import apply_fields, delete_audited, require, save_audited

from ..models import MarketStudy, TargetMarket
from .common import ensure_partner_of

MARKET_FIELDS = ("country", "priority", "rationale", "lead_partner", "local_contact")
STUDY_FIELDS = (
    "segments",
    "market_size_total",
    "market_size_serviceable",
    "target_share",
    "growth",
    "profitability",
    "trends",
    "key_success_factors",
    "sources",
)


def target_market_save(*, actor, partnership, market: TargetMarket | None = None, **data):
    require(coordinates(actor, partnership.pk))
    market = market or TargetMarket(partnership=partnership)
    apply_fields(market, data, MARKET_FIELDS)
    ensure_partner_of(partnership.pk, market.lead_partner, "lead_partner")
    return save_audited(actor, market)


def target_market_delete(*, actor, market: TargetMarket) -> None:
    require(coordinates(actor, market.partnership_id))
    delete_audited(actor, market)


def market_study_save(*, actor, market: TargetMarket, **data):
    require(coordinates(actor, market.partnership_id))
    study = MarketStudy.objects.filter(target_market=market).first() or MarketStudy(
        target_market=market
    )
    apply_fields(study, data, STUDY_FIELDS)
    return save_audited(actor, study)
