"""KPI statuses, scoreboard snapshots, assessments and reviews for staff, read-only: statuses
and snapshots are computed by the jobs, assessments and reviews written and answered through the
services (``evaluation.services``), which check the rules and keep the audit trail."""

from django.contrib import admin

from escp_portal.admin import ReadOnlyAdmin

from .models import Assessment, KPIStatus, Review, ScoreboardSnapshot


@admin.register(KPIStatus)
class KPIStatusAdmin(ReadOnlyAdmin):
    """Read-only: recomputed from the reported values; an edit would be overwritten."""

    list_display = ["kpi", "partnership", "status", "current_value", "progress", "computed_at"]
    list_filter = ["status"]
    search_fields = ["kpi__name", "partnership__acronym"]
    list_select_related = ["kpi", "partnership"]


@admin.register(ScoreboardSnapshot)
class ScoreboardSnapshotAdmin(ReadOnlyAdmin):
    """Read-only: a signed-off snapshot is frozen; daily ones are taken by the job."""

    list_display = ["partnership", "date", "period_end", "signed_off_by", "signed_off_at"]
    list_filter = [("signed_off_at", admin.EmptyFieldListFilter)]
    search_fields = ["partnership__acronym"]
    date_hierarchy = "date"
    list_select_related = ["partnership", "signed_off_by"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    """Read-only: written by the partnership's coordinators through the service."""

    list_display = ["title", "partnership", "kind", "date", "created_by"]
    list_filter = ["kind"]
    search_fields = ["title", "partnership__acronym"]
    date_hierarchy = "date"
    list_select_related = ["partnership", "created_by"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    """Read-only: an EC officer's flag and the coordinator's answer go through the service."""

    list_display = ["partnership", "flag", "state", "created_by", "created_at"]
    list_filter = ["flag", "state"]
    search_fields = ["partnership__acronym", "comment"]
    date_hierarchy = "created_at"
    list_select_related = ["partnership", "created_by"]
