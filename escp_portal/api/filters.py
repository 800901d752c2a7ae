"""What every list of the API can do besides its app's FilterSet (issue #18, incremental sync):

- ``?ordering=`` (``OrderingFilter``): a comma-separated list of fields, ``-`` for descending,
  chosen among the fields the list allows — its viewset's ``ordering_fields``, or else the
  indexed columns of its model (``indexed_fields``), so that a sort is an index walk. An unknown
  field answers 400, never a silently unsorted list. Without it the list keeps its default
  order (its model's), with the id as the last key so that pages never overlap.
- ``?updated_since=`` (``UpdatedSinceFilter``): the rows changed at or after an ISO 8601 moment
  (inclusive: a client that sends the last ``updated_at`` it saw misses no row), on every list
  whose model has an ``updated_at``.

Both apply to the ``list`` action only: a detail URL ignores them.
"""

import re
from datetime import UTC, datetime

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, filters
from rest_framework.filters import BaseFilterBackend

ORDERING_PARAM = "ordering"
UPDATED_SINCE_PARAM = "updated_since"
MAX_ORDERING_TERMS = 4
# Never a sort key: the order of rows by a secret tells something about it.
SECRET = re.compile(r"token|hash|digest|secret|password|key", re.IGNORECASE)


def _is_list(view) -> bool:
    return getattr(view, "action", None) == "list"


def indexed_fields(model) -> list[str]:
    """The model's columns that lead a database index (primary key, unique or indexed field,
    first column of an index or of a unique constraint), relations left out: the fields a list
    may be sorted on without a sort of the whole table. ``id`` first."""
    leading = set()
    for index in model._meta.indexes:
        if index.fields and not index.condition and not index.fields[0].startswith("-"):
            leading.add(index.fields[0])
    for constraint in model._meta.constraints:
        if (
            isinstance(constraint, models.UniqueConstraint)
            and constraint.fields
            and constraint.condition is None
        ):
            leading.add(constraint.fields[0])
    names = []
    for field in model._meta.concrete_fields:
        if field.is_relation or SECRET.search(field.name):
            continue
        if field.primary_key or field.unique or field.db_index or field.name in leading:
            names.append("id" if field.primary_key and field.name == "id" else field.name)
    names.sort(key=lambda name: (name != "id", name))
    return names


def ordering_fields_of(view, model) -> list[str]:
    """The fields a list may be sorted on: the viewset's ``ordering_fields`` if it names them."""
    declared = getattr(view, "ordering_fields", None)
    if declared is not None:
        return list(declared)
    return indexed_fields(model)


def has_updated_at(model) -> bool:
    try:
        field = model._meta.get_field("updated_at")
    except Exception:
        return False
    return isinstance(field, models.DateTimeField)


def _model_of(view):
    queryset = getattr(view, "queryset", None)
    return queryset.model if queryset is not None else None


