from .calls import FundingCallViewSet, PartnershipCallsAPIView  # noqa: F401
from .vouchers import VoucherSchemeViewSet, VoucherViewSet  # noqa: F401
