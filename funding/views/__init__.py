from .calls import (  # noqa: F401
    CallDetailView,
    CallFormView,
    CallListView,
    PartnershipCallsView,
)
from .vouchers import (  # noqa: F401
    LedgerExportView,
    SchemeDetailView,
    SchemeEditView,
    SchemeListView,
    VoucherStatusView,
)
