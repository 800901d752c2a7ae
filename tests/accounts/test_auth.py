import re

import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse

from escp_portal.accounts.models import Role, RoleAssignment, User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_user_logs_in_with_email_case_insensitively(client, world):
    response = client.post(
        reverse("accounts:login"), {"username": "Coord-A@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == world.coord_a


def test_wrong_password_shows_a_message_on_the_page(client, world):
    response = client.post(
        reverse("accounts:login"), {"username": "coord-a@example.org", "password": "nope"}
    )
    assert response.status_code == 200
    assert "correct email address and password" in response.content.decode()


def test_login_is_locked_after_repeated_failures(client, world):
    url = reverse("accounts:login")
    for _ in range(5):
        client.post(url, {"username": "coord-a@example.org", "password": "wrong"})
    # Even the right password is refused while the lock holds.
    response = client.post(url, {"username": "coord-a@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()


def test_emails_are_unique_whatever_their_case(world):
    with pytest.raises(IntegrityError):
        User.objects.create_user("COORD-A@example.org ".strip().upper(), "x")


def test_password_reset_by_email_sets_a_new_password(client, world):
    client.post(reverse("accounts:password_reset"), {"email": "coord-a@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session and redirects
    response = client.post(
        form_url,
        {"new_password1": "brand-new-passphrase-42", "new_password2": "brand-new-passphrase-42"},
    )
    assert response.status_code == 302
    world.coord_a.refresh_from_db()
    assert world.coord_a.check_password("brand-new-passphrase-42")


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client, world):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_role_scope_must_match_the_role(world):
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(user=world.staff, role=Role.COORDINATOR)


def test_logout_needs_post_and_ends_the_session(client, world):
    client.force_login(world.coord_a)
    client.post(reverse("accounts:logout"))
    assert not client.get(reverse("home")).context["user"].is_authenticated
