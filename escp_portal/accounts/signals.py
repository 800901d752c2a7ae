"""API tokens follow the account, whatever changes it.

- When a user's password changes (reset link, admin, ``set_password`` anywhere) or the account is
  deactivated, every API token of the user is deleted in the same save. Sessions on other devices
  end by Django's own rule: a session carries a hash of the password, and an inactive user is
  not logged in.
- A role assignment saved or deleted makes the user's cached scope stale
  (``roles.roles_changed``) when the change commits.
- Every token issued or deleted leaves an audit entry (who, when, which token by its key, and
  why); never the token nor its digest.
"""

from __future__ import annotations

import contextlib
import contextvars

from auditlog.cid import get_cid
from auditlog.context import auditlog_disabled, auditlog_value
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save, pre_save
from knox.models import AuthToken

PASSWORD_CHANGED = "password_changed"
DEACTIVATED = "deactivated"

_reason: contextvars.ContextVar[str] = contextvars.ContextVar("token_audit_reason", default="")


@contextlib.contextmanager
def token_audit_reason(reason: str):
    """Tokens deleted inside this block are audited with this reason."""
    marker = _reason.set(reason)
    try:
        yield
    finally:
        _reason.reset(marker)


def _credential_change(sender, instance, update_fields) -> str:
    """Why the user's tokens must go with this save ("" if they need not)."""
    if instance._state.adding or instance.pk is None:
        return ""
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return ""
    before = sender._base_manager.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return ""
    if before["password"] != instance.password:
        # Django's own rehash on login (a stronger hasher) keeps the password: it clears
        # ``_password`` and saves the password field alone.
        rehash = (
            instance._password is None
            and update_fields is not None
            and set(update_fields) == {"password"}
            and instance.has_usable_password()
        )
        if not rehash:
            return PASSWORD_CHANGED
    if before["is_active"] and not instance.is_active:
        return DEACTIVATED
    return ""


def user_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._revoke_tokens_because = (
        "" if raw else _credential_change(sender, instance, update_fields)
    )


def user_post_save(sender, instance, created=False, raw=False, **kwargs):
    reason = getattr(instance, "_revoke_tokens_because", "")
    instance._revoke_tokens_because = ""
    if reason and not raw:
        from .services import tokens_revoke_all

        tokens_revoke_all(user=instance, reason=reason)


def _context_actor():
    try:
        return auditlog_value.get().get("actor")
    except LookupError:
        return None


def _audit(token: AuthToken, action: int, changes: dict, additional_data=None, actor=None):
    if auditlog_disabled.get():
        return
    entry = LogEntry(
        actor=None if _context_actor() is not None else actor,
        actor_email=None if _context_actor() is not None else getattr(actor, "email", None),
        content_type=ContentType.objects.get_for_model(AuthToken),
        # The key, not the primary key: knox's primary key is the token's digest.
        object_pk=token.token_key,
        object_repr=f"API token {token.token_key}…",
        action=action,
        changes=changes,
        additional_data=additional_data,
        cid=get_cid(),
    )
    # The active set_actor / AuditlogMiddleware context fills in the actor and the address.
    entry.save()


def token_created(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        expiry = instance.expiry.isoformat() if instance.expiry else None
        changes = {
            "user": [None, str(instance.user_id)],
            "token_key": [None, instance.token_key],
            "expiry": [None, expiry],
        }
        # Issued for a password on the API, the request has no user yet: the owner acted.
        _audit(instance, LogEntry.Action.CREATE, changes, actor=instance.user)


def token_deleted(sender, instance, origin=None, **kwargs):
    reason = _reason.get() or "revoked"
    if isinstance(origin, type(instance).user.field.related_model) and origin.pk == (
        instance.user_id
    ):
        reason = "account_deleted"
        actor = _context_actor()
        if actor is not None and actor.pk == origin.pk:
            return  # an entry naming the account as actor would point at a deleted row
    expiry = instance.expiry.isoformat() if instance.expiry else None
    changes = {
        "user": [str(instance.user_id), None],
        "token_key": [instance.token_key, None],
        "expiry": [expiry, None],
    }
    _audit(instance, LogEntry.Action.DELETE, changes, {"reason": reason})


def role_assignment_changed(sender, instance, **kwargs):
    """A role given, changed or taken: the user's cached scope is stale at once (this
    transaction's own later reads see the change) and again when the change commits (a page of
    another process read meanwhile cached the roles of before the commit)."""
    from django.db import transaction

    from .roles import roles_changed

    user_id = instance.user_id
    roles_changed(user_id)
    transaction.on_commit(lambda: roles_changed(user_id))


def connect():
    from django.contrib.auth import get_user_model

    from .models import RoleAssignment

    user = get_user_model()
    post_save.connect(
        role_assignment_changed, sender=RoleAssignment, dispatch_uid="accounts.role_saved"
    )
    post_delete.connect(
        role_assignment_changed, sender=RoleAssignment, dispatch_uid="accounts.role_deleted"
    )
    pre_save.connect(user_pre_save, sender=user, dispatch_uid="accounts.user_pre_save")
    post_save.connect(user_post_save, sender=user, dispatch_uid="accounts.user_post_save")
    post_save.connect(token_created, sender=AuthToken, dispatch_uid="accounts.token_created")
    post_delete.connect(token_deleted, sender=AuthToken, dispatch_uid="accounts.token_deleted")
