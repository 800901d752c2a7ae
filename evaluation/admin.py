"""KPI statuses and reviews for staff, read-only: statuses are recomputed by the jobs, reviews
written and answered through the services (``evaluation.services``)."""

from django.contrib import admin

from escp_portal.admin import ReadOnlyAdmin

from .models import KPIStatus, Review


@admin.register(KPIStatus)
class KPIStatusAdmin(ReadOnlyAdmin):
    list_display = ["kpi", "partnership", "status", "current_value", "progress", "computed_at"]
    list_filter = ["status"]
    search_fields = ["kpi__name", "partnership__acronym"]
    list_select_related = ["kpi", "partnership"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["partnership", "flag", "state", "created_by", "created_at"]
    list_filter = ["flag", "state"]
    search_fields = ["partnership__acronym", "comment"]
    list_select_related = ["partnership", "created_by"]
