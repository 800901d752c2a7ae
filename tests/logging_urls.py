"""The portal's URLs and one page that fails, for the error-reporting test."""

from django.urls import include, path


def fail(request):
    raise RuntimeError("a page failed on purpose")


urlpatterns = [
    path("fail-on-purpose/", fail),
    path("", include("escp_portal.urls")),
]
handler500 = "escp_portal.views.server_error"
