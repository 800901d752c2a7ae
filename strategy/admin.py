"""Strategies, KPIs and reported values for staff, read-only: they are written through the
services (``strategy.services``), which check the rules and keep the audit trail."""

from django.contrib import admin

from escp_portal.admin import ReadOnlyAdmin

from .models import KPI, Measurement, Strategy


@admin.register(Strategy)
class StrategyAdmin(ReadOnlyAdmin):
    list_display = ["partnership", "version", "status"]
    list_filter = ["status"]
    search_fields = ["partnership__acronym"]
    list_select_related = ["partnership"]


@admin.register(KPI)
class KPIAdmin(ReadOnlyAdmin):
    list_display = ["name", "objective", "unit", "kind", "frequency", "target_value"]
    list_filter = ["kind", "frequency"]
    search_fields = ["name", "objective__strategy__partnership__acronym"]
    list_select_related = ["objective__strategy__partnership"]


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyAdmin):
    list_display = ["kpi", "period_end", "partner", "value", "status", "reported_at"]
    list_filter = ["status"]
    search_fields = ["kpi__name", "kpi__objective__strategy__partnership__acronym"]
    date_hierarchy = "period_end"
    list_select_related = ["kpi", "partner__cluster"]
