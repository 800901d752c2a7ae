"""API tokens end with the password or the account that issued them, are limited per user on
every path that issues them, and leave an audit entry each; a locked-out API login answers 429."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from knox.models import AuthToken

from escp_portal.accounts.models import User
from escp_portal.accounts.tasks import clear_expired_tokens
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"
NEW_PASSWORD = "another-long-password-7431"


def issue(client, email="coord-a@example.org", password=PASSWORD, **extra):
    return client.post(
        TOKEN_URL,
        {"email": email, "password": password},
        content_type="application/json",
        **extra,
    )


def token_of(user):
    response = issue(Client(), email=user.email)
    assert response.status_code == 201, response.content
    return response.json()["token"]


def me(token):
    return Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")


@pytest.fixture
def admin_client(db):
    admin = User.objects.create_superuser("root@example.org", PASSWORD)
    client = Client()
    client.force_login(admin)
    return client


def change_password_by_reset_link(user):
    client = Client()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    start = client.get(reverse("accounts:password_reset_confirm", args=[uid, token]))
    assert start.status_code == 302  # the token moves to the session
    done = client.post(start.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302, done.context and done.context["form"].errors


def change_password_in_admin(user, admin_client):
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    response = admin_client.post(
        url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    )
    assert response.status_code == 302, response.context and response.context["form"].errors


def change_password_by_service(user, admin_client):
    user.set_password(NEW_PASSWORD)
    user.save()


def deactivate_in_admin(user, admin_client):
    url = reverse("admin:accounts_user_change", args=[user.pk])
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        # "is_active" left out: the box is unticked
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "role_assignments-TOTAL_FORMS": "0",
        "role_assignments-INITIAL_FORMS": "0",
        "_save": "Save",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    user.refresh_from_db()
    assert not user.is_active


def deactivate_by_model_save(user, admin_client):
    user.is_active = False
    user.save()


def deactivate_by_update_fields(user, admin_client):
    user.is_active = False
    user.save(update_fields=["is_active"])


REVOKING = {
    "password reset link": (lambda user, admin: change_password_by_reset_link(user)),
    "admin password change": change_password_in_admin,
    "set_password and save": change_password_by_service,
    "admin deactivation": deactivate_in_admin,
    "model save deactivation": deactivate_by_model_save,
    "deactivation with update_fields": deactivate_by_update_fields,
}


@pytest.mark.parametrize("path", list(REVOKING))
def test_every_password_change_and_deactivation_revokes_all_tokens(world, admin_client, path):
    user = world.coord_a
    tokens = [token_of(user), token_of(user)]
    other = token_of(world.coord_b)
    browser = Client()
    browser.force_login(user)
    assert browser.get(reverse("accounts:tokens")).status_code == 200

    REVOKING[path](User.objects.get(pk=user.pk), admin_client)

    assert AuthToken.objects.filter(user=user).count() == 0
    for token in tokens:
        response = me(token)
        assert response.status_code == 401
        assert response.json()["code"] == "authentication_failed"
    # Someone else's token is untouched.
    assert me(other).status_code == 200
    # The session on another device ends too (Django's session hash / inactive user).
    assert browser.get(reverse("accounts:tokens")).status_code == 302


def test_saving_a_user_without_a_credential_change_keeps_the_tokens(world):
    token = token_of(world.coord_a)
    user = User.objects.get(pk=world.coord_a.pk)
    user.full_name = "Ada Coordinator"
    user.save()
    user.language = "fr"
    user.save(update_fields=["language"])
    assert me(token).status_code == 200


@override_settings(
    PASSWORD_HASHERS=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
)
def test_a_hash_upgrade_at_login_is_not_a_password_change(world):
    _instance, token = AuthToken.objects.create(user=world.coord_a)
    before = User.objects.get(pk=world.coord_a.pk).password
    assert before.startswith("md5$")  # as the test settings store it
    assert issue(Client()).status_code == 201  # logging in upgrades the hash to PBKDF2
    assert User.objects.get(pk=world.coord_a.pk).password != before
    assert me(token).status_code == 200


def test_the_limit_holds_on_the_api_and_on_the_page(world):
    with override_settings(REST_KNOX={"TOKEN_TTL": timedelta(days=1), "TOKEN_LIMIT_PER_USER": 2}):
        token_of(world.coord_a)
        token_of(world.coord_a)
        # An expired token does not take a place.
        AuthToken.objects.create(user=world.coord_a, expiry=timedelta(seconds=-1))

        response = issue(Client())
        assert response.status_code == 403
        body = response.json()
        assert body["status"] == 403 and body["code"] == "token_limit_reached"
        assert "2" in body["detail"]

        page = Client()
        page.force_login(world.coord_a)
        shown = page.post(reverse("accounts:tokens"), follow=True)
        assert shown.status_code == 200
        assert shown.context["new_token"] is None
        assert "Revoke one" in shown.content.decode()
        assert AuthToken.objects.filter(user=world.coord_a).count() == 3

        # Revoking one frees a place.
        key = AuthToken.objects.filter(user=world.coord_a, expiry__gt=timezone.now()).first()
        page.post(reverse("accounts:token_revoke", args=[key.token_key]))
        assert issue(Client()).status_code == 201


def token_entries():
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(AuthToken)
    ).order_by("pk")


def test_issuing_and_revoking_are_audited_without_the_secret(world):
    token = token_of(world.coord_a)
    stored = AuthToken.objects.get(user=world.coord_a)
    assert Client().delete(TOKEN_URL, HTTP_AUTHORIZATION=f"Token {token}").status_code == 204

    page = Client()
    page.force_login(world.coord_a)
    page.post(reverse("accounts:tokens"))
    second = AuthToken.objects.get(user=world.coord_a)
    change_password_by_service(User.objects.get(pk=world.coord_a.pk), None)

    entries = list(token_entries())
    actions = [(e.action, e.object_pk, (e.additional_data or {}).get("reason")) for e in entries]
    assert actions == [
        (LogEntry.Action.CREATE, stored.token_key, None),
        (LogEntry.Action.DELETE, stored.token_key, "revoked"),
        (LogEntry.Action.CREATE, second.token_key, None),
        (LogEntry.Action.DELETE, second.token_key, "password_changed"),
    ]
    assert [e.actor for e in entries[:3]] == [world.coord_a] * 3
    assert all(e.timestamp for e in entries)
    for entry in entries:
        text = f"{entry.object_pk} {entry.object_repr} {entry.changes} {entry.additional_data}"
        assert token not in text
        assert stored.digest not in text and second.digest not in text


def test_expired_tokens_cleared_by_the_job_are_audited_as_expired(world):
    AuthToken.objects.create(user=world.coord_a, expiry=timedelta(seconds=-1))
    assert clear_expired_tokens() == 1
    assert token_entries().last().additional_data == {"reason": "expired"}


def test_deleting_a_user_deletes_the_tokens_without_an_error(world, admin_client):
    token_of(world.coord_a)
    world.coord_a.delete()
    assert not AuthToken.objects.exists()
    assert token_entries().last().additional_data == {"reason": "account_deleted"}


def test_a_locked_out_api_login_answers_429_json_with_retry_after(world, settings):
    client = Client()
    codes = [
        issue(client, password="wrong").status_code for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert codes == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    for password in ("wrong", PASSWORD):  # locked: even the right password is refused
        response = issue(client, password=password)
        assert response.status_code == 429
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert body["status"] == 429 and body["code"] == "locked_out" and body["detail"]
        assert int(response["Retry-After"]) == 15 * 60
    assert not AuthToken.objects.exists()


def test_a_locked_out_page_login_answers_429_with_the_lockout_page(world, settings):
    client = Client()
    data = {"username": "coord-a@example.org", "password": "wrong"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), data)
    response = client.post(reverse("accounts:login"), data)
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
