"""What every app's service layer does the same way: refuse, take the fields the caller may
set, and save with the model's checks and the audit actor."""

from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from escp_portal import audit
from escp_portal.audit import set_actor


class RowErrors(ValidationError):
    """A bulk write refused as a whole: ``row_errors`` is a list of ``{"index", "field",
    "message"}`` (the index of the row in what was sent). The API answers it as a 400 with the
    rows under ``errors.rows``; pages list them."""

    def __init__(self, row_errors, message=None):
        super().__init__(message or _("Some rows have errors; nothing was written."))
        self.row_errors = row_errors


def saved_at_the_same_time():
    return _("Someone else saved the same thing at the same moment; nothing was changed.")


def require(allowed: bool) -> None:
    """Refuse with 403 (the views turn ids the user may not see into 404 before this)."""
    if not allowed:
        raise PermissionDenied


def apply_fields(obj, data: dict, allowed: Iterable[str]) -> None:
    """Set ``data`` on ``obj``; a field outside ``allowed`` is refused, not silently dropped."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise PermissionDenied(
            _("Fields you may not change: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    for name, value in data.items():
        setattr(obj, name, value)


def save_audited(actor, obj, *, then: Callable | None = None):
    """``full_clean`` (database constraints included) and save in one transaction, the audit
    entry naming ``actor``; ``then(obj)`` runs inside it (many-to-many fields and the like).

    A constraint that a simultaneous write tripped after ``full_clean`` passed (two people
    saving the same code at once) is refused with a message, like any other invalid data."""
    try:
        with transaction.atomic(), set_actor(actor):
            obj.full_clean()
            audit.normalise_decimals(obj)
            obj.save()
            if then is not None:
                then(obj)
    except IntegrityError as exc:
        raise ValidationError(saved_at_the_same_time()) from exc
    return obj


def delete_audited(actor, obj) -> None:
    with transaction.atomic(), set_actor(actor):
        obj.delete()
