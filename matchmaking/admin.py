from django.contrib import admin

from escp_portal.admin import ReadOnlyAdmin

from .models import ContactRequest, FindableProfile, PartnerRequest, PartnerRequestAnswer


@admin.register(FindableProfile)
class FindableProfileAdmin(ReadOnlyAdmin):
    list_display = ["member", "cluster", "findable_since", "set_by"]
    list_filter = ["show_name", "show_competences"]
    search_fields = ["name", "cluster__name"]
    raw_id_fields = ["member", "cluster", "set_by"]
    exclude = ["search_vector"]


@admin.register(ContactRequest)
class ContactRequestAdmin(ReadOnlyAdmin):
    list_display = ["requester", "member", "cluster", "status", "created_at"]
    list_filter = ["status", "purpose"]
    raw_id_fields = ["requester", "member", "cluster", "answered_by"]


@admin.register(PartnerRequest)
class PartnerRequestAdmin(ReadOnlyAdmin):
    list_display = ["title", "author", "until", "closed_at"]
    search_fields = ["title"]
    raw_id_fields = ["author", "partnership", "cluster"]


@admin.register(PartnerRequestAnswer)
class PartnerRequestAnswerAdmin(ReadOnlyAdmin):
    list_display = ["request", "author", "created_at"]
    raw_id_fields = ["request", "author"]
