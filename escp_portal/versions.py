"""Versions of records, so that a write made on an out-of-date copy is refused, not lost.

- ``row_version(obj)``: a short hash of every column of the row and of its many-to-many choices.
  It changes with every write that changes anything (models without ``updated_at`` too), and is
  the API's ``ETag``.
- ``locked(obj)``: the row as it is now, locked until the end of the transaction
  (``select_for_update``), so that two writers comparing versions cannot both pass.
- ``snapshot(instance, names)``: the values of some fields as plain data, which an edit form
  carries (signed) from the moment it was loaded; ``changed_fields`` tells which of them another
  person has changed since.
"""

import hashlib
import json
from decimal import Decimal

from django.core import signing
from django.db import models, transaction
from django.utils.translation import gettext as _

SALT = "escp_portal.versions.form"


def _plain(value):
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple | set | models.QuerySet):
        return sorted(str(_plain(item)) for item in value)
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value else str(value)
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def _many_to_many(obj, field) -> list:
    # From the link table itself: a prefetch of the page may hold a filtered list.
    links = field.remote_field.through._base_manager.filter(**{field.m2m_field_name(): obj.pk})
    return sorted(str(pk) for pk in links.values_list(field.m2m_reverse_field_name(), flat=True))


def row_version(obj) -> str:
    """The version of ``obj`` as loaded: every column and many-to-many choice, hashed."""
    fields = obj._meta.concrete_fields
    values = {field.attname: _plain(getattr(obj, field.attname)) for field in fields}
    for field in obj._meta.many_to_many:
        values[field.name] = _many_to_many(obj, field)
    payload = json.dumps([obj._meta.label, values], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def fresh(obj):
    """``obj`` read again from the database (no cached related objects)."""
    return type(obj)._base_manager.get(pk=obj.pk)


def locked(obj):
    """``obj`` as it is now, its row locked until the transaction ends. Call inside
    ``transaction.atomic``; on SQLite (which locks the whole database on write) it only reads."""
    assert transaction.get_connection().in_atomic_block, "lock rows inside a transaction"
    return type(obj)._base_manager.select_for_update().get(pk=obj.pk)


def matches(if_match: str, version: str) -> bool:
    """Does an ``If-Match`` header (one or more entity tags, or ``*``) name ``version``?"""
    for tag in if_match.split(","):
        tag = tag.strip()
        if tag == "*":
            return True
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag.strip('"') == version:
            return True
    return False


def etag(version: str) -> str:
    return f'"{version}"'


# --- edit forms --------------------------------------------------------------------------------


def snapshot(instance, names, loaded=None) -> dict:
    """The values of the model fields ``names`` of ``instance``, as plain data; ``loaded`` may
    give many-to-many choices read from the database already (a form's initial data)."""
    data = {}
    for name in names:
        field = instance._meta.get_field(name)
        if field.many_to_many and loaded is not None and name in loaded:
            data[name] = _plain(list(loaded[name]))
        elif field.many_to_many:
            data[name] = _many_to_many(instance, field)
        else:
            data[name] = _plain(getattr(instance, field.attname))
    return data


def sign(data: dict) -> str:
    return signing.dumps(data, salt=SALT, compress=True)


def unsign(token: str) -> dict | None:
    """The snapshot a form carried; None if it carried none, or one that was tampered with."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) else None


def changed_fields(loaded: dict, now: dict) -> list[str]:
    return [name for name in now if name in loaded and loaded[name] != now[name]]


def display(instance, name) -> str:
    """A field's value as a person reads it (choices by their label, related records by name)."""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        value = ", ".join(sorted(str(item) for item in getattr(instance, name).all()))
    elif field.choices:
        value = getattr(instance, f"get_{name}_display")()
    else:
        value = getattr(instance, name)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)
