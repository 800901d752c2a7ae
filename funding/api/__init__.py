from .calls import FundingCallViewSet  # noqa: F401
from .vouchers import VoucherSchemeViewSet, VoucherViewSet  # noqa: F401
