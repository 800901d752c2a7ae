"""Missions, registrations, outcomes and sent reminders for staff, read-only: they are written
through the services (``missions.services``), which check the rules and keep the audit trail."""

from django.contrib import admin

from escp_portal.admin import ReadOnlyAdmin

from .models import Mission, Outcome, Participation, ReminderLog


@admin.register(Mission)
class MissionAdmin(ReadOnlyAdmin):
    list_display = ["title", "partnership", "country", "start_date", "end_date", "status"]
    list_filter = ["status", "kind", "country"]
    search_fields = ["title", "partnership__acronym", "city"]
    date_hierarchy = "start_date"
    list_select_related = ["partnership"]


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    list_display = ["mission", "cluster", "member", "status", "registered_at"]
    list_filter = ["status"]
    search_fields = ["mission__title", "cluster__name", "member__name"]
    list_select_related = ["mission", "cluster", "member"]


@admin.register(Outcome)
class OutcomeAdmin(ReadOnlyAdmin):
    list_display = ["partnership", "kind", "counterpart", "counterpart_country", "date", "value"]
    list_filter = ["kind", "counterpart_country"]
    search_fields = ["partnership__acronym", "counterpart"]
    date_hierarchy = "date"
    list_select_related = ["partnership"]


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ["mission", "recipient", "kind", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["mission__title", "recipient__email"]
    list_select_related = ["mission", "recipient"]
