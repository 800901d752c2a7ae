from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from escp_portal.accounts import api as accounts_api
from escp_portal.sync import api as sync_api
from escp_portal.webhooks import api as webhooks_api
from evaluation import api as evaluation_api
from funding import api as funding_api
from matchmaking.api import profiles as matchmaking_profiles
from matchmaking.api import requests as matchmaking_requests
from matchmaking.api import search as matchmaking_search
from missions import api as missions_api
from opportunities.api import brokers as opportunities_brokers
from opportunities.api import investment as opportunities_investment
from partnerships.api import consent as partnerships_consent
from partnerships.api import expectations as partnerships_expectations
from partnerships.api import viewsets as partnerships_api
from strategy import api as strategy_api

app_name = "api"

router = DefaultRouter()
router.register("programmes", partnerships_api.ProgrammeViewSet, basename="programme")
router.register("partnerships", partnerships_api.PartnershipViewSet, basename="partnership")
router.register("clusters", partnerships_api.ClusterViewSet, basename="cluster")
router.register("partners", partnerships_api.PartnerViewSet, basename="partner")
# Consent and invitations: partner invitations first, so that "partners" is not read as an id.
router.register(
    "invitations/partners",
    partnerships_consent.PartnerInvitationViewSet,
    basename="partnerinvitation",
)
router.register("invitations", accounts_api.InvitationViewSet, basename="invitation")
router.register("members", partnerships_api.MemberViewSet, basename="member")
router.register("strategies", strategy_api.StrategyViewSet, basename="strategy")
router.register("objectives", strategy_api.ObjectiveViewSet, basename="objective")
router.register("kpis", strategy_api.KPIViewSet, basename="kpi")
router.register("measurements", strategy_api.MeasurementViewSet, basename="measurement")
router.register("tasks", strategy_api.TaskViewSet, basename="task")
router.register("target-markets", strategy_api.TargetMarketViewSet, basename="targetmarket")
router.register("market-studies", strategy_api.MarketStudyViewSet, basename="marketstudy")
router.register("value-chains", strategy_api.ValueChainViewSet, basename="valuechain")
router.register("missions", missions_api.MissionViewSet, basename="mission")
router.register("participations", missions_api.ParticipationViewSet, basename="participation")
router.register("outcomes", missions_api.OutcomeViewSet, basename="outcome")
router.register("export-groups", missions_api.ExportGroupViewSet, basename="exportgroup")
# B2B meetings at missions: offers and seeks, local counterparts, the meetings themselves.
router.register("meeting-profiles", missions_api.MeetingProfileViewSet, basename="meetingprofile")
router.register("counterparts", missions_api.LocalCounterpartViewSet, basename="counterpart")
router.register("meetings", missions_api.MeetingViewSet, basename="meeting")
# Finding partners (matchmaking).
router.register(
    "findable-profiles", matchmaking_profiles.FindableProfileViewSet, basename="findableprofile"
)
router.register(
    "contact-requests", matchmaking_requests.ContactRequestViewSet, basename="contactrequest"
)
router.register(
    "partner-requests", matchmaking_requests.PartnerRequestViewSet, basename="partnerrequest"
)
# Vouchers and EU funding.
router.register("voucher-schemes", funding_api.VoucherSchemeViewSet, basename="voucherscheme")
router.register("vouchers", funding_api.VoucherViewSet, basename="voucher")
router.register("funding-calls", funding_api.FundingCallViewSet, basename="fundingcall")
# --- brokers, opportunities, investors and joint investment projects (opportunities) ---
router.register("brokers", opportunities_brokers.BrokerViewSet, basename="broker")
router.register("opportunities", opportunities_brokers.OpportunityViewSet, basename="opportunity")
router.register(
    "investor-contacts", opportunities_investment.InvestorContactViewSet, basename="investorcontact"
)
router.register(
    "investment-projects",
    opportunities_investment.InvestmentProjectViewSet,
    basename="investmentproject",
)
# Inclusive coordination, balanced partnership, collective trademark (issue #20).
router.register(
    "strategy-feedback", strategy_api.StrategyFeedbackViewSet, basename="strategyfeedback"
)
router.register(
    "partnership-meetings", strategy_api.PartnershipMeetingViewSet, basename="partnershipmeeting"
)
router.register("decisions", strategy_api.DecisionViewSet, basename="decision")
router.register(
    "partner-expectations",
    partnerships_expectations.PartnerExpectationViewSet,
    basename="partnerexpectation",
)
router.register("trademarks", strategy_api.TrademarkViewSet, basename="trademark")
router.register(
    "trademark-licences", strategy_api.TrademarkLicenceViewSet, basename="trademarklicence"
)
# Incremental sync: what was deleted since a moment (the lists give what changed: updated_since).
router.register("deletions", sync_api.DeletionViewSet, basename="deletion")
router.register("auth/tokens", accounts_api.AuthTokenViewSet, basename="token")
router.register("role-assignments", accounts_api.RoleAssignmentViewSet, basename="roleassignment")
# Webhooks: the caller's subscriptions, their delivery log, redelivery, resume and ping.
router.register("webhooks", webhooks_api.SubscriptionViewSet, basename="webhook")

urlpatterns = [
    path("auth/token/", accounts_api.TokenView.as_view(), name="auth-token"),
    path("me/", accounts_api.MeView.as_view(), name="me"),
    path(
        "scoreboards/<int:partnership_id>/",
        evaluation_api.ScoreboardAPIView.as_view(),
        name="scoreboard",
    ),
    path("balance/<int:partnership_id>/", strategy_api.BalanceAPIView.as_view(), name="balance"),
    path("statistics/", evaluation_api.StatisticsAPIView.as_view(), name="statistics"),
    path("core-indicators/", evaluation_api.CoreIndicatorAPIView.as_view(), name="core-indicators"),
    path("oversight/", evaluation_api.OversightAPIView.as_view(), name="oversight"),
    path(
        "partner-search/",
        matchmaking_search.PartnerSearchView.as_view(),
        name="partner-search",
    ),
    path(
        "funding-calls/matching/<int:partnership_id>/",
        funding_api.PartnershipCallsAPIView.as_view(),
        name="funding-call-matching",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
