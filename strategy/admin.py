"""Strategies, KPIs, reported values, corrections, period locks and reporting reminders for
staff, read-only: they are written through the services (``strategy.services``), which check
the rules (SMART check, period locks, who reports what) and keep the audit trail."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from escp_portal.admin import ReadOnlyAdmin

from .models import (
    KPI,
    CoreIndicator,
    Measurement,
    MeasurementRevision,
    PeriodLock,
    ReportingReminder,
    Strategy,
)


@admin.register(Strategy)
class StrategyAdmin(ReadOnlyAdmin):
    """Read-only: versions are drafted and adopted through the strategy service."""

    list_display = ["partnership", "version", "status"]
    list_filter = ["status"]
    search_fields = ["partnership__acronym"]
    list_select_related = ["partnership"]


@admin.register(CoreIndicator)
class CoreIndicatorAdmin(admin.ModelAdmin):
    """Editable: the programme's indicator set is reference data staff keep; an indicator in
    use is retired (closed for new links), never deleted (the KPIs protect it)."""

    list_display = ["code", "name", "unit", "aggregation", "order", "active"]
    list_filter = ["aggregation", "active"]
    search_fields = ["code", "name"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(KPI)
class KPIAdmin(ReadOnlyAdmin):
    """Read-only: KPIs belong to a strategy version and its SMART check."""

    list_display = ["name", "objective", "unit", "kind", "frequency", "target_value"]
    list_filter = ["kind", "frequency"]
    search_fields = ["name", "objective__strategy__partnership__acronym"]
    list_select_related = ["objective__strategy__partnership"]


def evidence_link(file, url: str):
    """An evidence file as the portal's own download (its access check), never the storage's
    address: MEDIA_URL, which nothing serves, or a bucket's signed link (DJANGO_MEDIA_STORAGE)."""
    if not file:
        return "-"
    return format_html('<a href="{}">{}</a>', url, file.name.rsplit("/", 1)[-1])


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyAdmin):
    """Read-only: reported values are corrected through the service, which keeps the earlier
    value and the reason (a revision) and respects period locks."""

    exclude = ["evidence_file"]
    readonly_fields = ["evidence"]
    list_display = ["kpi", "period_end", "partner", "value", "status", "reported_at"]
    list_filter = ["status"]
    search_fields = ["kpi__name", "kpi__objective__strategy__partnership__acronym"]
    date_hierarchy = "period_end"
    list_select_related = ["kpi", "partner__cluster", "partner__partnership"]

    @admin.display(description=_("evidence (file)"))
    def evidence(self, obj):
        return evidence_link(obj.evidence_file, reverse("strategy:evidence", args=[obj.pk]))


@admin.register(MeasurementRevision)
class MeasurementRevisionAdmin(ReadOnlyAdmin):
    """Read-only: a revision is the record of a correction."""

    exclude = ["old_evidence_file"]
    readonly_fields = ["old_evidence"]
    list_display = ["measurement", "old_value", "new_value", "old_status", "changed_by"]
    search_fields = ["measurement__kpi__name", "reason", "changed_by__email"]
    list_filter = ["old_status"]
    date_hierarchy = "changed_at"
    list_select_related = ["measurement__kpi", "changed_by"]

    @admin.display(description=_("evidence (file) before the correction"))
    def old_evidence(self, obj):
        url = reverse("strategy:evidence", args=[obj.measurement_id])
        return evidence_link(obj.old_evidence_file, f"{url}?revision={obj.pk}")


@admin.register(PeriodLock)
class PeriodLockAdmin(ReadOnlyAdmin):
    """Read-only: a closed period is opened again only through the service, by its
    coordinator."""

    list_display = ["partnership", "period_end", "locked_by", "locked_at"]
    search_fields = ["partnership__acronym"]
    date_hierarchy = "period_end"
    list_select_related = ["partnership", "locked_by"]


@admin.register(ReportingReminder)
class ReportingReminderAdmin(ReadOnlyAdmin):
    """Read-only: the log is what makes each overdue-report reminder go out once."""

    list_display = ["kpi", "period_end", "recipients", "sent_at"]
    search_fields = ["kpi__name", "kpi__objective__strategy__partnership__acronym"]
    date_hierarchy = "sent_at"
    list_select_related = ["kpi"]
