from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Vouchers and EU funding")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models, rules  # noqa: F401 - rules registers the access rules

        auditlog.register(models.VoucherScheme, exclude_fields=["created_at", "updated_at"])
        auditlog.register(models.Voucher, exclude_fields=["created_at", "updated_at"])
        auditlog.register(
            models.FundingCall, exclude_fields=["created_at", "updated_at"], m2m_fields={"sectors"}
        )
        # An erasure keeps the vouchers (the money was granted); the trail entries that name
        # the member are found by ``Voucher.get_additional_data`` and scrubbed.
