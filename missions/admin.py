"""Missions, registrations, outcomes, export groups, B2B meetings and sent reminders for staff,
read-only: they
are written through the services (``missions.services``), which check the rules (capacity,
waiting list, deadlines, who may register whom) and keep the audit trail; an edit here would pass
around them."""

from django.contrib import admin

from escp_portal.admin import ReadOnlyAdmin

from .models import (
    ExportGroup,
    LocalCounterpart,
    Meeting,
    MeetingNotice,
    MeetingProfile,
    Mission,
    Outcome,
    Participation,
    ReminderLog,
)


@admin.register(Mission)
class MissionAdmin(ReadOnlyAdmin):
    """Read-only: missions are planned by coordinators through the mission service."""

    list_display = ["title", "partnership", "country", "start_date", "end_date", "status"]
    list_filter = ["status", "kind", "country"]
    search_fields = ["title", "partnership__acronym", "city"]
    date_hierarchy = "start_date"
    list_select_related = ["partnership"]


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    """Read-only: registrations go through the service that applies capacity and the waiting
    list."""

    list_display = ["mission", "cluster", "member", "status", "registered_by", "registered_at"]
    list_filter = ["status"]
    search_fields = ["mission__title", "cluster__name", "member__name"]
    date_hierarchy = "registered_at"
    list_select_related = ["mission", "cluster", "member", "registered_by"]


@admin.register(Outcome)
class OutcomeAdmin(ReadOnlyAdmin):
    """Read-only: outcomes feed KPIs and the scoreboard; they are recorded through the
    service."""

    list_display = ["partnership", "kind", "counterpart", "counterpart_country", "date", "value"]
    list_filter = ["kind", "counterpart_country"]
    search_fields = ["partnership__acronym", "counterpart"]
    date_hierarchy = "date"
    list_select_related = ["partnership"]


@admin.register(ExportGroup)
class ExportGroupAdmin(ReadOnlyAdmin):
    """Read-only: export groups name members; they are kept through the service."""

    list_display = ["name", "partnership", "created_at"]
    search_fields = ["name", "partnership__acronym"]
    list_filter = ["partnership__programme"]
    date_hierarchy = "created_at"
    list_select_related = ["partnership"]


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    """Read-only: the log is what makes each reminder go out once; an edit would resend or
    silence one."""

    list_display = ["mission", "recipient", "kind", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["mission__title", "recipient__email"]
    date_hierarchy = "sent_at"
    list_select_related = ["mission", "recipient"]


@admin.register(MeetingProfile)
class MeetingProfileAdmin(ReadOnlyAdmin):
    """Read-only: a participant's side writes its offers and seeks through the service."""

    list_display = ["participation", "updated_at"]
    search_fields = ["participation__member__name", "participation__mission__title"]
    list_select_related = [
        "participation__member",
        "participation__cluster",
        "participation__mission",
    ]


@admin.register(LocalCounterpart)
class LocalCounterpartAdmin(ReadOnlyAdmin):
    """Read-only: the organiser's side enters counterparts through the service."""

    list_display = ["name", "mission", "country", "kind"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "mission__title"]
    list_select_related = ["mission"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    """Read-only: requests, answers and slots go through the services, which check who may ask
    and answer and that nobody is booked twice."""

    list_display = ["mission", "state", "starts_at", "table", "took_place", "follow_up"]
    list_filter = ["state", "follow_up"]
    search_fields = ["mission__title"]
    date_hierarchy = "requested_at"
    list_select_related = ["mission"]


@admin.register(MeetingNotice)
class MeetingNoticeAdmin(ReadOnlyAdmin):
    """Read-only: the log is what makes each meeting email go out once."""

    list_display = ["meeting_id", "recipient", "kind", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__email"]
    date_hierarchy = "sent_at"
    list_select_related = ["recipient"]
