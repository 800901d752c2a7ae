"""Hostile values, swept over every form of every page and every operation of the API schema:
NUL and other control characters, numbers of thousands of digits, integers past the database's
range, dates far ahead and far back, non-numeric ids. Each answer is a 400 or a form error, never
a 500; nothing is half-written (a refused post writes no audit entry), and no date outside the
portal's years nor integer outside a database integer reaches the database."""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse

from escp_portal.hostile import DATE_MAX, DATE_MIN, INT_MAX
from tests.security.test_access_matrix import MATRIX, OK, ROLES

pytestmark = pytest.mark.django_db

NUL = "a\x00b"
HOSTILE = {
    "nul": NUL,
    "control": "a\x1bb",
    "huge": "9" * 5000,
    "past_int": "99999999999",
    "far_date": "9999-12-31",
    "early_date": "0001-01-01",
    "not_an_id": "abc",
}
DOMAIN_APPS = ["partnerships", "strategy", "missions", "evaluation", "accounts"]
POSTERS = ["coord_a", "manager_a", "officer"]  # the roles that post forms
SWEPT = {"forms": 0, "fields": 0, "posts": 0, "api_params": 0, "api_fields": 0, "requests": 0}


class _Forms(HTMLParser):
    """The POST forms of a page: action and current values of their named fields."""

    def __init__(self):
        super().__init__()
        self.forms, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.forms.append({"action": a.get("action") or "", "fields": {}, "multi": {}})
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "file", "button"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    fields[name] = a.get("value", "on")
                else:
                    fields.setdefault(name, None)
            else:
                fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            fields[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _page_forms(html, url):
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        form["action"] = form["action"] or url
        form["fields"] = {k: v for k, v in form["fields"].items() if k != "csrfmiddlewaretoken"}
    return [form for form in parser.forms if form["fields"] and "/i18n/" not in form["action"]]


def _bounded_models():
    """(model, Q of rows out of range) for every model with date or integer fields."""
    for model in apps.get_models():
        if model._meta.app_label not in DOMAIN_APPS:
            continue
        query = Q()
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField):
                continue
            if isinstance(field, models.DateField):
                query |= Q(**{f"{field.name}__gt": DATE_MAX}) | Q(**{f"{field.name}__lt": DATE_MIN})
            elif isinstance(field, models.IntegerField) and not field.primary_key:
                query |= Q(**{f"{field.name}__gt": INT_MAX})
        if query:
            yield model, query


def _out_of_range():
    return [
        f"{model.__name__}#{pk}"
        for model, query in _bounded_models()
        for pk in model.objects.filter(query).values_list("pk", flat=True)
    ]


def _audit_count():
    from auditlog.models import LogEntry

    return LogEntry.objects.count()


def _check(response, label, *, refused_writes_nothing, before):
    code = response.status_code
    assert code < 500, (label, code)
    if code == 400 or (code == OK and refused_writes_nothing):
        assert _audit_count() == before, f"{label}: refused, yet something was written"


def _post_cases(client, s):
    """Every POST form on every page a poster may open, as (role, page name, form)."""
    for name, (make_kwargs, answers) in sorted(MATRIX.items()):
        if not answers or name.startswith("api:") or name == "accounts:logout":
            continue
        url = reverse(name, kwargs=make_kwargs(s))
        for role in POSTERS:
            if answers[ROLES.index(role)] != OK:
                continue
            client.force_login(getattr(s.world, role))
            response = client.get(url)
            if response.status_code != OK or "text/html" not in response["Content-Type"]:
                continue
            for form in _page_forms(response.content.decode(), url):
                yield role, name, form


def test_every_form_field_refuses_hostile_values(client, s):
    from tests.security.test_access_matrix import _client_for

    client.raise_request_exception = False
    found = []
    seen_forms = set()
    for role, name, form in list(_post_cases(client, s)):
        key = (name, form["action"], tuple(sorted(form["fields"])))
        if key in seen_forms:
            continue
        seen_forms.add(key)
        SWEPT["forms"] += 1
        base = {k: v for k, v in form["fields"].items() if v is not None}
        for field in form["fields"]:
            SWEPT["fields"] += 1
            for kind, value in HOSTILE.items():
                _client_for(client, s, role, token=False)
                SWEPT["posts"] += 1
                with transaction.atomic():
                    before = _audit_count()
                    response = client.post(form["action"], {**base, field: value})
                    label = f"{role} {name} {form['action']} {field}={kind}"
                    if response.status_code >= 500:
                        found.append(label)
                    else:
                        _check(response, label, refused_writes_nothing=True, before=before)
                        if kind in ("nul", "control"):
                            assert response.status_code == 400, label
                        if kind in ("far_date", "early_date", "past_int", "huge"):
                            assert not _out_of_range(), label
                    transaction.set_rollback(True)
    print(f"\nforms swept: {SWEPT}")
    assert SWEPT["forms"] >= 25, SWEPT
    assert not found, found


# --- the API: every documented query parameter and every body field -------------------------


def _schema(client):
    return client.get("/api/v1/schema/?format=json").json()


def _concrete_urls(s):
    """Schema path template -> a URL of the matrix that fits it."""
    urls = [
        reverse(name, kwargs=make_kwargs(s))
        for name, (make_kwargs, _answers) in MATRIX.items()
        if name.startswith("api:")
    ]
    return urls


def _fits(template, urls):
    pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
    return next((url for url in urls if pattern.match(url)), None)


