"""The tokens page: create a token with a name, read only, limited to some of the user's
partnerships or clusters (only those are offered); the list shows each token's limits."""

import pytest
from django.urls import reverse
from knox.models import AuthToken

from escp_portal.accounts.models import TokenScope

pytestmark = pytest.mark.django_db
PAGE = "/accounts/tokens/"


def _offered(response, field):
    form = response.context["form"]
    return set(form.fields[field].queryset) if field in form.fields else None


def test_the_page_offers_only_what_the_user_acts_in(client, world):
    assert reverse("accounts:tokens") == PAGE
    client.force_login(world.coord_a)
    page = client.get(PAGE)
    assert _offered(page, "partnerships") == {world.a, world.draft}
    assert _offered(page, "clusters") is None  # A's coordinator manages no cluster
    html = page.content.decode()
    assert 'for="id_name"' in html and 'for="id_read_only"' in html
    assert 'for="id_partnerships"' in html and "BETA" not in html

    client.force_login(world.manager_a)
    page = client.get(PAGE)
    assert _offered(page, "clusters") == {world.cluster_a}
    assert _offered(page, "partnerships") is None

    client.force_login(world.officer)
    page = client.get(PAGE)
    assert _offered(page, "clusters") is None and _offered(page, "partnerships") is None
    assert 'for="id_read_only"' in page.content.decode()


def test_a_limited_read_only_token_is_created_shown_once_and_listed(client, world):
    client.force_login(world.coord_a)
    response = client.post(
        PAGE,
        {"name": "Reporting tool", "read_only": "on", "partnerships": [world.a.pk]},
        follow=True,
    )
    token = response.context["new_token"]
    assert token and token in response.content.decode()
    scope = TokenScope.objects.get(token__user=world.coord_a)
    assert scope.name == "Reporting tool" and scope.read_only
    assert list(scope.partnerships.all()) == [world.a]
    assert list(scope.clusters.all()) == []

    listed = client.get(PAGE).content.decode()
    assert token not in listed
    for shown in ("Reporting tool", "read only", "ALPHA", scope.token.token_key):
        assert shown in listed

    # The token reads A only, and writes nothing.
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    client.logout()
    ids = {row["id"] for row in client.get("/api/v1/partnerships/", **auth).json()["results"]}
    assert ids == {world.a.pk}
    refused = client.patch(
        f"/api/v1/partnerships/{world.a.pk}/", {}, content_type="application/json", **auth
    )
    assert refused.status_code == 403 and refused.json()["code"] == "read_only_token"


def test_a_partnership_the_user_does_not_coordinate_is_refused_with_the_field_error(client, world):
    client.force_login(world.coord_a)
    response = client.post(PAGE, {"name": "x", "partnerships": [world.b.pk]})
    assert response.status_code == 400
    assert response.context["form"].errors["partnerships"]
    assert 'class="error-summary"' in response.content.decode()
    assert not AuthToken.objects.filter(user=world.coord_a).exists()


def test_a_manager_limits_a_token_to_their_cluster(client, world):
    client.force_login(world.manager_a)
    client.post(PAGE, {"name": "Members sync", "clusters": [world.cluster_a.pk]})
    scope = TokenScope.objects.get(token__user=world.manager_a)
    assert list(scope.clusters.all()) == [world.cluster_a] and not scope.read_only
    assert "Alpha Cluster" in client.get(PAGE).content.decode()


def test_a_plain_token_from_the_page_keeps_the_users_rights_and_is_revoked(client, world):
    client.force_login(world.coord_a)
    client.post(PAGE, {"name": ""})
    token = AuthToken.objects.get(user=world.coord_a)
    assert "everything you may reach" in client.get(PAGE).content.decode()
    client.post(reverse("accounts:token_revoke", args=[token.token_key]))
    assert not AuthToken.objects.filter(user=world.coord_a).exists()
    assert not TokenScope.objects.exists()


def test_a_token_issued_with_the_password_is_listed_as_unnamed_and_writing(world):
    """A token from POST /auth/token/ has no scope row: the list says so with the types the
    schema promises (an empty name, read_only false), not nulls."""
    from rest_framework.test import APIClient

    _token, key = AuthToken.objects.create(world.coord_a)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    listed = api.get("/api/v1/auth/tokens/").json()["results"]
    assert [(t["name"], t["read_only"], t["partnerships"], t["clusters"]) for t in listed] == [
        ("", False, [], [])
    ]


def test_the_tokens_page_reads_the_same_queries_for_one_token_or_many(
    client, world, django_assert_max_num_queries
):
    """Each listed token shows its limits; they come in prefetches, not a query per token."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from escp_portal.accounts.services import token_create

    client.force_login(world.coord_a)
    token_create(actor=world.coord_a, name="first", partnerships=[world.a.pk])
    client.get(PAGE)  # warm the session and content types
    with CaptureQueriesContext(connection) as one:
        assert client.get(PAGE).status_code == 200
    for n in range(6):
        token_create(
            actor=world.coord_a, name=f"crm {n}", partnerships=[world.a.pk, world.draft.pk]
        )
    with django_assert_max_num_queries(len(one)):
        page = client.get(PAGE)
    html = page.content.decode()
    assert all(f"crm {n}" in html for n in range(6))
