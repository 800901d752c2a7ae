"""Input a database or a mail server cannot take, refused at the door.

- Control characters: PostgreSQL refuses NUL in text, and the other C0 controls (and unpaired
  surrogates from JSON) are never meant in a form, a query or an API body. The middleware answers
  400 before any view runs: a page with a message, or the API's JSON error shape. Tab, line feed
  and carriage return stay allowed (multi-line text).
- Dates: the portal plans and reports between ``DATE_MIN`` and ``DATE_MAX``; every form and
  serializer date field is bounded to them (``bound_fields``), and readers that turn dates into
  periods or calendar entries bound themselves to the same range.
- Whole numbers: fields without a bound get the range of a 32-bit database integer.
- Email subjects: ``one_line`` folds line breaks (a header may not hold one).
"""

import json
import re
from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)
INT_MAX = 2_147_483_647
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def has_control(value) -> bool:
    """Whether a string (or any string inside a parsed JSON value) holds a refused character."""
    if isinstance(value, str):
        return bool(CONTROL.search(value))
    if isinstance(value, dict):
        return any(has_control(k) or has_control(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_control(item) for item in value)
    return False


def one_line(text: str) -> str:
    """A text fit for an email header: line breaks and control characters become one space."""
    return CONTROL.sub(" ", LINE_BREAKS.sub(" ", str(text))).strip()


def _json_body(request):
    try:
        return json.loads(request.body or b"null")
    except ValueError:
        return None  # not JSON: the API's parser answers 400 itself


def _refused(request) -> bool:
    if CONTROL.search(request.path):
        return True
    if any(has_control(k) or has_control(v) for k, values in request.GET.lists() for v in values):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    if (request.content_type or "").endswith("json"):
        return has_control(_json_body(request))
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return any(
            has_control(k) or has_control(v) for k, values in request.POST.lists() for v in values
        )
    return False


class ControlCharacterMiddleware:
    """Answers 400 to a request whose path, query, form or JSON body holds a control character
    (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if not _refused(request):
            return None
        message = _("The request holds a control character that the portal does not accept.")
        if request.path.startswith("/api/"):
            from django.http import JsonResponse

            from escp_portal.api.exceptions import error_body

            # The API's shape of a validation error.
            body = error_body(400, "invalid", message, {"non_field_errors": [message]})
            return JsonResponse(body, status=400)
        return HttpResponseBadRequest(
            render_to_string("400.html", {"message": message}, request=request)
        )


class DateRangeValidator:
    """A date between ``DATE_MIN`` and ``DATE_MAX``."""

    message = gettext_lazy("Enter a date between %(min)s and %(max)s.")

    def __call__(self, value):
        from django.core.exceptions import ValidationError

        if value is not None and not DATE_MIN <= value <= DATE_MAX:
            raise ValidationError(
                self.message,
                code="date_range",
                params={"min": DATE_MIN.year, "max": DATE_MAX.year},
            )

    def __eq__(self, other):
        return isinstance(other, DateRangeValidator)


def bound_fields(fields) -> None:
    """Bound every date field to the portal's years and every whole-number field without an
    upper bound to a database integer, in a form's (or a FilterSet's form's) ``fields``."""
    for field in fields.values():
        if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
            if not any(isinstance(v, DateRangeValidator) for v in field.validators):
                field.validators.append(DateRangeValidator())
        elif type(field) is forms.IntegerField:
            _bound_integer(field)


def bound_serializer_fields(fields) -> None:
    """``bound_fields`` for a DRF serializer's fields (nested lists and serializers too)."""
    from rest_framework import serializers

    for field in fields.values():
        if isinstance(field, serializers.ListSerializer | serializers.ListField):
            child = field.child
            if isinstance(child, serializers.Serializer):
                bound_serializer_fields(child.fields)
            else:
                bound_serializer_fields({"child": child})
        elif isinstance(field, serializers.Serializer):
            bound_serializer_fields(field.fields)
        elif isinstance(field, serializers.ChoiceField) and not field.read_only:
            _guard_choice(field)
        elif isinstance(field, serializers.DateField) and not field.read_only:
            if not any(isinstance(v, DateRangeValidator) for v in field.validators):
                field.validators.append(DateRangeValidator())
        elif type(field) is serializers.IntegerField and not field.read_only:
            _bound_integer(field)


def _guard_choice(field) -> None:
    """A choice longer than any choice is invalid before the field parses it (django-countries
    reads a string of digits as a numeric country code, and ``int`` refuses thousands of them)."""
    parse = field.to_internal_value
    if getattr(parse, "guarded", False):
        return

    def to_internal_value(data):
        if isinstance(data, str) and len(data) > 255:
            field.fail("invalid_choice", input=data[:20])
        return parse(data)

    to_internal_value.guarded = True
    field.to_internal_value = to_internal_value


def _bound_integer(field) -> None:
    """At most a 32-bit database integer (SQLite's wider range would let through what
    PostgreSQL then refuses), at least its negative."""
    if field.max_value is None or field.max_value > INT_MAX:
        field.max_value = INT_MAX
        field.validators.append(MaxValueValidator(INT_MAX))
    if field.min_value is None or field.min_value < -INT_MAX:
        field.min_value = -INT_MAX
        field.validators.append(MinValueValidator(-INT_MAX))
