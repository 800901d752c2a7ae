import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from knox.models import AuthToken
from knox.settings import knox_settings

from escp_portal.audit import set_actor
from escp_portal.hostile import one_line
from escp_portal.services import require, save_audited

from . import selectors
from .limits import can_revoke_token, may_issue_tokens, token_limit_choices
from .models import Invitation, RoleAssignment, TokenScope, User
from .policy import (
    can_confirm_invitation,
    can_invite,
    can_revoke_invitation,
    forget_scope,
    invitation_needs_confirmation,
)
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
    if not can_revoke_token(actor, token):
        raise PermissionDenied
    with set_actor(actor):  # on the API the caller is known only after the middleware ran
        token.delete()


class LimitedTokenCannotIssue(PermissionDenied):
    """A read-only or limited token asked for a new token."""

    def __init__(self):
        super().__init__(_("A read-only or limited API token cannot create tokens."))


def token_create(
    *,
    actor,
    name: str = "",
    read_only: bool = False,
    partnerships=(),
    clusters=(),
) -> tuple[AuthToken, str]:
    """A new token for a user already logged in (the tokens page, or the API with a session or
    a full token), with its scope: a name, read only, limited to some of the partnerships the
    user coordinates and clusters they manage (``policy.token_limit_choices``). Anything else
    chosen is a field error."""
    if not actor.is_authenticated:
        raise PermissionDenied
    if not may_issue_tokens(actor):
        raise LimitedTokenCannotIssue
    partnership_ids = {getattr(p, "pk", p) for p in partnerships}
    cluster_ids = {getattr(c, "pk", c) for c in clusters}
    allowed_partnerships, allowed_clusters = token_limit_choices(actor)
    errors = {}
    if partnership_ids - allowed_partnerships:
        errors["partnerships"] = [_("You may limit a token only to partnerships you coordinate.")]
    if cluster_ids - allowed_clusters:
        errors["clusters"] = [_("You may limit a token only to clusters you manage.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        instance, token = _create_token(actor)
        scope = TokenScope.objects.create(
            token=instance, name=one_line(name or "")[:100], read_only=read_only
        )
        scope.partnerships.set(sorted(partnership_ids))
        scope.clusters.set(sorted(cluster_ids))
    return instance, token


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


# --- invitations ---------------------------------------------------------------------------------


def _send_invitation(invitation: Invitation, token: str) -> None:
    with translation.override(invitation.language or settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "link": settings.SITE_URL.rstrip("/")
            + reverse("accounts:invitation", kwargs={"token": token}),
            "days": settings.INVITATION_EXPIRY_DAYS,
        }
        subject = one_line(render_to_string("accounts/email/invitation_subject.txt", context))
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


def invitation_create(
    *, actor, email: str, role: str, partnership=None, cluster=None, language: str = ""
) -> tuple[Invitation, str]:
    """Invite a person by email to a role; the link (with its token) is emailed and returned
    once: only its hash is stored."""
    require(can_invite(actor, role, partnership=partnership, cluster=cluster))
    email = User.objects.normalize_email(email or "").strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and _holds(existing, role, partnership, cluster):
        raise ValidationError({"email": _("This person already has this role.")})
    open_invitations = Invitation.objects.filter(
        email__iexact=email,
        role=role,
        partnership=partnership,
        cluster=cluster,
        state=Invitation.State.PENDING,
        expires_at__gt=timezone.now(),
    )
    if open_invitations.exists():
        raise ValidationError(
            {"email": _("This person already has an open invitation to this role.")}
        )
    token = secrets.token_urlsafe(32)
    if existing is not None and existing.language:
        language = existing.language
    invitation = Invitation(
        email=email,
        role=role,
        partnership=partnership,
        cluster=cluster,
        token_hash=selectors.token_hash(token),
        language=language if language in supported_languages() else actor.language or "en",
        needs_confirmation=invitation_needs_confirmation(actor, role, cluster),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_EXPIRY_DAYS),
    )
    save_audited(actor, invitation)
    _send_invitation(invitation, token)
    return invitation, token


def _holds(user, role, partnership, cluster) -> bool:
    return RoleAssignment.objects.filter(
        user=user, role=role, partnership=partnership, cluster=cluster
    ).exists()


def _grant(invitation: Invitation, user) -> None:
    RoleAssignment.objects.get_or_create(
        user=user,
        role=invitation.role,
        partnership=invitation.partnership,
        cluster=invitation.cluster,
    )
    forget_scope(user)


def _usable(invitation: Invitation) -> Invitation:
    """The invitation as stored now, locked; refused unless its link still works."""
    current = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if current.current_state == Invitation.State.EXPIRED:
        raise ValidationError(_("This invitation has expired. Ask for a new one."))
    if current.current_state != Invitation.State.PENDING:
        raise ValidationError(_("This invitation link was already used or withdrawn."))
    return current


def invitation_accept(*, actor, invitation: Invitation) -> Invitation:
    """The invited person, logged in with the invited address, takes the role (or, for a new
    cluster manager invited from outside the cluster, waits for its managers' confirmation)."""
    if not actor.is_authenticated or actor.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation is for another email address. Log in with the address invited.")
        )
    with transaction.atomic(), set_actor(actor):
        invitation = _usable(invitation)
        invitation.answered_by = actor
        invitation.answered_at = timezone.now()
        if invitation.needs_confirmation:
            invitation.state = Invitation.State.CONFIRMING
        else:
            invitation.state = Invitation.State.ACCEPTED
            _grant(invitation, actor)
        save_audited(actor, invitation)
    return invitation


