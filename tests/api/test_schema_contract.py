"""The OpenAPI schema is a contract an integrator can build on from the schema alone: every
operation is summarised and described in its own words, documents its error answers in the
one error shape, and types every successful JSON body."""

from collections import Counter

import pytest
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")
ERROR_REF = "#/components/schemas/Error"


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture(scope="module")
def operations(schema):
    return [
        (f"{method.upper()} {path}", operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def untyped(schema, node, seen=()):
    """Whether a body's schema is a bare object (no properties), however deep the list goes."""
    node = resolve(schema, node)
    if any(key in node for key in ("allOf", "oneOf", "anyOf")):
        return False
    if node.get("type") == "array":
        return "items" not in node or untyped(schema, node["items"])
    if node.get("type", "object") == "object":
        return not node.get("properties")
    return False


def test_the_schema_has_every_part_of_the_api(operations):
    assert len(operations) > 200
    names = {name for name, _op in operations}
    for expected in (
        "GET /api/v1/partnerships/",
        "POST /api/v1/members/bulk/",
        "GET /api/v1/scoreboards/{partnership_id}/",
        "PATCH /api/v1/kpis/{id}/",
    ):
        assert expected in names


def test_every_operation_has_a_summary(operations):
    missing = [name for name, op in operations if not op.get("summary")]
    assert missing == []


def test_every_operation_has_a_description_of_its_own(operations):
    counts = Counter(op.get("description", "") for _name, op in operations)
    shared = [
        name
        for name, op in operations
        if not op.get("description") or counts[op["description"]] > 1
    ]
    assert shared == []


def test_explicit_summaries_win_over_the_composed_ones(schema):
    bulk = schema["paths"]["/api/v1/members/bulk/"]["post"]
    assert bulk["summary"] == "Create or update many members of a cluster at once"
    assert schema["paths"]["/api/v1/partnerships/"]["get"]["summary"] == "List partnerships"
    assert schema["paths"]["/api/v1/kpis/{id}/"]["get"]["summary"] == "Read a KPI"
    assert schema["paths"]["/api/v1/partners/"]["post"]["summary"] == "Create a partner"


def test_every_error_answer_has_the_one_error_body(operations):
    wrong = []
    for name, op in operations:
        errors = {code: r for code, r in op["responses"].items() if code.startswith("4")}
        if not errors:
            wrong.append((name, "no 4xx"))
        for code, response in errors.items():
            body = response.get("content", {}).get("application/json", {}).get("schema")
            if body != {"$ref": ERROR_REF} or not response.get("description"):
                wrong.append((name, code))
    assert wrong == []


def test_error_answers_follow_the_method_and_the_route(operations):
    for name, op in operations:
        method, path = name.split(" ", 1)
        codes = set(op["responses"])
        headers = {p["name"] for p in op.get("parameters", []) if p["in"] == "header"}
        assert {"401", "403", "429"} <= codes, name
        assert ("404" in codes) is ("{" in path) or name.startswith("POST /api/v1/invitations/")
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            assert "400" in codes, name
        assert ("412" in codes) is ("If-Match" in headers), name
        assert ("409" in codes) is ("Idempotency-Key" in headers), name


def test_every_operation_answers_a_success_and_types_its_json_body(schema, operations):
    wrong = []
    for name, op in operations:
        successes = {code: r for code, r in op["responses"].items() if code.startswith("2")}
        if not successes:
            wrong.append((name, "no 2xx"))
        for code, response in successes.items():
            for media, content in response.get("content", {}).items():
                if "json" in media and untyped(schema, content.get("schema", {})):
                    wrong.append((name, code))
    assert wrong == []


def test_the_main_resources_have_examples(schema):
    paths = schema["paths"]

    def examples(path, method, code=None):
        op = paths[path][method]
        if code is None:
            return op["requestBody"]["content"]["application/json"].get("examples", {})
        return op["responses"][code]["content"]["application/json"].get("examples", {})

    for resource in ("partnerships", "clusters", "members", "kpis", "measurements", "missions"):
        assert examples(f"/api/v1/{resource}/", "post"), resource
        assert examples(f"/api/v1/{resource}/{{id}}/", "get", "200"), resource
    assert examples("/api/v1/participations/", "post")
    assert examples("/api/v1/members/bulk/", "post")
    assert examples("/api/v1/members/bulk/", "post", "200")
    assert examples("/api/v1/measurements/bulk/", "post")
    assert examples("/api/v1/scoreboards/{partnership_id}/", "get", "200")


def test_a_quarter_of_the_properties_are_described(schema):
    properties = [
        prop
        for component in schema["components"]["schemas"].values()
        for prop in component.get("properties", {}).values()
    ]
    described = [prop for prop in properties if prop.get("description")]
    assert len(described) >= len(properties) / 4


def test_the_schema_validates_without_a_warning(tmp_path, capsys):
    GENERATOR_STATS.reset()
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yml"),
    )
    assert not GENERATOR_STATS
    assert "Warning" not in capsys.readouterr().err
    assert (tmp_path / "schema.yml").stat().st_size > 0


# --- real answers match the documented error body ---------------------------------------------


def assert_documented_error(schema, response, status):
    assert response.status_code == status, response.content
    error = schema["components"]["schemas"]["Error"]
    body = response.json()
    assert set(error["required"]) <= set(body)
    assert set(body) <= set(error["properties"])
    assert body["status"] == status
    assert isinstance(body["code"], str) and isinstance(body["detail"], str)
    if "errors" in body:
        rows = resolve(schema, schema["components"]["schemas"]["ValidationErrors"])
        row_error = resolve(schema, rows["properties"]["rows"]["items"])
        for row in body["errors"].get("rows", []):
            assert set(row) == set(row_error["required"])
    return body


@pytest.mark.django_db
def test_a_real_400_has_the_documented_shape(client, world, schema):
    client.force_login(world.coord_a)
    refused = client.patch(
        f"/api/v1/partnerships/{world.a.pk}/",
        {"end_date": "not a date"},
        content_type="application/json",
    )
    body = assert_documented_error(schema, refused, 400)
    assert body["code"] == "invalid" and "end_date" in body["errors"]


@pytest.mark.django_db
def test_a_refused_bulk_write_has_the_documented_rows(client, world, schema):
    client.force_login(world.coord_a)
    refused = client.post("/api/v1/measurements/bulk/", [], content_type="application/json")
    body = assert_documented_error(schema, refused, 400)
    assert body["errors"]["rows"] == [
        {"index": None, "field": "rows", "message": "Send a list of 1 to 1000 rows."}
    ]
    members = client.post(
        "/api/v1/members/bulk/",
        {"cluster": world.cluster_a.pk, "rows": ["not a row"]},
        content_type="application/json",
    )
    body = assert_documented_error(schema, members, 400)
    assert [(row["index"], row["field"]) for row in body["errors"]["rows"]] == [(0, "row")]


@pytest.mark.django_db
def test_a_real_404_has_the_documented_shape(client, world, schema):
    client.force_login(world.coord_b)
    missing = client.get(f"/api/v1/scoreboards/{world.draft.pk}/")
    body = assert_documented_error(schema, missing, 404)
    assert body["code"] == "not_found"


@pytest.mark.django_db
def test_a_real_403_and_401_have_the_documented_shape(client, world, schema):
    unauthenticated = client.get("/api/v1/me/")
    assert_documented_error(schema, unauthenticated, 401)
    client.force_login(world.coord_a)
    refused = client.get("/api/v1/statistics/")
    body = assert_documented_error(schema, refused, 403)
    assert body["code"] == "permission_denied"
