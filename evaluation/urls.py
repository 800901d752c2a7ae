from django.urls import path, re_path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("partnerships/<int:pk>/scoreboard/", views.ScoreboardView.as_view(), name="scoreboard"),
    re_path(
        r"^partnerships/(?P<pk>[0-9]+)/scoreboard\.(?P<fmt>xlsx|pdf)$",
        views.ScoreboardExportView.as_view(),
        name="scoreboard_export",
    ),
    path("partnerships/<int:pk>/targets/", views.TargetTableView.as_view(), name="targets"),
    path(
        "partnerships/<int:pk>/targets.xlsx",
        views.TargetTableExportView.as_view(),
        name="targets_export",
    ),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path(
        "statistics/core-indicators/",
        views.CoreIndicatorRollupView.as_view(),
        name="core_indicators",
    ),
    path(
        "statistics/core-indicators.<str:fmt>",
        views.CoreIndicatorRollupView.as_view(),
        name="core_indicators_export",
    ),
    path("oversight/", views.OversightView.as_view(), name="oversight"),
    re_path(
        r"^oversight\.(?P<fmt>xlsx|csv)$",
        views.OversightExportView.as_view(),
        name="oversight_export",
    ),
    path("kpis/<int:pk>/review/", views.ReviewCreateView.as_view(), name="review_create"),
]
