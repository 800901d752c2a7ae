"""The part of the access policy that keeps each user's roles in the shared cache, and the key of
what a user may see that cached page fragments are shared under (``escp_portal/fragments.py``).

The roles are cached per user under a generation that every change of the user's roles replaces
(``roles_changed``, from the accounts app's signals, at once and again at commit). A reader notes
the generation before it reads the database, so a change made meanwhile leaves its result stale
at once: whatever order the processes run in, a cached entry never outlives a change.
"""

from __future__ import annotations

import hashlib
import uuid

from django.core.cache import cache

_ROLES_KEY = "scope:roles:{}"
_GENERATION_KEY = "scope:generation:{}"
ROLES_CACHE_SECONDS = 3600


def cached_roles(user) -> dict:
    """The user's roles as ``Scope`` fields: from the cache, else from the database."""
    roles_key, generation_key = _ROLES_KEY.format(user.pk), _GENERATION_KEY.format(user.pk)
    found = cache.get_many([roles_key, generation_key])
    generation = found.get(generation_key)
    entry = found.get(roles_key)
    if generation is not None and entry is not None and entry[0] == generation:
        return entry[1]
    if generation is None:
        cache.add(generation_key, uuid.uuid4().hex, ROLES_CACHE_SECONDS)
        generation = cache.get(generation_key)
    roles = _roles_from_database(user)
    if generation is not None:  # None: the cache is away (Redis down): nothing is kept
        cache.set(roles_key, (generation, roles), ROLES_CACHE_SECONDS)
    return roles


def roles_changed(user_id: int) -> None:
    """Every cached scope of this user is stale from now on."""
    cache.set(_GENERATION_KEY.format(user_id), uuid.uuid4().hex, ROLES_CACHE_SECONDS)


def _roles_from_database(user) -> dict:
    from .models import Role, RoleAssignment

    partnerships, clusters, officer = set(), set(), False
    for role, partnership_id, cluster_id in RoleAssignment.objects.filter(user=user).values_list(
        "role", "partnership_id", "cluster_id"
    ):
        if role == Role.COORDINATOR:
            partnerships.add(partnership_id)
        elif role == Role.CLUSTER_MANAGER:
            clusters.add(cluster_id)
        elif role == Role.EC_OFFICER:
            officer = True
    return {
        "is_officer": officer,
        "coordinated_partnerships": frozenset(partnerships),
        "managed_clusters": frozenset(clusters),
    }


def scope_key(user) -> str:
    """A short key for what the access policy lets ``user`` see: the same for readers with the
    same roles, who see the same rows."""
    from .policy import scope_for

    scope = scope_for(user)
    if not scope.authenticated:
        return "anonymous"
    if scope.limit is not None:  # an API token limited to less than its user: its own key
        return f"user-{scope.user_id}-limited"
    parts = (
        f"staff={scope.is_staff};officer={scope.is_officer};"
        f"coordinates={sorted(scope.coordinated_partnerships)};"
        f"manages={sorted(scope.managed_clusters)}"
    )
    return hashlib.blake2s(parts.encode(), digest_size=10).hexdigest()
