from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("webhooks/", views.SubscriptionListView.as_view(), name="list"),
    path("webhooks/<int:pk>/", views.SubscriptionDetailView.as_view(), name="detail"),
    path(
        "webhooks/<int:pk>/deliveries/<int:delivery_id>/redeliver/",
        views.RedeliverView.as_view(),
        name="redeliver",
    ),
    path("webhooks/<int:pk>/<slug:action>/", views.SubscriptionActionView.as_view(), name="action"),
]
