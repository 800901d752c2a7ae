"""Fragments of pages cached for everyone who may see the same thing, and dropped when what they
show changes.

A fragment is cached with Django's ``{% cache %}`` under a key of:

- the time the tables it reads last changed: ``{% get_last_invalidation 'app.Model' ... as
  changed %}`` (django-cachalot notes every write, the ORM's and raw SQL alike, per table in the
  shared cache, when it commits; within a transaction its own writes count at once);
- the reader's language (``LANGUAGE_CODE``);
- ``fragment_scope``: what the access policy lets the reader see. Readers with the same roles
  (staff, officer, the same coordinated partnerships and managed clusters) see the same rows,
  so they share the fragment; anyone else gets a fragment of their own. A fragment that shows a
  user's own rows (their requests, their tokens) adds ``user.pk`` to its key;
- whatever else the fragment depends on (the query string of a filtered list, the page).

Only what is the same for every such reader goes inside: never a CSRF token, a message or the
user's name. ``tests/security/test_access_matrix.py`` runs every page for every role with the
caches on, the most privileged reader first, and searches each answer for what the role may not
see.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from escp_portal.accounts.policy import scope_for


def scope_key(user) -> str:
    """A short key for what the access policy lets ``user`` see."""
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


def fragments(request):
    """Context processor: ``fragment_scope`` (computed only when a template uses it) and
    ``fragment_seconds``, the longest a fragment is kept."""
    return {
        "fragment_scope": SimpleLazyObject(lambda: scope_key(getattr(request, "user", None))),
        "fragment_seconds": settings.FRAGMENT_CACHE_SECONDS,
    }
