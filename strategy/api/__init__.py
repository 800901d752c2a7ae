"""The API of the joint strategy: serializers and viewsets that call the same services and
selectors as the pages. The viewsets are registered by ``escp_portal.api.urls``."""

from .coordination import (
    BalanceAPIView,
    DecisionViewSet,
    PartnershipMeetingViewSet,
    StrategyFeedbackViewSet,
)
from .markets import MarketStudyViewSet, TargetMarketViewSet
from .reporting import KPIViewSet, MeasurementViewSet
from .roadmap import TaskViewSet
from .trademark import TrademarkLicenceViewSet, TrademarkViewSet
from .value_chain import ValueChainViewSet
from .versions import ObjectiveViewSet, StrategyViewSet

__all__ = [
    "BalanceAPIView",
    "DecisionViewSet",
    "KPIViewSet",
    "MarketStudyViewSet",
    "MeasurementViewSet",
    "ObjectiveViewSet",
    "PartnershipMeetingViewSet",
    "StrategyFeedbackViewSet",
    "StrategyViewSet",
    "TargetMarketViewSet",
    "TaskViewSet",
    "TrademarkLicenceViewSet",
    "TrademarkViewSet",
    "ValueChainViewSet",
]
