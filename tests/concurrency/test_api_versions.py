"""Requirement: no lost update through the API. Every object answers an ETag; a PUT, PATCH or
DELETE sent with a stale If-Match answers 412 and writes nothing; a matching one (or none, as
integrations did before) goes ahead.

The sweep walks the API router: every registered viewset, its detail GET, and PATCH/PUT/DELETE
wherever the viewset allows them."""

import pytest
from django.urls import reverse
from knox.models import AuthToken

from escp_portal import versions
from escp_portal.api.urls import router
from strategy.models import Measurement, Task

# Not swept, with the reason.
NOT_VERSIONED = {
    # A token is revoked (DELETE) and never edited: there is no content a revocation could lose.
    "token",
    # The record of deletions is a list to read (incremental sync): no object to edit or fetch.
    "deletion",
}


def _call(client, method, url, token, data=None, **headers):
    kwargs = {"HTTP_AUTHORIZATION": f"Token {token}"}
    kwargs.update({f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()})
    if data is not None or method in ("patch", "put"):
        kwargs.update(data=data or {}, content_type="application/json")
    return getattr(client, method)(url, **kwargs)


def _endpoints():
    for prefix, viewset, basename in router.registry:
        if basename in NOT_VERSIONED:
            continue
        yield pytest.param(prefix, viewset, basename, id=basename)


def _assert_412(response):
    assert response.status_code == 412, response.content
    body = response.json()
    assert body["status"] == 412
    assert body["code"] == "precondition_failed"
    assert body["detail"]


@pytest.mark.parametrize(("prefix", "viewset", "basename"), list(_endpoints()))
def test_every_endpoint_answers_an_etag_and_refuses_a_stale_if_match(
    client, s, prefix, viewset, basename
):
    staff = s.world.staff
    model = viewset.queryset.model
    obj = model.objects.visible_to(staff).order_by("pk").first()
    user = staff
    if obj is None and any(f.name == "owner" for f in model._meta.fields):
        # A user's own records (webhook subscriptions) are read and written by their owner only.
        obj = model.objects.order_by("pk").first()
        user = obj.owner if obj else staff
    assert obj is not None, f"the test data has no {model.__name__}"
    token = AuthToken.objects.create(user=user)[1]
    url = reverse(f"api:{basename}-detail", args=[obj.pk])

    read = _call(client, "get", url, token)
    assert read.status_code == 200, read.content
    assert read["ETag"] == versions.etag(versions.row_version(versions.fresh(obj)))
    before = versions.row_version(versions.fresh(obj))

    methods = set(getattr(viewset, "http_method_names", ())) & {"patch", "put", "delete"}
    if not hasattr(viewset, "partial_update"):
        methods -= {"patch", "put"}
    if not hasattr(viewset, "destroy"):
        methods.discard("delete")
    for method in sorted(methods):
        stale = _call(client, method, url, token, **{"If-Match": '"0123456789abcdef"'})
        _assert_412(stale)
        assert model._base_manager.filter(pk=obj.pk).exists(), f"{method} deleted it"
        assert versions.row_version(versions.fresh(obj)) == before, f"{method} wrote"

    if "patch" in methods:
        # The current ETag passes (an empty PATCH changes nothing), and the answer carries the
        # ETag of the object as it now is.
        current = _call(client, "patch", url, token, **{"If-Match": read["ETag"]})
        assert current.status_code != 412, current.content
        if current.status_code == 200:
            assert current["ETag"] == _call(client, "get", url, token)["ETag"]


