"""Schemathesis against the project's own OpenAPI schema, as each role: no server errors and
responses that match the schema. Bounded examples so that CI stays quick; raise
FUZZ_EXAMPLES for a longer run."""

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

APP = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", APP)
# CI runs the generated examples only; FUZZ_COVERAGE=1 adds the boundary-value phase too.
schema.config.phases.coverage.enabled = os.environ.get("FUZZ_COVERAGE") == "1"
schema.config.phases.stateful.enabled = False
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
CALLS = {"cases": 0, "server_errors": 0}
ROLES = ["anonymous", "coord_a", "manager_a", "officer"]

pytestmark = [pytest.mark.django_db]


@pytest.fixture(params=ROLES)
def auth_headers(request, world):
    from knox.models import AuthToken

    role = request.param
    if role == "anonymous":
        return {}
    return {"Authorization": f"Token {AuthToken.objects.create(user=getattr(world, role))[1]}"}


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """The WSGI handler closes the database connection at the end of each request (as in
    production); inside the test transaction that would close it under the test, so keep it
    open for the duration, the way Django's test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    print(
        f"\nschemathesis: {CALLS['cases']} requests, {CALLS['server_errors']} server errors "
        f"({EXAMPLES} examples per operation and role)"
    )


@schema.parametrize()
@settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
def test_api_answers_every_input_without_a_server_error(case, auth_headers):
    CALLS["cases"] += 1
    response = case.call_and_validate(
        headers=auth_headers,
        checks=[not_a_server_error, response_schema_conformance],
    )
    CALLS["server_errors"] += response.status_code >= 500
