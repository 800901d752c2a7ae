"""Pagination of every list: page numbers by default (``?page=``, ``?page_size=``), or cursors
for walking a large list once (``?paginate=cursor`` to start, then the ``next`` links, which
carry ``?cursor=``). A cursor list is ordered by a stable unique key: ``id`` (the default,
``?ordering=-id`` backwards) or ``updated_at`` then ``id`` (``?ordering=updated_at``, the order
for an incremental sync). A cursor page has no ``count``: counting a million rows on every page
is what cursors avoid."""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination

from escp_portal.api.filters import ORDERING_PARAM, has_updated_at, parse_moment

CURSOR_PARAM = "cursor"
MODE_PARAM = "paginate"
MAX_ID = 2**63 - 1


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        page = request.query_params.get(self.page_query_param, "1")
        # ASCII digits only, and a length an int can take (``"²".isdigit()`` is true too)
        if page != "last" and not (re.fullmatch(r"[0-9]{1,9}", page) and int(page) >= 1):
            raise exceptions.ValidationError({"page": [_("A page is a whole number from 1.")]})
        return super().paginate_queryset(queryset, request, view)


def _page_size(request, name: str, maximum: int) -> None:
    raw = request.query_params.get(name)
    if raw is not None and not (re.fullmatch(r"[0-9]{1,9}", raw) and int(raw) >= 1):
        raise exceptions.ValidationError(
            {name: [_("A page size is a whole number from 1 to %(max)d.") % {"max": maximum}]}
        )


class CursorPagination(pagination.CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
    cursor_query_param = CURSOR_PARAM
    invalid_cursor_message = "Invalid cursor"

    def get_ordering(self, request, queryset, view):
        model = queryset.model
        key = getattr(view, "cursor_key", None) or ("id" if model._meta.pk.name == "id" else "pk")
        first = (request.query_params.get(ORDERING_PARAM) or "").split(",")[0].strip()
        if first in ("", "id", "pk", key):
            return (key,)
        if first in ("-id", "-pk", f"-{key}"):
            return (f"-{key}",)
        if first.removeprefix("-") == "updated_at" and has_updated_at(model):
            return (first, f"-{key}" if first.startswith("-") else key)
        raise exceptions.ValidationError(
            {
                ORDERING_PARAM: [
                    _("A list read with cursors is sorted on %(fields)s only.")
                    % {
                        "fields": "id, -id, updated_at, -updated_at"
                        if has_updated_at(model)
                        else "id, -id"
                    }
                ]
            }
        )

    def paginate_queryset(self, queryset, request, view=None):
        _page_size(request, self.page_size_query_param, self.max_page_size)
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        name = self.ordering[0].lstrip("-")
        field = self._model._meta.pk if name == "pk" else self._model._meta.get_field(name)
        try:
            if name == "updated_at":
                valid = parse_moment(cursor.position) is not None
            else:
                value = field.to_python(cursor.position)
                valid = not isinstance(value, int) or abs(value) <= MAX_ID
        except (DjangoValidationError, TypeError, ValueError):
            valid = False
        if not valid:
            raise exceptions.NotFound(_("Invalid cursor."))
        return cursor


class ListPagination(PageNumberPagination):
    """The pagination of every list: page numbers, or cursors when the client asks for them."""

    def _wants_cursor(self, request) -> bool:
        mode = request.query_params.get(MODE_PARAM)
        if mode not in (None, "page", "cursor"):
            raise exceptions.ValidationError(
                {MODE_PARAM: [_("Either page (the default) or cursor.")]}
            )
        return mode == "cursor" or CURSOR_PARAM in request.query_params

    def paginate_queryset(self, queryset, request, view=None):
        self.delegate = None
        if self._wants_cursor(request):
            self.delegate = CursorPagination()
            return self.delegate.paginate_queryset(queryset, request, view)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        if getattr(self, "delegate", None) is not None:
            return self.delegate.get_paginated_response(data)
        return super().get_paginated_response(data)

    def get_html_context(self):
        if getattr(self, "delegate", None) is not None:
            return self.delegate.get_html_context()
        return super().get_html_context()

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": MODE_PARAM,
                "required": False,
                "in": "query",
                "description": _(
                    "cursor: read the list with cursors (no count; follow the next link, which "
                    "carries ?cursor=) — for walking a large list once, e.g. an incremental "
                    "sync. Sorted on id, or with ?ordering=updated_at on updated_at then id. "
                    "page (the default): page numbers."
                ),
                "schema": {"type": "string", "enum": ["page", "cursor"]},
            },
            {
                "name": CURSOR_PARAM,
                "required": False,
                "in": "query",
                "description": _(
                    "The position in a list read with cursors, as given in the next and "
                    "previous links. An invalid cursor answers 404."
                ),
                "schema": {"type": "string"},
            },
        ]

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["required"] = ["results"]
        answer["properties"]["count"]["description"] = _(
            "The number of rows in the whole list; absent when the list is read with cursors."
        )
        return answer
