"""Security headers every page carries, and the production cookie settings."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/", "/partnerships/", "/accounts/login/", "/api/v1/docs/", "/api/v1/partnerships/"]
)
def test_pages_carry_a_strict_content_security_policy(client, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_page_template_holds_inline_script_or_style(client, world):
    client.force_login(world.coord_a)
    for url in (
        "/",
        reverse("missions:calendar"),
        reverse("partnerships:partnership_list"),
        "/api/v1/docs/",
    ):
        body = client.get(url).content.decode()
        assert "<style" not in body and ' style="' not in body, url
        assert "<script>" not in body, url  # scripts come from files; JSON data is not code


def test_password_validators_refuse_weak_passwords(client, world):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("password", world.coord_a)
    with pytest.raises(ValidationError):
        validate_password("12345678", world.coord_a)
