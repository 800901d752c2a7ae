import secrets

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken
from knox.settings import knox_settings

from escp_portal.audit import set_actor

from .policy import can_edit
from .signals import token_audit_reason


def token_issue(*, request, email: str, password: str, name: str = "") -> tuple[AuthToken, str]:
    """Check the credentials (through the brute-force guard) and issue a new API token.

    Only the token's digest is stored; the token itself is returned once, here.
    """
    user = authenticate(request=request, username=email, password=password)
    if user is None or not user.is_active:
        raise PermissionDenied(_("Unable to log in with the email address and password given."))
    return _create_token(user)


class TokenLimitReached(PermissionDenied):
    """The user already has as many live API tokens as ``TOKEN_LIMIT_PER_USER`` allows."""

    def __init__(self):
        super().__init__(
            _("You already have %(limit)d API tokens. Revoke one before you create another.")
            % {"limit": knox_settings.TOKEN_LIMIT_PER_USER}
        )


def _create_token(user) -> tuple[AuthToken, str]:
    """Every token is issued here: the per-user limit is counted with the user's row locked, so
    two requests at once cannot both take the last place."""
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    with transaction.atomic():
        if limit is not None:
            get_user_model().objects.select_for_update().filter(pk=user.pk).first()
            live = AuthToken.objects.filter(
                Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()), user=user
            )
            if live.count() >= limit:
                raise TokenLimitReached
        return AuthToken.objects.create(user=user)


def token_revoke(*, actor, token: AuthToken) -> None:
    if not can_edit(actor, token):
        raise PermissionDenied
    with set_actor(actor):  # on the API the caller is known only after the middleware ran
        token.delete()


def token_create(*, actor) -> tuple[AuthToken, str]:
    """A new token for a user already logged in (from the account page)."""
    if not actor.is_authenticated:
        raise PermissionDenied
    return _create_token(actor)


def tokens_revoke_all(*, user, reason: str) -> int:
    """Delete every API token of the user (password changed, account deactivated); each
    deletion is audited with the reason. Returns how many went."""
    with token_audit_reason(reason):
        deleted, _detail = AuthToken.objects.filter(user=user).delete()
    return deleted


def calendar_token_renew(*, actor) -> str:
    """A new secret address for the user's calendar feed (the old one stops working)."""
    actor.calendar_token = secrets.token_urlsafe(32)
    actor.save(update_fields=["calendar_token"])
    return actor.calendar_token


def supported_languages() -> set[str]:
    """The codes of the languages the site is in (``settings.LANGUAGES``)."""
    return {code for code, _name in settings.LANGUAGES}


def preferences_update(*, actor, muted_reminders, language=None) -> None:
    """The mission reminders the user does not want, and their language (when supported)."""
    from missions.models import ReminderLog

    valid = set(ReminderLog.Kind.values)
    actor.muted_reminders = sorted(k for k in muted_reminders if k in valid)
    fields = ["muted_reminders"]
    if language in supported_languages():
        actor.language = language
        fields.append("language")
    actor.save(update_fields=fields)


def language_update(*, actor, language) -> None:
    """The language pages and emails take for this user."""
    if language in supported_languages() and actor.language != language:
        actor.language = language
        actor.save(update_fields=["language"])
