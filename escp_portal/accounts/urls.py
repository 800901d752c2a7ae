from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("tokens/", views.TokenListView.as_view(), name="tokens"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("invitations/", views.InvitationListView.as_view(), name="invitations"),
    path("invitations/new/", views.InviteView.as_view(), name="invite"),
    path(
        "invitations/<int:pk>/<slug:action>/",
        views.InvitationActionView.as_view(),
        name="invitation_action",
    ),
    path("invitation/<str:token>/", views.InvitationAnswerView.as_view(), name="invitation"),
    path("tokens/<str:token_key>/revoke/", views.TokenRevokeView.as_view(), name="token_revoke"),
]