def invitation_sign_up(*, invitation: Invitation, full_name: str, password: str) -> User:
    """A person without an account accepts: the account is made with the invited address."""
    with transaction.atomic():
        _usable(invitation)
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(_("An account with this address exists: log in to accept."))
        user = User.objects.create_user(
            email=invitation.email,
            password=password,
            full_name=full_name,
            language=invitation.language,
        )
        invitation_accept(actor=user, invitation=invitation)
    return user


def invitation_decline(*, actor, invitation: Invitation) -> Invitation:
    """Whoever holds the link declines (the link is the credential)."""
    with transaction.atomic(), set_actor(actor if actor.is_authenticated else None):
        invitation = _usable(invitation)
        invitation.state = Invitation.State.DECLINED
        invitation.answered_by = actor if actor.is_authenticated else None
        invitation.answered_at = timezone.now()
        save_audited(actor if actor.is_authenticated else None, invitation)
    return invitation


def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    require(can_revoke_invitation(actor, invitation))
    with transaction.atomic(), set_actor(actor):
        current = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if current.state not in (Invitation.State.PENDING, Invitation.State.CONFIRMING):
            raise ValidationError(_("Only an open invitation can be withdrawn."))
        current.state = Invitation.State.REVOKED
        return save_audited(actor, current)


def invitation_confirm(*, actor, invitation: Invitation, approve: bool = True) -> Invitation:
    """One of the cluster's managers (or staff) confirms a new manager, or refuses them."""
    require(can_confirm_invitation(actor, invitation))
    with transaction.atomic(), set_actor(actor):
        current = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if current.state != Invitation.State.CONFIRMING:
            raise ValidationError(_("This invitation does not wait for a confirmation."))
        current.confirmed_by = actor
        current.confirmed_at = timezone.now()
        if approve:
            current.state = Invitation.State.ACCEPTED
            _grant(current, current.answered_by)
        else:
            current.state = Invitation.State.DECLINED
        return save_audited(actor, current)


def role_grant(*, actor, user: User, role: str, partnership=None, cluster=None):
    """Give ``user`` a role directly: the operator's way to appoint the first coordinator,
    cluster manager or EC officer (``manage.py grant_role``, the admin), after which people
    join by invitation. Returns the assignment and whether it is new."""
    existing = RoleAssignment.objects.filter(
        user=user, role=role, partnership=partnership, cluster=cluster
    ).first()
    if existing is not None:
        return existing, False
    assignment = save_audited(
        actor,
        RoleAssignment(user=user, role=role, partnership=partnership, cluster=cluster),
    )
    forget_scope(user)
    return assignment, True
