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
- ``fragment_release``: the release that rendered it (the static files' manifest hash, which
  every release that changes a static file changes): a fragment of the release before, with its
  hashed file names, is never served by the next one;
- whatever else the fragment depends on (the query string of a filtered list, the page).

Only what is the same for every such reader goes inside: never a CSRF token, a message or the
user's name. ``tests/security/test_access_matrix.py`` runs every page for every role with the
caches on, the most privileged reader first, and searches each answer for what the role may not
see.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from escp_portal.accounts.roles import scope_key


@functools.cache
def release_id() -> str:
    """The static files' manifest hash (production's hashed names), empty where the storage keeps
    plain names; read once per process, as a release starts new processes."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    return str(getattr(staticfiles_storage, "manifest_hash", "") or "")


def fragments(request):
    """Context processor: ``fragment_scope`` (computed only when a template uses it),
    ``fragment_release`` and ``fragment_seconds``, the longest a fragment is kept."""
    return {
        "fragment_scope": SimpleLazyObject(lambda: scope_key(getattr(request, "user", None))),
        "fragment_release": release_id(),
        "fragment_seconds": settings.FRAGMENT_CACHE_SECONDS,
    }


def mark_orm_reads_as_orm() -> None:
    """Spare every ORM read django-cachalot's scan for raw writes.

    With its query cache off (``CACHALOT_ENABLED = False``) django-cachalot leaves the SELECT
    compiler alone, so its cursor hook takes every ORM read for raw SQL: it lowercases the
    statement and searches it for INSERT/UPDATE/DELETE… (about a tenth of a millisecond a
    query, a tenth of an average request's CPU). ORM writes are seen by its write compilers
    already; marking the SELECT compiler's statements as the ORM's keeps the scan for raw SQL
    only, which is all it is for. Called once, from ``AccountsConfig.ready``.
    """
    from cachalot.monkey_patch import _unset_raw_connection
    from django.db.models.sql.compiler import SQLCompiler

    if settings.CACHALOT_ENABLED or getattr(SQLCompiler.execute_sql, "_escp_orm_read", False):
        return
    patched = _unset_raw_connection(SQLCompiler.execute_sql)
    patched._escp_orm_read = True
    SQLCompiler.execute_sql = patched
