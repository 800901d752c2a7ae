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
    path("calendar/<str:token>.ics", views.FeedView.as_view(), name="feed"),
    path(
        "calendar/<str:token>/partnerships/<int:pk>.ics",
        views.FeedView.as_view(),
        name="partnership_feed",
    ),
]
