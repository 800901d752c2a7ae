"""API tokens in the access policy: what a token's scope (``accounts.TokenScope``) leaves of its
user's rights. Part of the policy (``policy.py`` imports it; nothing else decides):

- ``TokenLimit``: read only, partnerships, clusters — attached to the request's user object by
  the API's authentication (``limit_user``); ``policy.scope_for`` intersects the user's roles
  with it (``narrowed``) and ``policy.visible_to`` keeps the rows it reaches (``within_limit``);
- ``limited_by``: each model says how its rows hang off a partnership or a cluster;
- the decisions about tokens: which limits a user may choose, who may issue and revoke.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.apps import apps
from django.db import models

_LIMIT_ATTR = "_escp_token_limit"


@dataclass(frozen=True)
class TokenLimit:
    """What an API token is limited to (``accounts.TokenScope``), for one request.

    ``partnerships`` and ``clusters`` empty: not limited by partnership or cluster. Otherwise the
    token acts in those partnerships (of those the user coordinates) and those clusters (of
    those the user manages), and reads what hangs off them: a partnership's working data, its
    partner clusters' members; a cluster's members and the partnerships it is a partner of.
    Never more than the user's roles give."""

    read_only: bool = False
    partnerships: frozenset[int] = field(default_factory=frozenset)
    clusters: frozenset[int] = field(default_factory=frozenset)
    token_key: str = ""  # the token itself, which it may always revoke

    @property
    def narrows(self) -> bool:
        return bool(self.partnerships or self.clusters)


def limit_user(user, limit: TokenLimit | None):
    """Attach a token's limit to the user object of one request (the authentication class loads
    a fresh user per request): from then on every rule asked about this user object answers for
    the token, not for the person. Returns the user."""
    from .policy import forget_scope

    setattr(user, _LIMIT_ATTR, limit)
    forget_scope(user)
    return user


def token_limit(user) -> TokenLimit | None:
    """The limit of the token the user object acts through (None: no limit)."""
    return getattr(user, _LIMIT_ATTR, None)


def narrowed(scope, limit: TokenLimit | None):
    """The user's scope intersected with a token's limit. A token limited to partnerships or
    clusters acts by the roles it keeps there only: not as staff nor as EC officer (who read
    everything), which ``within_limit`` would otherwise have to undo."""
    if limit is None:
        return scope
    if not limit.narrows:
        return replace(scope, limit=limit)
    return replace(
        scope,
        is_staff=False,
        is_officer=False,
        coordinated_partnerships=scope.coordinated_partnerships & limit.partnerships,
        managed_clusters=scope.managed_clusters & limit.clusters,
        limit=limit,
    )


# --- what a limited token reads: each model says how it hangs off a partnership or a cluster ----
# A token limited to partnerships or clusters reads, of every model, only the rows that belong to
# the partnerships and clusters it reaches (``limit_reach``). The model's own rule still applies
# first; this is the intersection. A model that registered no ``limited_by`` is read by no
# limited token (a new model must say where it belongs).

LimitRule = Callable[[models.QuerySet, object, object], models.QuerySet]
_limited: dict[str, LimitRule] = {}


def limited_by(
    label: str,
    *,
    partnership: str | None = None,
    cluster: str | None = None,
    unlimited: bool = False,
    custom: LimitRule | None = None,
):
    """How a limited token narrows the model's rows: ``partnership`` and ``cluster`` are the
    paths of the row's partnership id and cluster id (a row passes if either is reached);
    ``unlimited`` for reference data and the user's own rows, which belong to no partnership;
    ``custom(qs, partnership_ids, cluster_ids)`` for a path that would repeat rows."""
    if unlimited:
        _limited[label] = lambda qs, partnerships, clusters: qs
        return
    if custom is not None:
        _limited[label] = custom
        return

    def narrow(qs, partnerships, clusters):
        condition = models.Q(pk__in=[])
        if partnership:
            condition |= models.Q(**{f"{partnership}__in": partnerships})
        if cluster:
            condition |= models.Q(**{f"{cluster}__in": clusters})
        return qs.filter(condition)

    _limited[label] = narrow


def limit_reach(limit: TokenLimit):
    """The partnerships and clusters (ids, as subqueries) a limited token reads: its
    partnerships and the partnerships its clusters currently partner in; its clusters and the
    current partner clusters of its partnerships."""
    partners = apps.get_model("partnerships.Partner").objects.filter(
        left_on__isnull=True, sharing_ended_at__isnull=True
    )
    partnership_ids = apps.get_model("partnerships.Partnership").objects.filter(
        models.Q(pk__in=limit.partnerships)
        | models.Q(pk__in=partners.filter(cluster_id__in=limit.clusters).values("partnership_id"))
    )
    cluster_ids = apps.get_model("partnerships.ClusterOrganisation").objects.filter(
        models.Q(pk__in=limit.clusters)
        | models.Q(
            pk__in=partners.filter(partnership_id__in=limit.partnerships).values("cluster_id")
        )
    )
    return partnership_ids.values("pk"), cluster_ids.values("pk")


def within_limit(queryset: models.QuerySet, limit: TokenLimit | None) -> models.QuerySet:
    """The rows of ``queryset`` (already the model's rule's) that the token's limit reaches."""
    if limit is None or not limit.narrows:
        return queryset
    narrow = _limited.get(queryset.model._meta.label)
    if narrow is None:
        return queryset.none()
    return narrow(queryset, *limit_reach(limit))


def token_limit_choices(user) -> tuple[frozenset[int], frozenset[int]]:
    """The partnerships and clusters (ids) the user may limit a new token to: those they act in
    by role — the partnerships they coordinate, the clusters they manage. Staff and EC officers
    act in none of their own (they may still issue read-only tokens)."""
    from .policy import scope_for

    scope = scope_for(user)
    return scope.coordinated_partnerships, scope.managed_clusters


def may_issue_tokens(user) -> bool:
    """A token that is read only or limited issues no token (it would escape its limit)."""
    from .policy import scope_for

    scope = scope_for(user)
    if not scope.authenticated:
        return False
    return scope.limit is None or not (scope.limit.read_only or scope.limit.narrows)


def can_revoke_token(user, token) -> bool:
    """The user's own tokens; through a read-only or limited token, that token alone."""
    from .policy import scope_for

    scope = scope_for(user)
    if not scope.authenticated or token.user_id != scope.user_id:
        return scope.is_staff and not scope.read_only
    if may_issue_tokens(user):
        return True
    return token.token_key == scope.limit.token_key


def may_write(user) -> bool:
    """A read-only token writes nothing, whatever its user's roles (the API answers 403
    ``read_only_token``, except to revoke the token itself)."""
    from .policy import scope_for

    return not scope_for(user).read_only


# The accounts' own models: a user's own rows belong to no partnership; roles and invitations
# to theirs.
limited_by("accounts.User", unlimited=True)
limited_by("knox.AuthToken", unlimited=True)
limited_by("accounts.RoleAssignment", partnership="partnership_id", cluster="cluster_id")
limited_by("accounts.Invitation", partnership="partnership_id", cluster="cluster_id")
