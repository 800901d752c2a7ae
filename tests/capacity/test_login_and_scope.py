"""Capacity without loss of safety: the password hash a login costs, and the scope read from the
cache instead of the database, which a change of roles makes stale at once."""

import threading
import time

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from escp_portal.accounts import hashers, policy, roles
from escp_portal.accounts.models import Role, RoleAssignment, User
from escp_portal.accounts.tasks import clear_expired_tokens
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

# The settings the portal runs with (the test settings use a fast, weak hash).
PORTAL_HASHERS = [
    "escp_portal.accounts.hashers.PortalArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


def login(client, email, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


@override_settings(PASSWORD_HASHERS=PORTAL_HASHERS)
def test_a_new_password_is_stored_as_argon2id_with_the_configured_cost(world):
    world.coord_a.set_password("a long enough passphrase")
    world.coord_a.save()
    stored = User.objects.get(pk=world.coord_a.pk).password
    assert stored.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$"), stored
    assert User.objects.get(pk=world.coord_a.pk).check_password("a long enough passphrase")


@override_settings(PASSWORD_HASHERS=PORTAL_HASHERS)
def test_a_login_with_an_old_pbkdf2_hash_works_and_upgrades_it(client, world):
    old = make_password(PASSWORD, hasher="pbkdf2_sha256")
    User.objects.filter(pk=world.coord_a.pk).update(password=old)
    assert login(client, "coord-a@example.org").status_code == 302
    assert User.objects.get(pk=world.coord_a.pk).password.startswith("argon2$argon2id$")
    # The upgraded hash logs in again.
    client.logout()
    assert login(client, "coord-a@example.org").status_code == 302


@override_settings(PASSWORD_HASHERS=PORTAL_HASHERS, PASSWORD_ARGON2_MEMORY_KIB=8192)
def test_a_hash_with_other_parameters_is_upgraded_at_login(client, world):
    weaker = make_password(PASSWORD)
    assert "m=8192," in weaker
    User.objects.filter(pk=world.coord_a.pk).update(password=weaker)
    with override_settings(PASSWORD_ARGON2_MEMORY_KIB=19456):
        assert login(client, "coord-a@example.org").status_code == 302
    assert "m=19456," in User.objects.get(pk=world.coord_a.pk).password


@override_settings(PASSWORD_HASHERS=PORTAL_HASHERS, PASSWORD_HASH_CONCURRENCY=1)
def test_one_process_computes_at_most_the_configured_number_of_hashes_at_once(monkeypatch):
    hashers._slots = None  # the bound is read from the settings once per process
    running, most = 0, 0
    lock = threading.Lock()
    original = hashers.Argon2PasswordHasher.verify

    def counting_verify(self, password, encoded):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02)
        try:
            return original(self, password, encoded)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(hashers.Argon2PasswordHasher, "verify", counting_verify)
    encoded = make_password("x" * 16)
    threads = [
        threading.Thread(
            target=hashers.PortalArgon2PasswordHasher().verify, args=("x" * 16, encoded)
        )
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    hashers._slots = None
    assert most == 1


# --- the scope in the cache ----------------------------------------------------------------


def fresh(user):
    """The user as the next request loads it (nothing kept on the object)."""
    return User.objects.get(pk=user.pk)


def test_the_roles_are_read_from_the_cache_on_the_next_request(world, django_assert_num_queries):
    first = policy.scope_for(fresh(world.coord_a))
    next_request = fresh(world.coord_a)
    with django_assert_num_queries(0):
        again = policy.scope_for(next_request)
    assert (
        again.coordinated_partnerships
        == first.coordinated_partnerships
        == {
            world.a.pk,
            world.draft.pk,
        }
    )


def test_a_role_taken_away_counts_at_once(client, world):
    client.force_login(world.manager_a)
    url = reverse("partnerships:member_list", args=[world.cluster_a.pk])
    assert client.get(url).status_code == 200  # the scope is now cached
    RoleAssignment.objects.filter(user=world.manager_a).delete()
    assert client.get(url).status_code == 404


def test_a_role_given_counts_at_once(client, world):
    client.force_login(world.manager_x)
    url = reverse("partnerships:member_list", args=[world.cluster_a.pk])
    assert client.get(url).status_code == 404
    RoleAssignment.objects.create(
        user=world.manager_x, role=Role.CLUSTER_MANAGER, cluster=world.cluster_a
    )
    assert client.get(url).status_code == 200


def test_roles_read_before_a_change_committed_are_not_kept(
    world, django_capture_on_commit_callbacks
):
    """A page of another process reads the roles while a change is being written: what it
    caches is the state before the commit, and the commit makes it stale."""
    manager = world.manager_a
    with django_capture_on_commit_callbacks(execute=True):
        RoleAssignment.objects.filter(user=manager).delete()
        # What another process caches meanwhile: the roles it still reads (the change is not
        # committed), under the generation current at that moment.
        generation = cache.get(roles._GENERATION_KEY.format(manager.pk))
        before = {
            "is_officer": False,
            "coordinated_partnerships": frozenset(),
            "managed_clusters": frozenset({world.cluster_a.pk}),
        }
        cache.set(roles._ROLES_KEY.format(manager.pk), (generation, before))
    scope = policy.scope_for(fresh(manager))
    assert world.cluster_a.pk not in scope.managed_clusters


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
def test_without_the_cache_the_roles_come_from_the_database(world, django_assert_num_queries):
    """Redis away: the cache answers nothing and keeps nothing; access is still decided."""
    next_request = fresh(world.manager_a)
    with django_assert_num_queries(1):
        scope = policy.scope_for(next_request)
    assert scope.managed_clusters == {world.cluster_a.pk}


def test_the_session_is_shared_through_the_cache_and_kept_in_the_database(client, world):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    assert login(client, "coord-a@example.org").status_code == 302
    cache.clear()  # a cache restarted: the session is still there
    assert client.get(reverse("accounts:preferences")).status_code == 200


def test_an_api_request_reads_its_own_token_only_and_an_expired_one_is_refused(world):
    """A token request costs one query for the token (with its user and scope), not one more for
    every other token of the user; an expired token is refused and deleted on use, and the
    other expired tokens are left to the daily job."""
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from knox.models import AuthToken
    from rest_framework.test import APIClient

    _, live = AuthToken.objects.create(user=world.coord_a)
    old, stale = AuthToken.objects.create(user=world.coord_a, expiry=timedelta(days=1))
    other_old, _ = AuthToken.objects.create(user=world.coord_a, expiry=timedelta(days=1))
    AuthToken.objects.filter(pk__in=[old.pk, other_old.pk]).update(
        expiry=timezone.now() - timedelta(minutes=1)
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {live}")
    with CaptureQueriesContext(connection) as captured:
        assert api.get("/api/v1/partnerships/").status_code == 200
    token_reads = [q["sql"] for q in captured.captured_queries if "knox_authtoken" in q["sql"]]
    assert len(token_reads) == 1, token_reads
    api.credentials(HTTP_AUTHORIZATION=f"Token {stale}")
    refused = api.get("/api/v1/partnerships/")
    assert refused.status_code == 401 and refused.json()["code"] == "authentication_failed"
    assert not AuthToken.objects.filter(pk=old.pk).exists()
    assert AuthToken.objects.filter(pk=other_old.pk).exists()
    assert clear_expired_tokens() == 1


def test_the_web_process_freezes_what_it_loaded_and_collects_less_often():
    """``escp_portal.wsgi`` (what gunicorn loads) moves what the process loaded out of every
    collection and applies ``WSGI_GC_THRESHOLD``; an empty setting leaves Python's defaults."""
    import gc

    from escp_portal import wsgi

    before = gc.get_threshold()
    try:
        gc.unfreeze()
        wsgi.tune_garbage_collector([])
        assert gc.get_threshold() == before and gc.get_freeze_count() == 0
        wsgi.tune_garbage_collector([50000, 20, 100])
        assert gc.get_threshold() == (50000, 20, 100)
        assert gc.get_freeze_count() > 10000
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
    assert settings.WSGI_GC_THRESHOLD == [50000, 20, 100]


def test_forms_render_with_jinja2_and_the_admins_widgets_with_the_template_language():
    """The portal's form renderer: Django's built-in field and widget templates through Jinja2,
    and a widget template that exists only for the template language (the admin's) through
    that, so that no admin page fails for want of a template."""
    from django.contrib.admin.sites import site
    from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
    from django.forms.renderers import get_default_renderer
    from django.forms.widgets import TextInput
    from jinja2 import Template as JinjaTemplate

    from partnerships.models import Partnership

    renderer = get_default_renderer()
    builtin = renderer.get_template("django/forms/widgets/text.html")
    assert isinstance(builtin.template, JinjaTemplate)
    assert TextInput().render("name", "ALPHA", renderer=renderer) == (
        '<input type="text" name="name" value="ALPHA">'
    )
    admin_only = renderer.get_template("admin/widgets/related_widget_wrapper.html")
    assert not isinstance(getattr(admin_only, "template", None), JinjaTemplate)
    field = Partnership._meta.get_field("programme")
    wrapper = RelatedFieldWidgetWrapper(TextInput(), field.remote_field, site)
    assert 'name="programme"' in wrapper.render("programme", "", renderer=renderer)
