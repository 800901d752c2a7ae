"""The voucher ledger for download, CSV or XLSX, through ``escp_portal.spreadsheets`` (every
cell formula-safe). Who got each voucher is written only for readers who may name members;
EC officers get the amounts, statuses and SME flags."""

from django.utils.translation import gettext as _

from escp_portal.spreadsheets import Sheet, csv_bytes, xlsx_bytes

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _header():
    return [
        _("Voucher"),
        _("Member"),
        _("Cluster"),
        _("SME"),
        _("Amount (EUR)"),
        _("Granted on"),
        _("Purpose"),
        _("Status"),
    ]


def ledger_rows(vouchers, *, names_visible: bool):
    for voucher in vouchers:
        yield [
            voucher.pk,
            voucher.member.name if names_visible and voucher.member else "",
            voucher.cluster.name if names_visible and voucher.cluster else "",
            _("yes") if voucher.to_sme else _("no"),
            voucher.amount,
            voucher.granted_on.isoformat(),
            voucher.purpose if names_visible else "",
            voucher.get_status_display(),
        ]


def ledger_file(scheme, vouchers, fmt: str, *, names_visible: bool) -> bytes:
    rows = ledger_rows(vouchers, names_visible=names_visible)
    if fmt == "xlsx":
        title = f"{scheme.partnership.acronym} — {scheme.name}"
        return xlsx_bytes(Sheet(_("Vouchers"), _header(), rows, title=title, freeze="A3"))
    return csv_bytes(_header(), rows)
