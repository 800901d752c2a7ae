from django.urls import path, re_path

from . import member_views, views

app_name = "partnerships"

urlpatterns = [
    path("partnerships/", views.PartnershipListView.as_view(), name="partnership_list"),
    path(
        "partnerships/<int:pk>/", views.PartnershipDetailView.as_view(), name="partnership_detail"
    ),
    path(
        "partnerships/<int:pk>/edit/",
        views.PartnershipUpdateView.as_view(),
        name="partnership_edit",
    ),
    path(
        "partnerships/<int:pk>/history/",
        views.PartnershipHistoryView.as_view(),
        name="partnership_history",
    ),
    path(
        "partnerships/<int:pk>/partners/add/", views.PartnerCreateView.as_view(), name="partner_add"
    ),
    path("partners/<int:pk>/edit/", views.PartnerUpdateView.as_view(), name="partner_edit"),
    path("partners/<int:pk>/remove/", views.PartnerDeleteView.as_view(), name="partner_remove"),
    path("clusters/", views.ClusterListView.as_view(), name="cluster_list"),
    path("clusters/add/", views.ClusterCreateView.as_view(), name="cluster_add"),
    path("clusters/<int:pk>/", views.ClusterDetailView.as_view(), name="cluster_detail"),
    path("clusters/<int:pk>/edit/", views.ClusterUpdateView.as_view(), name="cluster_edit"),
    path(
        "clusters/<int:cluster_pk>/members/",
        member_views.MemberListView.as_view(),
        name="member_list",
    ),
    re_path(
        r"^clusters/(?P<cluster_pk>[0-9]+)/members/export\.(?P<fmt>csv|xlsx)$",
        member_views.MemberExportView.as_view(),
        name="member_export",
    ),
    re_path(
        r"^clusters/(?P<cluster_pk>[0-9]+)/members/template\.(?P<fmt>csv|xlsx)$",
        member_views.MemberTemplateView.as_view(),
        name="member_template",
    ),
    path(
        "clusters/<int:cluster_pk>/members/add/",
        member_views.MemberCreateView.as_view(),
        name="member_add",
    ),
    path(
        "clusters/<int:cluster_pk>/members/import/",
        member_views.MemberImportView.as_view(),
        name="member_import",
    ),
    path(
        "member-imports/<int:pk>/",
        member_views.MemberImportDetailView.as_view(),
        name="member_import_detail",
    ),
    path(
        "member-imports/<int:pk>/status/",
        member_views.MemberImportStatusView.as_view(),
        name="member_import_status",
    ),
    path("members/<int:pk>/", member_views.MemberDetailView.as_view(), name="member_detail"),
    path("members/<int:pk>/edit/", member_views.MemberUpdateView.as_view(), name="member_edit"),
    path("members/<int:pk>/remove/", member_views.MemberRemoveView.as_view(), name="member_remove"),
    path("members/<int:pk>/join/", member_views.MemberJoinView.as_view(), name="member_join"),
    path("members/<int:pk>/erase/", member_views.MemberEraseView.as_view(), name="member_erase"),
    path(
        "members/<int:pk>/personal-data/",
        member_views.MemberPersonalDataView.as_view(),
        name="member_personal_data",
    ),
]
