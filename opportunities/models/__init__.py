"""Brokers and the opportunities they follow (Action 5); investor contacts and joint investment
projects (Actions 14 and 15)."""

from .brokers import Broker, Opportunity
from .investment import InvestmentProject, InvestorContact

__all__ = ["Broker", "InvestmentProject", "InvestorContact", "Opportunity"]
