from django.urls import path, re_path

from .views import consent, directory, expectations, members, partnerships

app_name = "partnerships"

urlpatterns = [
    path("partnerships/", directory.PartnershipListView.as_view(), name="partnership_list"),
    path(
        "partnerships/<int:pk>/",
        partnerships.PartnershipDetailView.as_view(),
        name="partnership_detail",
    ),
    path(
        "partnerships/<int:pk>/edit/",
        partnerships.PartnershipUpdateView.as_view(),
        name="partnership_edit",
    ),
    path(
        "partnerships/<int:pk>/history/",
        partnerships.PartnershipHistoryView.as_view(),
        name="partnership_history",
    ),
    path(
        "partnerships/<int:pk>/partners/add/",
        partnerships.PartnerCreateView.as_view(),
        name="partner_add",
    ),
    path("partners/<int:pk>/edit/", partnerships.PartnerUpdateView.as_view(), name="partner_edit"),
    path(
        "partners/<int:pk>/remove/", partnerships.PartnerDeleteView.as_view(), name="partner_remove"
    ),
    path("invitations/", consent.InvitationsView.as_view(), name="invitations"),
    path(
        "partner-invitations/<int:pk>/<slug:action>/",
        consent.PartnerInvitationActionView.as_view(),
        name="partner_invitation_action",
    ),
    path(
        "partners/<int:pk>/end-sharing/",
        consent.PartnerEndSharingView.as_view(),
        name="partner_end_sharing",
    ),
    path("clusters/", directory.ClusterListView.as_view(), name="cluster_list"),
    path("clusters/add/", directory.ClusterCreateView.as_view(), name="cluster_add"),
    path("clusters/<int:pk>/", directory.ClusterDetailView.as_view(), name="cluster_detail"),
    path("clusters/<int:pk>/edit/", directory.ClusterUpdateView.as_view(), name="cluster_edit"),
    path(
        "clusters/<int:cluster_pk>/members/",
        members.MemberListView.as_view(),
        name="member_list",
    ),
    re_path(
        r"^clusters/(?P<cluster_pk>[0-9]+)/members/export\.(?P<fmt>csv|xlsx)$",
        members.MemberExportView.as_view(),
        name="member_export",
    ),
    re_path(
        r"^clusters/(?P<cluster_pk>[0-9]+)/members/template\.(?P<fmt>csv|xlsx)$",
        members.MemberTemplateView.as_view(),
        name="member_template",
    ),
    path(
        "clusters/<int:cluster_pk>/members/add/",
        members.MemberCreateView.as_view(),
        name="member_add",
    ),
    path(
        "clusters/<int:cluster_pk>/members/import/",
        members.MemberImportView.as_view(),
        name="member_import",
    ),
    path(
        "member-imports/<int:pk>/",
        members.MemberImportDetailView.as_view(),
        name="member_import_detail",
    ),
    path(
        "member-imports/<int:pk>/status/",
        members.MemberImportStatusView.as_view(),
        name="member_import_status",
    ),
    path("members/<int:pk>/", members.MemberDetailView.as_view(), name="member_detail"),
    path("members/<int:pk>/edit/", members.MemberUpdateView.as_view(), name="member_edit"),
    path("members/<int:pk>/remove/", members.MemberRemoveView.as_view(), name="member_remove"),
    path("members/<int:pk>/join/", members.MemberJoinView.as_view(), name="member_join"),
    path("members/<int:pk>/erase/", members.MemberEraseView.as_view(), name="member_erase"),
    path(
        "members/<int:pk>/personal-data/",
        members.MemberPersonalDataView.as_view(),
        name="member_personal_data",
    ),
    # --- expectations and commitments of the partners (issue #20: action 7) ---
    path(
        "partnerships/<int:pk>/expectations/",
        expectations.ExpectationListView.as_view(),
        name="expectations",
    ),
    path(
        "partners/<int:pk>/expectations/add/",
        expectations.ExpectationCreateView.as_view(),
        name="expectation_add",
    ),
    path(
        "expectations/<int:pk>/edit/",
        expectations.ExpectationEditView.as_view(),
        name="expectation_edit",
    ),
]
