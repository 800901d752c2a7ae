from django.contrib import admin

from escp_portal.admin import ReadOnlyAdmin

from .models import Broker, InvestmentProject, InvestorContact, Opportunity


@admin.register(Broker)
class BrokerAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "country", "partnership", "erased_at"]
    list_filter = ["kind", "focus"]
    search_fields = ["name", "organisation"]


@admin.register(Opportunity)
class OpportunityAdmin(ReadOnlyAdmin):
    list_display = ["title", "stage", "partnership", "next_follow_up", "owner"]
    list_filter = ["stage"]
    search_fields = ["title", "counterpart"]


@admin.register(InvestorContact)
class InvestorContactAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "kind", "country", "partnership"]
    list_filter = ["kind"]
    search_fields = ["name", "organisation"]


@admin.register(InvestmentProject)
class InvestmentProjectAdmin(ReadOnlyAdmin):
    list_display = ["title", "s3_area", "status", "investment_mobilised", "partnership"]
    list_filter = ["status", "assistance"]
    search_fields = ["title", "s3_area", "regions"]
