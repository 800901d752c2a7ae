"""Every API error has one JSON shape::

    {"status": 400, "code": "invalid", "detail": "…", "errors": {"field": ["…"]}}

``errors`` is present for validation errors only: field name to messages, ``non_field_errors``
for the object as a whole, and ``rows`` (index to field errors) for bulk writes.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from escp_portal.services import RowErrors


def _code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes
    return exc.default_code


def exception_handler(exc, context):
    if isinstance(exc, RowErrors):
        # The shape of every 400, with the row errors as a list (indexes stay numbers).
        body = {
            "status": 400,
            "code": "invalid",
            "detail": exc.message,
            "errors": {"rows": exc.row_errors},
        }
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
        body = {
            "status": response.status_code,
            "code": "invalid",
            "detail": _("The request has invalid data."),
            "errors": detail,
        }
    else:
        body = {
            "status": response.status_code,
            "code": _code(exc),
            "detail": response.data.get("detail", "") if isinstance(response.data, dict) else "",
        }
    return Response(body, status=response.status_code, headers=_headers(response))


def _headers(response):
    return {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After")}


def json_error(request, status_code: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"status": status_code, "code": code, "detail": detail}, status=status_code)


def api_not_found(request, exception=None):
    return json_error(request, status.HTTP_404_NOT_FOUND, "not_found", _("Not found."))


def api_server_error(request):
    return json_error(
        request, status.HTTP_500_INTERNAL_SERVER_ERROR, "server_error", _("Server error.")
    )
