"""The API's schema makes a working Python client (openapi-python-client): every operation of
the schema becomes a typed function of the client, and the schema says what the writes answer.
The client is driven against a live server in tests/integration/test_generated_client.py."""

import re

from tests.generated_client import operations


def _identifier(name: str) -> str:
    return re.sub(r"\W+", "_", name).strip("_").lower()


def test_every_operation_of_the_schema_has_a_function_in_the_generated_client(generated_client):
    expected = {
        (_identifier(op["tags"][0]), _identifier(op["operationId"]))
        for _path, _method, op in operations(generated_client.schema)
    }
    api = generated_client.folder / "api"
    generated = {
        (module.parent.name, module.stem)
        for module in api.glob("*/*.py")
        if module.name != "__init__.py"
    }
    print(f"\n{len(expected)} operations in the schema, {len(generated)} modules in the client")
    assert len(expected) == len(operations(generated_client.schema)) > 200
    assert generated == expected
    for tag, operation_id in sorted(expected):
        module = generated_client.operation(tag, operation_id)
        for function in ("sync_detailed", "asyncio_detailed"):
            assert callable(getattr(module, function, None)), f"{tag}.{operation_id}.{function}"


def test_no_write_answers_a_filtered_or_paginated_list(generated_client):
    """A bulk write answers the rows it wrote as a plain list: a schema that gave it the list's
    filters and page envelope made a client that could not read the answer."""
    wrong = []
    for path, method, op in operations(generated_client.schema):
        if method == "get":
            continue
        queries = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
        answers = str(op.get("responses", {}))
        if queries or "#/components/schemas/Paginated" in answers:
            wrong.append(f"{method.upper()} {path}: {queries or 'a page envelope'}")
    assert wrong == []
