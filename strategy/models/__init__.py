"""The joint strategy of a partnership: objectives that can be checked, the indicators that
measure them, the roadmap, the value chain and the markets it targets.

One module per part; every model is exported here (Django and the migrations find them here).
"""

from .breakdowns import Breakdown, MeasurementPart, SmeSize, validate_breakdowns
from .coordination import Decision, PartnershipMeeting, StrategyFeedback, StrategyNotice
from .indicators import CoreIndicator
from .markets import MarketStudy, TargetMarket
from .reporting import (
    EVIDENCE_EXTENSIONS,
    KPI,
    MONTHS_PER_PERIOD,
    REPORTING_GRACE,
    Measurement,
    MeasurementRevision,
    Milestone,
    PeriodLock,
    ReportingReminder,
    evidence_path,
    period_ends,
    period_start,
    validate_evidence_content,
    validate_evidence_size,
)
from .roadmap import Task
from .trademark import Trademark, TrademarkLicence
from .value_chain import StageAssignment, ValueChain, ValueChainStage
from .versions import Objective, Strategy

__all__ = [
    "EVIDENCE_EXTENSIONS",
    "KPI",
    "MONTHS_PER_PERIOD",
    "REPORTING_GRACE",
    "Breakdown",
    "CoreIndicator",
    "Decision",
    "MarketStudy",
    "Measurement",
    "MeasurementPart",
    "MeasurementRevision",
    "Milestone",
    "Objective",
    "PartnershipMeeting",
    "PeriodLock",
    "ReportingReminder",
    "SmeSize",
    "StageAssignment",
    "Strategy",
    "StrategyFeedback",
    "StrategyNotice",
    "TargetMarket",
    "Task",
    "Trademark",
    "TrademarkLicence",
    "ValueChain",
    "ValueChainStage",
    "evidence_path",
    "period_ends",
    "period_start",
    "validate_breakdowns",
    "validate_evidence_content",
    "validate_evidence_size",
]