def test_a_change_gives_a_new_etag_and_the_old_one_is_refused(client, s):
    token = s.tokens["coord_a"]
    url = f"/api/v1/tasks/{s.a.task.pk}/"
    first = _call(client, "get", url, token)["ETag"]

    changed = _call(client, "patch", url, token, {"title": "Meet buyers"}, **{"If-Match": first})
    assert changed.status_code == 200, changed.content
    second = changed["ETag"]
    assert second != first
    assert _call(client, "get", url, token)["ETag"] == second

    # Someone who read the task before that change cannot overwrite it.
    late = _call(client, "patch", url, token, {"title": "Older idea"}, **{"If-Match": first})
    _assert_412(late)
    assert Task.objects.get(pk=s.a.task.pk).title == "Meet buyers"
    # Several tags, weak ones and '*' are understood as HTTP says (each save is a new version).
    for template in ('"x", {}', "W/{}", "*"):
        header = template.format(_call(client, "get", url, token)["ETag"])
        ok = _call(client, "patch", url, token, {"title": "Meet buyers"}, **{"If-Match": header})
        assert ok.status_code == 200, (header, ok.content)


def test_many_to_many_choices_are_part_of_the_version(client, s):
    token = s.tokens["coord_a"]
    url = f"/api/v1/tasks/{s.a.task.pk}/"
    first = _call(client, "get", url, token)["ETag"]
    s.a.task.responsible.clear()
    assert _call(client, "get", url, token)["ETag"] != first
    _assert_412(_call(client, "patch", url, token, {"title": "X"}, **{"If-Match": first}))


def test_writes_without_if_match_still_work(client, s):
    token = s.tokens["coord_a"]
    url = f"/api/v1/tasks/{s.a.task.pk}/"
    response = _call(client, "patch", url, token, {"title": "No header"})
    assert response.status_code == 200, response.content
    assert Task.objects.get(pk=s.a.task.pk).title == "No header"


def test_a_created_object_answers_its_etag(client, s):
    token = s.tokens["coord_a"]
    response = _call(
        client, "post", "/api/v1/tasks/", token, {"objective": s.a.objective.pk, "title": "New"}
    )
    assert response.status_code == 201, response.content
    task = Task.objects.get(pk=response.json()["id"])
    assert response["ETag"] == versions.etag(versions.row_version(task))


def test_delete_with_a_stale_if_match_deletes_nothing(client, s):
    token = s.tokens["coord_a"]
    url = f"/api/v1/tasks/{s.a.task.pk}/"
    etag = _call(client, "get", url, token)["ETag"]
    Task.objects.filter(pk=s.a.task.pk).update(title="Changed meanwhile")
    _assert_412(_call(client, "delete", url, token, **{"If-Match": etag}))
    assert Task.objects.filter(pk=s.a.task.pk).exists()
    fresh = _call(client, "get", url, token)["ETag"]
    assert _call(client, "delete", url, token, **{"If-Match": fresh}).status_code == 204


def test_approving_a_value_that_changed_since_is_refused(client, s):
    """The coordinator read 3; the partner corrected it to 5; approving '3' does nothing."""
    token = s.tokens["coord_a"]
    measurement = s.a.measurement
    url = f"/api/v1/measurements/{measurement.pk}/"
    etag = _call(client, "get", url, token)["ETag"]
    Measurement.objects.filter(pk=measurement.pk).update(value=5)

    _assert_412(_call(client, "post", f"{url}approve/", token, {}, **{"If-Match": etag}))
    refused = _call(client, "post", f"{url}approve/", token, {"value": "3.00"})
    assert refused.status_code == 400, refused.content
    measurement.refresh_from_db()
    assert (measurement.value, measurement.status) == (5, Measurement.Status.SUBMITTED)

    approved = _call(client, "post", f"{url}approve/", token, {"value": "5"})
    assert approved.status_code == 200, approved.content
    measurement.refresh_from_db()
    assert (measurement.value, measurement.status) == (5, Measurement.Status.APPROVED)
    assert approved["ETag"] == _call(client, "get", url, token)["ETag"]


def test_the_schema_documents_if_match_and_412(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in ("put", "patch", "delete") and "/auth/" not in path  # tokens: see above
    ]
    assert len(operations) >= 20
    for path, method, operation in operations:
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        assert "If-Match" in headers, (method, path)
        assert "412" in operation["responses"], (method, path)
