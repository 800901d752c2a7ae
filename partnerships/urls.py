from django.urls import path

from . import views

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
]
