"""The matchmaking app's tables: findable profiles (``profiles``), contact requests and
partner-search requests with their answers (``requests``)."""

from .profiles import FindableProfile
from .requests import ContactRequest, PartnerRequest, PartnerRequestAnswer, Purpose

__all__ = ["ContactRequest", "FindableProfile", "PartnerRequest", "PartnerRequestAnswer", "Purpose"]
