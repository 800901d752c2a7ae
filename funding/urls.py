from django.urls import path, re_path

from . import views

app_name = "funding"

urlpatterns = [
    # --- vouchers ---
    path("partnerships/<int:pk>/vouchers/", views.SchemeListView.as_view(), name="schemes"),
    path("voucher-schemes/<int:pk>/", views.SchemeDetailView.as_view(), name="scheme_detail"),
    path("voucher-schemes/<int:pk>/edit/", views.SchemeEditView.as_view(), name="scheme_edit"),
    re_path(
        r"^voucher-schemes/(?P<pk>[0-9]+)/ledger\.(?P<fmt>csv|xlsx)$",
        views.LedgerExportView.as_view(),
        name="ledger_export",
    ),
    path("vouchers/<int:pk>/status/", views.VoucherStatusView.as_view(), name="voucher_status"),
    # --- EU funding calls ---
    path("funding-calls/", views.CallListView.as_view(), name="calls"),
    path("funding-calls/add/", views.CallFormView.as_view(), name="call_add"),
    path("funding-calls/<int:pk>/", views.CallDetailView.as_view(), name="call_detail"),
    path("funding-calls/<int:pk>/edit/", views.CallFormView.as_view(), name="call_edit"),
    path(
        "partnerships/<int:pk>/funding-calls/",
        views.PartnershipCallsView.as_view(),
        name="partnership_calls",
    ),
]
