from django.urls import path, re_path

from .views import coordination, markets, reporting, roadmap, trademark, value_chain, versions

app_name = "strategy"

urlpatterns = [
    path(
        "partnerships/<int:pk>/strategy/", versions.StrategyOverviewView.as_view(), name="overview"
    ),
    path(
        "partnerships/<int:pk>/strategy/new/",
        versions.StrategyCreateView.as_view(),
        name="strategy_create",
    ),
    path("strategies/<int:pk>/edit/", versions.StrategyEditView.as_view(), name="strategy_edit"),
    re_path(
        r"^strategies/(?P<pk>[0-9]+)/(?P<action>adopt|revise|share)/$",
        versions.StrategyActionView.as_view(),
        name="strategy_action",
    ),
    path(
        "strategies/<int:pk>/objectives/add/",
        versions.ObjectiveCreateView.as_view(),
        name="objective_add",
    ),
    path("objectives/<int:pk>/", versions.ObjectiveDetailView.as_view(), name="objective_detail"),
    path("objectives/<int:pk>/edit/", versions.ObjectiveEditView.as_view(), name="objective_edit"),
    path("objectives/<int:pk>/kpis/add/", reporting.KPICreateView.as_view(), name="kpi_add"),
    path("objectives/<int:pk>/tasks/add/", roadmap.TaskCreateView.as_view(), name="task_add"),
    path("kpis/<int:pk>/", reporting.KPIDetailView.as_view(), name="kpi_detail"),
    path("kpis/<int:pk>/edit/", reporting.KPIEditView.as_view(), name="kpi_edit"),
    path("kpis/<int:pk>/milestones/", reporting.MilestoneView.as_view(), name="kpi_milestones"),
    path("kpis/<int:pk>/report/", reporting.ReportView.as_view(), name="kpi_report"),
    path(
        "measurements/<int:pk>/review/", reporting.ReviewView.as_view(), name="measurement_review"
    ),
    path("tasks/<int:pk>/edit/", roadmap.TaskEditView.as_view(), name="task_edit"),
    path("measurements/<int:pk>/evidence/", reporting.EvidenceView.as_view(), name="evidence"),
    path("partnerships/<int:pk>/reporting/", reporting.ReportingView.as_view(), name="reporting"),
    path(
        "partnerships/<int:pk>/indicators.xlsx",
        reporting.IndicatorTableView.as_view(),
        name="indicators",
    ),
    path(
        "partnerships/<int:pk>/value-chains/",
        value_chain.ValueChainListView.as_view(),
        name="value_chains",
    ),
    path("value-chains/<int:pk>/", value_chain.ValueChainView.as_view(), name="value_chain"),
    path("partnerships/<int:pk>/markets/", markets.TargetMarketListView.as_view(), name="markets"),
    path("target-markets/<int:pk>/", markets.TargetMarketView.as_view(), name="market"),
    # --- inclusive coordination, balance, collective trademark (issue #20: actions 2, 7, 13) ---
    path(
        "strategies/<int:pk>/feedback/",
        coordination.FeedbackView.as_view(),
        name="strategy_feedback",
    ),
    path(
        "partnerships/<int:pk>/meetings/",
        coordination.MeetingListView.as_view(),
        name="coordination_meetings",
    ),
    path(
        "partnerships/<int:pk>/meetings/add/",
        coordination.MeetingCreateView.as_view(),
        name="coordination_meeting_add",
    ),
    path(
        "partnership-meetings/<int:pk>/",
        coordination.MeetingDetailView.as_view(),
        name="coordination_meeting",
    ),
    path(
        "partnership-meetings/<int:pk>/edit/",
        coordination.MeetingEditView.as_view(),
        name="coordination_meeting_edit",
    ),
    path(
        "partnership-meetings/<int:pk>/decisions/add/",
        coordination.DecisionCreateView.as_view(),
        name="decision_add",
    ),
    path("partnerships/<int:pk>/balance/", coordination.BalanceView.as_view(), name="balance"),
    path(
        "partnerships/<int:pk>/trademarks/",
        trademark.TrademarkListView.as_view(),
        name="trademarks",
    ),
    path(
        "partnerships/<int:pk>/trademarks/start/",
        trademark.TrademarkStartView.as_view(),
        name="trademark_start",
    ),
    path("trademarks/<int:pk>/", trademark.TrademarkView.as_view(), name="trademark"),
    path(
        "trademarks/<int:pk>/licences/add/",
        trademark.LicenceCreateView.as_view(),
        name="licence_add",
    ),
]