class OrderingFilter(filters.OrderingFilter):
    ordering_param = ORDERING_PARAM
    ordering_description = gettext_lazy(
        "Sort the list: one or more of the allowed fields, comma-separated, '-' before a field "
        "for descending order (e.g. -updated_at,id). Any other field answers 400. Without it the "
        "list keeps its default order."
    )

    def get_valid_fields(self, queryset, view, context=None):
        return [(name, name) for name in ordering_fields_of(view, queryset.model)]

    def requested(self, request, queryset, view) -> list[str] | None:
        """The ordering the client asked for, checked; None when it asked for none."""
        raw = request.query_params.get(self.ordering_param)
        if raw is None or not raw.strip() or not _is_list(view):  # "?ordering=": the default
            return None
        allowed = ordering_fields_of(view, queryset.model)
        terms = [term.strip() for term in raw.split(",")]
        unknown = [term for term in terms if term.removeprefix("-") not in allowed]
        if unknown or not terms or len(terms) > MAX_ORDERING_TERMS:
            raise exceptions.ValidationError(
                {
                    self.ordering_param: [
                        _("This list can be sorted on %(fields)s (at most %(n)d of them).")
                        % {"fields": ", ".join(allowed), "n": MAX_ORDERING_TERMS}
                    ]
                }
            )
        return terms

    def get_ordering(self, request, queryset, view):
        terms = self.requested(request, queryset, view)
        if terms is None:
            return self.get_default_ordering(view)
        if not any(term.removeprefix("-") in ("id", "pk") for term in terms):
            pk = queryset.model._meta.pk
            if not pk.is_relation:
                terms.append("-pk" if terms[-1].startswith("-") else "pk")
        return terms

    def filter_queryset(self, request, queryset, view):
        if not _is_list(view):
            return queryset
        ordering = self.get_ordering(request, queryset, view)
        if ordering:
            return queryset.order_by(*ordering)
        if not queryset.ordered:
            return queryset.order_by("pk")
        return queryset

    def get_schema_operation_parameters(self, view):
        model = _model_of(view)
        if model is None or getattr(view, "action", None) not in (None, "list"):
            return []
        allowed = ordering_fields_of(view, model)
        values = [value for name in allowed for value in (name, f"-{name}")]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": str(self.ordering_description)
                + " "
                + _("Allowed: %(values)s.") % {"values": ", ".join(values)},
                "schema": {"type": "string"},
                "example": values[-1],
            }
        ]


def parse_moment(raw: str) -> datetime | None:
    """An ISO 8601 date and time (``Z`` or an offset; a moment without one is in the portal's
    time zone), or None when it is not one."""
    raw = raw.strip()
    candidates = [raw]
    if " " in raw:  # "+01:00" sent unencoded in a query string arrives as " 01:00"
        head, _sep, tail = raw.rpartition(" ")
        candidates.append(f"{head}+{tail}")
    moment = None
    for candidate in candidates:
        try:
            moment = parse_datetime(candidate)
        except (ValueError, OverflowError):
            moment = None
        if moment is not None:
            break
    if moment is None:
        return None
    if timezone.is_naive(moment):
        try:
            moment = timezone.make_aware(moment)
        except (ValueError, OverflowError):
            return None
    try:
        moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    if not 1900 <= moment.year <= 9998:
        return None
    return moment


def since_param(request, name: str) -> datetime | None:
    """The moment in ``?<name>=``, or None when absent; a bad value answers 400."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    moment = parse_moment(raw)
    if moment is None:
        raise exceptions.ValidationError(
            {
                name: [
                    _(
                        "Give a date and time in ISO 8601 form, e.g. 2025-01-31T08:00:00Z "
                        "(with Z or an offset such as +01:00)."
                    )
                ]
            }
        )
    return moment


class UpdatedSinceFilter(BaseFilterBackend):
    """``?updated_since=``: the rows changed at or after the moment (inclusive)."""

    description = gettext_lazy(
        "Only the rows created or changed at or after this moment (ISO 8601, e.g. "
        "2025-01-31T08:00:00Z). Inclusive: send the last updated_at you saw and you miss "
        "nothing (you may get that row again). Deleted rows: GET /api/v1/deletions/."
    )

    def filter_queryset(self, request, queryset, view):
        if not _is_list(view) or UPDATED_SINCE_PARAM not in request.query_params:
            return queryset
        if not has_updated_at(queryset.model):
            raise exceptions.ValidationError(
                {UPDATED_SINCE_PARAM: [_("This list has no record of when its rows changed.")]}
            )
        moment = since_param(request, UPDATED_SINCE_PARAM)
        return queryset.filter(updated_at__gte=moment)

    def get_schema_operation_parameters(self, view):
        model = _model_of(view)
        if model is None or not has_updated_at(model):
            return []
        if getattr(view, "action", None) not in (None, "list"):
            return []
        return [
            {
                "name": UPDATED_SINCE_PARAM,
                "required": False,
                "in": "query",
                "description": str(self.description),
                "schema": {"type": "string", "format": "date-time"},
            }
        ]
