from django.contrib import admin

from escp_portal.admin import ReadOnlyAdmin

from .models import CallNotice, FundingCall, Voucher, VoucherScheme


@admin.register(VoucherScheme)
class VoucherSchemeAdmin(ReadOnlyAdmin):
    list_display = ["name", "partnership", "budget", "max_per_sme", "min_sme_share", "closes_on"]
    list_select_related = ["partnership"]
    search_fields = ["name", "partnership__acronym"]
    raw_id_fields = ["partnership"]


@admin.register(Voucher)
class VoucherAdmin(ReadOnlyAdmin):
    list_display = ["scheme", "member", "amount", "granted_on", "status", "to_sme"]
    list_select_related = ["scheme", "member"]
    list_filter = ["status", "to_sme"]
    raw_id_fields = ["scheme", "member", "cluster"]


@admin.register(FundingCall)
class FundingCallAdmin(ReadOnlyAdmin):
    list_display = ["title", "programme", "deadline"]
    search_fields = ["title", "programme", "reference"]


@admin.register(CallNotice)
class CallNoticeAdmin(ReadOnlyAdmin):
    list_display = ["call", "partnership", "recipient", "sent_at"]
    list_select_related = ["call", "partnership", "recipient"]
    raw_id_fields = ["call", "partnership", "recipient"]
