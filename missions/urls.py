from django.urls import path, re_path

from . import views

app_name = "missions"

urlpatterns = [
    path("missions/", views.MissionCalendarView.as_view(), name="calendar"),
    path("missions/overlaps/", views.OverlapView.as_view(), name="overlaps"),
    path("missions/<int:pk>/", views.MissionDetailView.as_view(), name="mission_detail"),
    path("missions/<int:mission_pk>/edit/", views.MissionFormView.as_view(), name="mission_edit"),
    path("missions/<int:pk>/mission.ics", views.MissionIcsView.as_view(), name="mission_ics"),
    path(
        "partnerships/<int:pk>/missions/add/", views.MissionFormView.as_view(), name="mission_add"
    ),
    path("partnerships/<int:pk>/outcomes/", views.OutcomeListView.as_view(), name="outcomes"),
    path(
        "partnerships/<int:pk>/export-groups/",
        views.ExportGroupListView.as_view(),
        name="export_groups",
    ),
    re_path(
        r"^participations/(?P<pk>[0-9]+)/(?P<action>confirm|cancel|attended)/$",
        views.ParticipationActionView.as_view(),
        name="participation_action",
    ),
    # --- B2B meetings at a mission, and each participant's agenda ---
    path("missions/<int:pk>/meetings/", views.MeetingsView.as_view(), name="meetings"),
    path(
        "missions/<int:pk>/meetings/schedule/",
        views.MeetingScheduleView.as_view(),
        name="meetings_schedule",
    ),
    path(
        "missions/<int:pk>/meetings/settings/",
        views.MeetingSettingsView.as_view(),
        name="meeting_settings_edit",
    ),
    path(
        "missions/<int:pk>/counterparts/add/",
        views.CounterpartView.as_view(),
        name="counterpart_add",
    ),
    path(
        "counterparts/<int:pk>/edit/",
        views.CounterpartView.as_view(edit=True),
        name="counterpart_edit",
    ),
    path("participations/<int:pk>/offers/", views.MeetingProfileView.as_view(), name="offers_edit"),
    path("participations/<int:pk>/agenda/", views.AgendaView.as_view(), name="agenda"),
    path("participations/<int:pk>/agenda.pdf", views.AgendaPdfView.as_view(), name="agenda_pdf"),
    path("participations/<int:pk>/agenda.ics", views.AgendaIcsView.as_view(), name="agenda_ics"),
    re_path(
        r"^meetings/(?P<pk>[0-9]+)/(?P<action>accept|decline|withdraw)/$",
        views.MeetingActionView.as_view(),
        name="meeting_action",
    ),
    path(
        "meetings/<int:pk>/follow-up/",
        views.FollowUpView.as_view(),
        name="meeting_follow_up_edit",
    ),
    path("meetings/<int:pk>/outcome/", views.MeetingOutcomeView.as_view(), name="meeting_outcome"),
    path("calendar/<str:token>.ics", views.FeedView.as_view(), name="feed"),
    path(
        "calendar/<str:token>/partnerships/<int:pk>.ics",
        views.FeedView.as_view(),
        name="partnership_feed",
    ),
]
