from django.urls import path, re_path

from . import views

app_name = "strategy"

urlpatterns = [
    path("partnerships/<int:pk>/strategy/", views.StrategyOverviewView.as_view(), name="overview"),
    path(
        "partnerships/<int:pk>/strategy/new/",
        views.StrategyCreateView.as_view(),
        name="strategy_create",
    ),
    path("strategies/<int:pk>/edit/", views.StrategyEditView.as_view(), name="strategy_edit"),
    re_path(
        r"^strategies/(?P<pk>[0-9]+)/(?P<action>adopt|revise)/$",
        views.StrategyActionView.as_view(),
        name="strategy_action",
    ),
    path(
        "strategies/<int:pk>/objectives/add/",
        views.ObjectiveCreateView.as_view(),
        name="objective_add",
    ),
    path("objectives/<int:pk>/", views.ObjectiveDetailView.as_view(), name="objective_detail"),
    path("objectives/<int:pk>/edit/", views.ObjectiveEditView.as_view(), name="objective_edit"),
    path("objectives/<int:pk>/kpis/add/", views.KPICreateView.as_view(), name="kpi_add"),
    path("objectives/<int:pk>/tasks/add/", views.TaskCreateView.as_view(), name="task_add"),
    path("kpis/<int:pk>/", views.KPIDetailView.as_view(), name="kpi_detail"),
    path("kpis/<int:pk>/edit/", views.KPIEditView.as_view(), name="kpi_edit"),
    path("kpis/<int:pk>/report/", views.ReportView.as_view(), name="kpi_report"),
    path("measurements/<int:pk>/review/", views.ReviewView.as_view(), name="measurement_review"),
    path("tasks/<int:pk>/edit/", views.TaskEditView.as_view(), name="task_edit"),
    path("measurements/<int:pk>/evidence/", views.EvidenceView.as_view(), name="evidence"),
    path("partnerships/<int:pk>/reporting/", views.ReportingView.as_view(), name="reporting"),
    path(
        "partnerships/<int:pk>/indicators.xlsx",
        views.IndicatorTableView.as_view(),
        name="indicators",
    ),
    path(
        "partnerships/<int:pk>/value-chains/",
        views.ValueChainListView.as_view(),
        name="value_chains",
    ),
    path("value-chains/<int:pk>/", views.ValueChainView.as_view(), name="value_chain"),
    path("partnerships/<int:pk>/markets/", views.TargetMarketListView.as_view(), name="markets"),
    path("target-markets/<int:pk>/", views.TargetMarketView.as_view(), name="market"),
]
