from django.urls import path

from .views import contact, profiles, search, suggestions, wanted

app_name = "matchmaking"

urlpatterns = [
    path("find/", search.PartnerSearchView.as_view(), name="search"),
    path(
        "find/clusters/<int:cluster_pk>/findable/",
        profiles.ClusterFindabilityView.as_view(),
        name="findability",
    ),
    path("find/profiles/<int:pk>/edit/", profiles.ProfileEditView.as_view(), name="profile_edit"),
    path(
        "find/members/<int:member_pk>/contact/",
        contact.ContactRequestCreateView.as_view(),
        name="contact_request_create",
    ),
    path("find/requests/sent/", contact.ContactRequestListView.as_view(), name="contact_requests"),
    path(
        "find/requests/received/",
        contact.ContactRequestListView.as_view(received=True),
        name="contact_requests_received",
    ),
    path(
        "find/requests/<int:pk>/",
        contact.ContactRequestDetailView.as_view(),
        name="contact_request_detail",
    ),
    path("find/wanted/", wanted.PartnerRequestListView.as_view(), name="partner_requests"),
    path("find/wanted/add/", wanted.PartnerRequestFormView.as_view(), name="partner_request_add"),
    path(
        "find/wanted/<int:pk>/",
        wanted.PartnerRequestDetailView.as_view(),
        name="partner_request_detail",
    ),
    path(
        "find/wanted/<int:pk>/edit/",
        wanted.PartnerRequestFormView.as_view(),
        name="partner_request_edit",
    ),
    path(
        "find/wanted/<int:pk>/close/",
        wanted.PartnerRequestCloseView.as_view(),
        name="partner_request_close",
    ),
    path(
        "find/stages/<int:pk>/suggestion/",
        suggestions.GapActionView.as_view(),
        name="gap_action",
    ),
    path(
        "partnerships/<int:pk>/export-groups/suggestions/",
        suggestions.ExportGroupSuggestionsView.as_view(),
        name="export_group_suggestions",
    ),
]
