from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from knox.models import AuthToken

from escp_portal.forms import add_validation_error

from . import selectors, services
from .forms import (
    InvitationForm,
    InvitationSignUpForm,
    LoginForm,
    PasswordResetForm,
    PreferencesForm,
    SetPasswordForm,
    TokenForm,
)
from .models import Invitation, User
from .policy import can_confirm_invitation, can_revoke_invitation, may_invite_anyone, visible_to


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out login gets (django-axes' ``AXES_LOCKOUT_CALLABLE``): a 429 with
    ``Retry-After``; on the API in its JSON error shape, on pages the lockout page."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    retry_after = str(int(cool_off.total_seconds())) if cool_off else None
    if request.path.startswith("/api/"):
        detail = _("Too many failed attempts. Try again in 15 minutes.")
        from escp_portal.api.exceptions import error_body

        response = JsonResponse(error_body(429, "locked_out", detail), status=429)
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

    def get_context_data(self, form=None, **kwargs):
        tokens = visible_to(
            AuthToken.objects.select_related("scope")
            .prefetch_related("scope__partnerships", "scope__clusters")
            .order_by("-created"),
            self.request.user,
        )
        new_token = self.request.session.pop("new_api_token", None)
        form = form or TokenForm(user=self.request.user)
        return super().get_context_data(tokens=tokens, new_token=new_token, form=form, **kwargs)

    def post(self, request):
        form = TokenForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            _instance, token = services.token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                read_only=form.cleaned_data["read_only"],
                partnerships=form.cleaned_data.get("partnerships") or (),
                clusters=form.cleaned_data.get("clusters") or (),
            )
        except services.TokenLimitReached as exc:
            messages.error(request, exc.args[0])
            return redirect("accounts:tokens")
        except ValidationError as exc:  # the choices changed since the page was loaded
            add_validation_error(form, exc)
            return self.render_to_response(self.get_context_data(form=form), status=400)
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


# --- invitations ---------------------------------------------------------------------------------


class InvitationListView(LoginRequiredMixin, TemplateView):
    """People invitations the user sent or looks after: withdraw, confirm a new manager."""

    template_name = "accounts/invitations.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        rows = list(selectors.invitations(user))
        for invitation in rows:
            state = invitation.current_state
            invitation.may_revoke = state in ("pending", "confirming") and can_revoke_invitation(
                user, invitation
            )
            invitation.may_confirm = state == "confirming" and can_confirm_invitation(
                user, invitation
            )
        return super().get_context_data(
            invitations=rows, may_invite=may_invite_anyone(user), **kwargs
        )


class InviteView(LoginRequiredMixin, FormView):
    """Invite a person by email to a role the user may give."""

    template_name = "accounts/invite.html"
    form_class = InvitationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_invite_anyone(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            invitation, _token = services.invitation_create(
                actor=self.request.user,
                email=data["email"],
                role=data["role"],
                partnership=data.get("partnership"),
                cluster=data.get("cluster"),
                language=data.get("language") or "",
            )
        except PermissionDenied:
            form.add_error(None, _("You may not invite anyone to this role."))
            return self.form_invalid(form)
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
        )
        return redirect("accounts:invitations")


class InvitationActionView(LoginRequiredMixin, View):
    """Withdraw an invitation, or confirm or refuse a new cluster manager."""

    def post(self, request, pk, action):
        invitation = get_object_or_404(selectors.invitations(request.user), pk=pk)
        try:
            if action == "revoke":
                services.invitation_revoke(actor=request.user, invitation=invitation)
            elif action in ("confirm", "refuse"):
                services.invitation_confirm(
                    actor=request.user, invitation=invitation, approve=action == "confirm"
                )
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The invitation was updated."))
        if request.POST.get("next") == "consent":
            return redirect("partnerships:invitations")
        return redirect("accounts:invitations")


class InvitationAnswerView(TemplateView):
    """The page of an invitation link: accept (logged in with the invited address, or with a
    new account) or decline. A link that does not exist answers 404."""

    template_name = "accounts/invitation.html"

    def dispatch(self, request, *args, **kwargs):
        self.invitation = selectors.invitation_by_token(kwargs["token"])
        if self.invitation is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        invitation = self.invitation
        has_account = (
            not user.is_authenticated
            and User.objects.filter(email__iexact=invitation.email).exists()
        )
        kwargs.setdefault("form", InvitationSignUpForm(email=invitation.email))
        return super().get_context_data(
            invitation=invitation,
            state=invitation.current_state,
            usable=invitation.current_state == Invitation.State.PENDING,
            matches=user.is_authenticated and user.email.lower() == invitation.email.lower(),
            has_account=has_account,
            **kwargs,
        )

    def post(self, request, token):
        action = request.POST.get("action")
        try:
            if action == "decline":
                services.invitation_decline(actor=request.user, invitation=self.invitation)
                messages.success(request, _("You declined the invitation."))
                return redirect("home")
            if action == "accept" and request.user.is_authenticated:
                done = services.invitation_accept(actor=request.user, invitation=self.invitation)
            elif action == "sign_up" and not request.user.is_authenticated:
                form = InvitationSignUpForm(request.POST, email=self.invitation.email)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(form=form))
                user = services.invitation_sign_up(
                    invitation=self.invitation,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                done = Invitation.objects.get(pk=self.invitation.pk)
            else:
                return redirect("accounts:invitation", token=token)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("accounts:invitation", token=token)
        if done.state == Invitation.State.CONFIRMING:
            messages.success(
                request,
                _("Thank you. The cluster's managers are asked to confirm you; then you start."),
            )
        else:
            messages.success(request, _("Welcome: your new role is active."))
        return redirect("home")