def _token(s, role):
    return {"HTTP_AUTHORIZATION": f"Token {s.tokens[role]}"}


def test_every_api_query_parameter_refuses_hostile_values(client, s):
    client.raise_request_exception = False
    schema, urls, found = _schema(client), _concrete_urls(s), []
    for template, operations in schema["paths"].items():
        get = operations.get("get")
        url = _fits(template, urls)
        if not get or not url:
            continue
        for parameter in get.get("parameters", []):
            if parameter["in"] != "query":
                continue
            SWEPT["api_params"] += 1
            for kind, value in HOSTILE.items():
                for role in ("coord_a", "officer"):
                    SWEPT["requests"] += 1
                    response = client.get(url, {parameter["name"]: value}, **_token(s, role))
                    label = f"{role} GET {url}?{parameter['name']}={kind}"
                    if response.status_code >= 500:
                        found.append(label)
                    elif kind in ("nul", "control"):
                        assert response.status_code == 400, label
                        assert response.json()["code"] == "invalid", label
    print(f"\nAPI query parameters swept: {SWEPT}")
    assert SWEPT["api_params"] >= 40, SWEPT
    assert not found, found


def _body_fields(schema, operation):
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = body.get("schema", {})
    if "$ref" in ref:
        ref = schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]
    return sorted(ref.get("properties", {}))


def _writer(url):
    """The role that may write the object of ``url``: A's cluster manager for cluster and member
    data, A's coordinator for the rest."""
    return "manager_a" if re.search(r"/(clusters|members)/", url) else "coord_a"


def _shapes(kind, value):
    # An id field also gets a list and an object where it takes a number.
    return [value, [value], {"x": value}] if kind in ("nul", "not_an_id") else [value]


def test_every_api_body_field_refuses_hostile_values(client, s):
    client.raise_request_exception = False
    schema, urls, found = _schema(client), _concrete_urls(s), []
    for template, operations in schema["paths"].items():
        url = _fits(template, urls)
        if not url or template.startswith("/api/v1/auth"):
            continue
        role = _writer(url)
        for method in ("post", "put", "patch"):
            if method not in operations:
                continue
            for field in _body_fields(schema, operations[method]) or ["id"]:
                SWEPT["api_fields"] += 1
                for kind, value in HOSTILE.items():
                    for shape in _shapes(kind, value):
                        SWEPT["requests"] += 1
                        with transaction.atomic():
                            before = _audit_count()
                            response = getattr(client, method)(
                                url,
                                {field: shape},
                                content_type="application/json",
                                **_token(s, role),
                            )
                            label = f"{role} {method} {url} {field}={kind} {type(shape).__name__}"
                            if response.status_code >= 500:
                                found.append(label)
                            else:
                                _check(response, label, refused_writes_nothing=False, before=before)
                                if kind in ("nul", "control") and response.status_code < 400:
                                    found.append(f"{label}: accepted")
                                # A refused write wrote nothing (checked above): scan after the
                                # accepted ones only.
                                if (
                                    kind in ("far_date", "early_date", "past_int", "huge")
                                    and response.status_code < 400
                                    and _out_of_range()
                                ):
                                    found.append(f"{label}: stored out of range")
                            transaction.set_rollback(True)
    print(f"\nAPI body fields swept: {SWEPT}")
    assert SWEPT["api_fields"] >= 60, SWEPT
    assert not found, found[:40]


# --- bulk rows: every column of the member import and of the measurement bulk write ---------

MEMBER_COLUMNS = [
    "id",
    "name",
    "country",
    "city",
    "employees",
    "annual_turnover",
    "balance_sheet_total",
    "founded_year",
    "nace_codes",
    "contact_email",
    "joined_on",
]
MEASUREMENT_COLUMNS = ["kpi", "period_end", "partner", "value", "comment"]


def test_every_bulk_row_column_refuses_hostile_values(client, s):
    client.raise_request_exception = False
    found, count = [], 0
    member = {"name": "Rowan Ltd", "country": "DE", "employees": 5}
    measurement = {
        "kpi": s.a.kpi.pk,
        "period_end": "2025-06-30",
        "partner": s.partner_a.pk,
        "value": "2",
    }
    for url, role, base, columns, wrap in [
        (
            "/api/v1/members/bulk/",
            "manager_a",
            member,
            MEMBER_COLUMNS,
            lambda rows: {"cluster": s.world.cluster_a.pk, "rows": rows},
        ),
        ("/api/v1/measurements/bulk/", "coord_a", measurement, MEASUREMENT_COLUMNS, lambda r: r),
    ]:
        for column in columns:
            for kind, value in HOSTILE.items():
                for shape in _shapes(kind, value):
                    count += 1
                    with transaction.atomic():
                        before = _audit_count()
                        response = client.post(
                            url,
                            wrap([{**base, column: shape}]),
                            content_type="application/json",
                            **_token(s, role),
                        )
                        label = f"{url} {column}={kind} {type(shape).__name__}"
                        if response.status_code >= 500:
                            found.append(label)
                        else:
                            _check(response, label, refused_writes_nothing=False, before=before)
                            if kind in ("nul", "control") and response.status_code < 400:
                                found.append(f"{label}: accepted")
                            if _out_of_range():
                                found.append(f"{label}: stored out of range")
                        transaction.set_rollback(True)
    print(f"\nbulk row values swept: {count}")
    assert not found, found
