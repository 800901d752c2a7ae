from django.urls import path

from .views import brokers, investment

app_name = "opportunities"

urlpatterns = [
    path("partnerships/<int:pk>/brokers/", brokers.BrokerListView.as_view(), name="brokers"),
    path("brokers/<int:pk>/edit/", brokers.BrokerEditView.as_view(), name="broker_edit"),
    path("brokers/<int:pk>/erase/", brokers.BrokerEraseView.as_view(), name="broker_erase"),
    path(
        "partnerships/<int:pk>/opportunities/",
        brokers.OpportunityListView.as_view(),
        name="opportunities",
    ),
    path(
        "partnerships/<int:pk>/opportunities/add/",
        brokers.OpportunityAddView.as_view(),
        name="opportunity_add",
    ),
    path(
        "opportunities/<int:pk>/edit/",
        brokers.OpportunityEditView.as_view(),
        name="opportunity_edit",
    ),
    path(
        "opportunities/<int:pk>/agreement/",
        brokers.OpportunityAgreeView.as_view(),
        name="opportunity_agree",
    ),
    path(
        "partnerships/<int:pk>/investors/",
        investment.InvestorListView.as_view(),
        name="investors",
    ),
    path("investors/<int:pk>/edit/", investment.InvestorEditView.as_view(), name="investor_edit"),
    path(
        "investors/<int:pk>/erase/", investment.InvestorEraseView.as_view(), name="investor_erase"
    ),
    path(
        "partnerships/<int:pk>/investment-projects/",
        investment.ProjectListView.as_view(),
        name="projects",
    ),
    path(
        "investment-projects/<int:pk>/edit/",
        investment.ProjectEditView.as_view(),
        name="project_edit",
    ),
]
