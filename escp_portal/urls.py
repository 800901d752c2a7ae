from django.contrib import admin
from django.urls import include, path

from escp_portal import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("health/", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("choices/<slug:kind>/", views.choices, name="choices"),
    path("accounts/", include("escp_portal.accounts.urls")),
    path("", include("escp_portal.webhooks.urls")),
    path("api/v1/", include("escp_portal.api.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("partnerships.urls")),
    path("", include("strategy.urls")),
    path("", include("missions.urls")),
    path("", include("matchmaking.urls")),
    path("", include("funding.urls")),
    path("", include("opportunities.urls")),
    path("", include("evaluation.urls")),
]

handler404 = "escp_portal.views.page_not_found"
handler500 = "escp_portal.views.server_error"
