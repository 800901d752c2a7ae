import pytest
from django.db import connection
from django.urls import reverse
from knox.models import AuthToken

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"


def issue(client, email="coord-a@example.org", password=PASSWORD):
    return client.post(
        TOKEN_URL, {"email": email, "password": password}, content_type="application/json"
    )


def test_token_is_issued_once_and_stored_only_as_a_digest(client, world):
    response = issue(client)
    assert response.status_code == 201
    token = response.json()["token"]
    stored = AuthToken.objects.get(user=world.coord_a)
    assert token not in stored.digest
    with connection.cursor() as cursor:
        cursor.execute("SELECT digest, token_key FROM knox_authtoken")
        assert all(token not in " ".join(row) for row in cursor.fetchall())


def test_token_acts_as_its_user_and_can_be_revoked(client, world):
    token = issue(client).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    me = client.get("/api/v1/me/", **auth)
    assert me.status_code == 200
    assert me.json()["email"] == "coord-a@example.org"
    assert [r["role"] for r in me.json()["roles"]] == ["coordinator", "coordinator"]

    assert client.delete(TOKEN_URL, **auth).status_code == 204
    after = client.get("/api/v1/me/", **auth)
    assert after.status_code == 401
    assert after.json()["code"] == "authentication_failed"


def test_wrong_credentials_get_a_400_json_body(client, world):
    response = issue(client, password="wrong")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    assert not AuthToken.objects.exists()


def test_missing_fields_get_field_errors(client, world):
    response = client.post(TOKEN_URL, {"email": "not-an-email"}, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"email", "password"}


def test_token_issue_is_throttled(client, world):
    codes = [issue(client, password="wrong").status_code for _ in range(12)]
    assert 429 in codes
    assert codes.index(429) <= 10


def test_another_users_token_answers_404(client, world):
    issue(client, email="coord-b@example.org")
    other_key = AuthToken.objects.get(user=world.coord_b).token_key
    client.force_login(world.coord_a)
    assert client.get(f"/api/v1/auth/tokens/{other_key}/").status_code == 404
    assert client.delete(f"/api/v1/auth/tokens/{other_key}/").status_code == 404
    assert client.post(reverse("accounts:token_revoke", args=[other_key])).status_code == 404
    assert AuthToken.objects.filter(user=world.coord_b).count() == 1
    assert client.get("/api/v1/auth/tokens/").json()["results"] == []


def test_tokens_page_creates_shows_once_and_revokes(client, world):
    client.force_login(world.coord_a)
    page = client.post(reverse("accounts:tokens"), follow=True)
    token = page.context["new_token"]
    assert token and token in page.content.decode()
    assert token not in client.get(reverse("accounts:tokens")).content.decode()
    key = AuthToken.objects.get(user=world.coord_a).token_key
    client.post(reverse("accounts:token_revoke", args=[key]))
    assert not AuthToken.objects.filter(user=world.coord_a).exists()


def test_another_users_role_assignments_answer_404(client, world):
    theirs = world.coord_b.role_assignments.get()
    client.force_login(world.coord_a)
    assert client.get(f"/api/v1/role-assignments/{theirs.pk}/").status_code == 404
    mine = client.get("/api/v1/role-assignments/").json()["results"]
    assert {r["partnership"] for r in mine} == {world.a.pk, world.draft.pk}


def test_staff_sees_every_role_assignment(client, world):
    client.force_login(world.staff)
    assert client.get("/api/v1/role-assignments/").json()["count"] == 6
