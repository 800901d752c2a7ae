from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from knox.models import AuthToken

from . import services
from .forms import LoginForm, PasswordResetForm, PreferencesForm, SetPasswordForm
from .policy import visible_to


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out login gets (django-axes' ``AXES_LOCKOUT_CALLABLE``): a 429 with
    ``Retry-After``; on the API in its JSON error shape, on pages the lockout page."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    retry_after = str(int(cool_off.total_seconds())) if cool_off else None
    if request.path.startswith("/api/"):
        detail = _("Too many failed attempts. Try again in 15 minutes.")
        response = JsonResponse({"status": 429, "code": "locked_out", "detail": detail}, status=429)
    else:
        response = render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
    if retry_after:
        response["Retry-After"] = retry_after
    return response


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class TokenListView(LoginRequiredMixin, TemplateView):
    """The user's API tokens: issue a new one (shown once), see and revoke the others."""

    template_name = "accounts/tokens.html"

    def get_context_data(self, **kwargs):
        tokens = visible_to(AuthToken.objects.order_by("-created"), self.request.user)
        new_token = self.request.session.pop("new_api_token", None)
        return super().get_context_data(tokens=tokens, new_token=new_token, **kwargs)

    def post(self, request):
        try:
            _instance, token = services.token_create(actor=request.user)
        except services.TokenLimitReached as exc:
            messages.error(request, exc.args[0])
            return redirect("accounts:tokens")
        # Shown on the next page once, then gone: only the digest is stored.
        request.session["new_api_token"] = token
        return redirect("accounts:tokens")


class TokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, token_key):
        token = get_object_or_404(
            visible_to(AuthToken.objects.all(), request.user), token_key=token_key
        )
        services.token_revoke(actor=request.user, token=token)
        messages.success(request, _("The token was revoked."))
        return redirect("accounts:tokens")


class PreferencesView(LoginRequiredMixin, FormView):
    """Which reminders to receive, and the secret address of the user's calendar feed."""

    template_name = "accounts/preferences.html"
    form_class = PreferencesForm
    success_url = reverse_lazy("accounts:preferences")

    def get_initial(self):
        return {
            "muted_reminders": self.request.user.muted_reminders,
            "language": self.request.user.language,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(token=self.request.user.calendar_token, **kwargs)

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "feed":
            services.calendar_token_renew(actor=request.user)
            messages.success(
                request, _("Your calendar feed has a new address; the old one no longer works.")
            )
            return redirect("accounts:preferences")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        language = form.cleaned_data["language"] or self.request.user.language
        services.preferences_update(
            actor=self.request.user,
            muted_reminders=form.cleaned_data["muted_reminders"],
            language=language,
        )
        translation.activate(language)
        messages.success(self.request, _("Your preferences were saved."))
        response = super().form_valid(form)
        # The page follows the saved language at once, also where the switcher set another.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
