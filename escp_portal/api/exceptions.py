"""Every API error has one JSON shape::

    {"status": 400, "code": "invalid", "detail": "…", "errors": {"field": ["…"]}}

``errors`` is present for validation errors only: field name to messages, ``non_field_errors``
for the object as a whole, and ``rows`` for bulk writes: a list of ``{"index", "field",
"message"}`` (the index of the row in what was sent; ``null`` when the list as a whole is
refused). ``ErrorSerializer`` is that shape in the API schema: every error answer refers to it.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from escp_portal.services import RowErrors


class RowErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(
        allow_null=True,
        help_text="Index (from 0) of the row in the list sent; null when the list as a whole "
        "is refused.",
    )
    field = serializers.CharField(help_text="The column at fault, or `row` for the row as a whole.")
    message = serializers.CharField(help_text="What is wrong, in the user's language.")


class ValidationErrorsSerializer(serializers.Serializer):
    """Field name to its messages (a nested object's errors for a nested field)."""

    non_field_errors = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Errors of the object (or the request) as a whole.",
    )
    rows = RowErrorSerializer(
        many=True, required=False, help_text="Errors of a bulk write, one entry per problem."
    )


class ErrorSerializer(serializers.Serializer):
    """The one JSON body of every error answer of the API."""

    status = serializers.IntegerField(help_text="The HTTP status code of the answer, repeated.")
    code = serializers.CharField(
        help_text="A stable, machine-readable code: `invalid`, `not_authenticated`, "
        "`authentication_failed`, `permission_denied`, `not_found`, `method_not_allowed`, "
        "`unsupported_media_type`, `in_progress`, `precondition_failed`, `throttled`, "
        "`locked_out`; at token issue `invalid_credentials` and `token_limit_reached`."
    )
    detail = serializers.CharField(
        help_text="What went wrong, for people, in the language of the request."
    )
    errors = ValidationErrorsSerializer(
        required=False,
        help_text="Only in 400 answers (`code` `invalid`): what is wrong with each field.",
    )


def error_body(status_code: int, code: str, detail, errors=None) -> dict:
    """The body of every error answer (handler, middleware, lockout)."""
    body = {"status": status_code, "code": code, "detail": str(detail)}
    if errors is not None:
        body["errors"] = errors
    return body


def _rows(errors) -> list[dict]:
    """A bulk write's ``rows`` errors as DRF gives them (messages of the list as a whole, a
    list field's ``{index: [messages]}``, a list serializer's ``[{field: [messages]}, …]``) in the
    one shape of ``RowErrors``: ``[{"index", "field", "message"}]``."""

    def messages(value):
        return value if isinstance(value, list) else [value]

    if isinstance(errors, list) and all(
        isinstance(row, dict) and set(row) == {"index", "field", "message"} for row in errors
    ):
        return errors  # already in the shape
    if isinstance(errors, dict):
        items = [
            (int(index) if str(index).isdigit() else None, value) for index, value in errors.items()
        ]
    else:
        items = list(enumerate(errors))
    rows = []
    for index, value in items:
        if isinstance(value, dict):
            rows += [
                {"index": index, "field": str(field), "message": str(message)}
                for field, field_messages in value.items()
                for message in messages(field_messages)
            ]
        elif isinstance(errors, dict):
            rows += [
                {"index": index, "field": "row", "message": str(message)}
                for message in messages(value)
            ]
        else:  # a message about the list as a whole
            rows.append({"index": None, "field": "rows", "message": str(value)})
    return rows


def _code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes
    return exc.default_code


def exception_handler(exc, context):
    if isinstance(exc, RowErrors):
        # The shape of every 400, with the row errors as a list (indexes stay numbers).
        body = error_body(400, "invalid", exc.message, {"rows": exc.row_errors})
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, IntegrityError):
        # A database constraint caught what validation let through (e.g. a concurrent write).
        exc = exceptions.ValidationError(
            {"non_field_errors": [_("This change conflicts with existing data.")]}
        )
    elif isinstance(exc, Http404):
        # Not "No Partnership matches…": an id the user may not see gives nothing away.
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args[:1])
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        if "__all__" in detail:  # Django's name for errors of the object as a whole
            detail = {
                "non_field_errors": detail["__all__"],
                **{k: v for k, v in detail.items() if k != "__all__"},
            }
        if isinstance(detail.get("rows"), dict | list):  # a bulk write's rows
            detail = {**detail, "rows": _rows(detail["rows"])}
        body = error_body(
            response.status_code, "invalid", _("The request has invalid data."), detail
        )
    else:
        body = error_body(
            response.status_code,
            _code(exc),
            response.data.get("detail", "") if isinstance(response.data, dict) else "",
        )
    return Response(body, status=response.status_code, headers=_headers(response))


def _headers(response):
    return {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After")}


def json_error(request, status_code: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse(error_body(status_code, code, detail), status=status_code)


def api_not_found(request, exception=None):
    return json_error(request, status.HTTP_404_NOT_FOUND, "not_found", _("Not found."))


def api_server_error(request):
    return json_error(
        request, status.HTTP_500_INTERNAL_SERVER_ERROR, "server_error", _("Server error.")
    )
