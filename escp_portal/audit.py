"""Audit-trail entries for writes that bypass model signals (bulk_create, bulk_update, update).

django-auditlog logs a change from the model's save and delete signals; a bulk write sends none.
These helpers write the entries auditlog itself would have written — same content type, object
id, representation, additional data, masked fields and ``changes`` format — in one
``bulk_create``. The actor (and remote address) come from ``auditlog.context.set_actor`` or the
request's ``AuditlogMiddleware`` through the same pre_save hook as for the signal-written
entries, unless given.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from auditlog import context as auditlog_context
from auditlog.cid import get_cid
from auditlog.context import auditlog_disabled, auditlog_value
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import pre_save
from django.utils.encoding import smart_str

BATCH = 1000


@contextlib.contextmanager
def set_actor(actor, remote_addr=None, remote_port=None):
    """auditlog's ``set_actor``, safe to nest. auditlog's own leaves its context current when
    it ends, which silences the enclosing one (a service called inside a request, or inside
    another service): later saves there got no actor. This one restores the enclosing context,
    and keeps its remote address."""
    try:
        previous = auditlog_value.get()
    except LookupError:
        previous = None
    if previous is not None:
        remote_addr = remote_addr or previous.get("remote_addr")
        remote_port = remote_port or previous.get("remote_port")
    try:
        with auditlog_context.set_actor(actor, remote_addr, remote_port):
            yield
    finally:
        if previous is not None:
            auditlog_value.set(previous)


def _entry(instance: models.Model, action: int, changes, actor, **fields) -> LogEntry:
    pk = instance.pk
    get_additional_data = getattr(instance, "get_additional_data", None)
    return LogEntry(
        content_type=ContentType.objects.get_for_model(instance),
        object_pk=smart_str(pk),
        object_id=pk if isinstance(pk, int) else None,
        object_repr=smart_str(instance),
        action=action,
        changes=changes,
        additional_data=get_additional_data() if callable(get_additional_data) else None,
        cid=get_cid(),
        actor=actor,
        actor_email=getattr(actor, "email", None),
        **fields,
    )


def entries(pairs: Iterable[tuple], action: int, *, actor=None) -> list[LogEntry]:
    """Entries for ``(before, after)`` pairs of registered models: ``(None, obj)`` for a
    creation, ``(obj, None)`` for a deletion. Updates that change no audited field give none."""
    if auditlog_disabled.get():
        return []
    result = []
    for before, after in pairs:
        instance = after if after is not None else before
        if not auditlog.contains(instance.__class__):
            continue
        changes = model_instance_diff(
            before, after, use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES
        )
        if not changes and action == LogEntry.Action.UPDATE:
            continue
        serialized = LogEntry.objects._get_serialized_data_or_none(instance)
        result.append(_entry(instance, action, changes, actor, serialized_data=serialized))
    return result


def m2m_entry(instance, field_name: str, operation: str, objects, *, actor=None):
    """The entry auditlog writes for an m2m change (``operation`` "add" or "delete")."""
    if auditlog_disabled.get() or not objects:
        return None
    changes = {
        field_name: {
            "type": "m2m",
            "operation": operation,
            "objects": [smart_str(o) for o in objects],
        }
    }
    return _entry(instance, LogEntry.Action.UPDATE, changes, actor)


def write(items: Iterable[LogEntry | None]) -> list[LogEntry]:
    items = [e for e in items if e is not None]
    for entry in items:
        # What save() would do first: the active set_actor / AuditlogMiddleware context fills
        # in the actor (unless given) and the remote address.
        pre_save.send(sender=LogEntry, instance=entry, raw=False, using=None, update_fields=None)
    return LogEntry.objects.bulk_create(items, batch_size=BATCH)


def log_created(objects: Iterable[models.Model], *, actor=None) -> list[LogEntry]:
    return write(entries(((None, o) for o in objects), LogEntry.Action.CREATE, actor=actor))


def log_updated(pairs: Iterable[tuple], *, actor=None) -> list[LogEntry]:
    return write(entries(pairs, LogEntry.Action.UPDATE, actor=actor))


def normalise_decimals(obj: models.Model) -> None:
    """Give decimal values the places the database keeps (``55`` → ``55.00``) before a save.

    auditlog compares the values as text: without this, an unchanged ``0.00`` sent back by a
    form as ``0`` would show as a change, and a changed value in a form other than the stored
    one.
    """
    from decimal import Decimal, InvalidOperation

    for field in obj._meta.concrete_fields:
        if isinstance(field, models.DecimalField):
            value = getattr(obj, field.attname)
            if isinstance(value, Decimal) and value.is_finite():
                try:
                    setattr(
                        obj, field.attname, value.quantize(Decimal(1).scaleb(-field.decimal_places))
                    )
                except InvalidOperation:
                    continue
