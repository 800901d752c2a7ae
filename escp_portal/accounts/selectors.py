"""Reads of accounts for pages and API: invitations, each through the access policy."""

import hashlib

from .models import Invitation
from .policy import can_confirm_invitation, visible_to


def token_hash(token: str) -> str:
    """The stored form of an invitation link's token (the token itself is never stored)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def invitations(user):
    """The people invitations the user may see: theirs, their partnerships', their clusters'."""
    return visible_to(
        Invitation.objects.select_related("partnership", "cluster", "invited_by", "answered_by"),
        user,
    ).order_by("-created_at", "-pk")


def awaiting_confirmation(user):
    """New cluster managers who accepted and wait for the user's confirmation."""
    return [
        invitation
        for invitation in invitations(user).filter(state=Invitation.State.CONFIRMING)
        if can_confirm_invitation(user, invitation)
    ]


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation of a link (whatever its state), or None: the token is the credential."""
    if not token or len(token) > 200:
        return None
    return (
        Invitation.objects.select_related("partnership", "cluster", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )
