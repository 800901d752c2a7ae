"""A create form saves once, however often it is sent: a double click, a resent request or two
tabs with the same form create one object and lead to it (escp_portal/once.py)."""

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from escp_portal import once
from escp_portal.accounts.models import FormSubmission
from escp_portal.accounts.tasks import purge_form_submissions
from missions.models import Mission
from tests import factories
from tests.services import require

TOKEN = re.compile(r'name="(?:[\w-]+-)?once_token" value="([0-9a-f]{32})"')


def _token(page) -> str:
    found = TOKEN.findall(page.content.decode())
    assert len(found) == 1, "the create form carries one one-time token"
    return found[0]


def _mission_data(world, token, title="Buyers' days in Toronto"):
    start = timezone.localdate() + timedelta(days=40)
    return {
        "title": title,
        "kind": "trade_mission",
        "country": "CA",
        "city": "Toronto",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=3)).isoformat(),
        "capacity": "10",
        "status": "planned",
        once.FIELD: token,
    }


@pytest.mark.django_db
def test_sending_a_create_form_twice_creates_one_object_and_leads_to_it(client, world):
    client.force_login(world.coord_a)
    url = reverse("missions:mission_add", args=[world.a.pk])
    token = _token(client.get(url))
    first = client.post(url, _mission_data(world, token))
    assert first.status_code == 302
    again = client.post(url, _mission_data(world, token), follow=True)
    assert Mission.objects.filter(partnership=world.a).count() == 1
    assert again.redirect_chain[0][0] == first["Location"]
    assert "already sent" in again.content.decode()
    # A new page load is a new form: it creates a second mission.
    second = client.post(url, _mission_data(world, _token(client.get(url)), "Second mission"))
    assert second.status_code == 302
    assert Mission.objects.filter(partnership=world.a).count() == 2


@pytest.mark.django_db
def test_a_form_sent_back_with_errors_can_be_corrected_and_sent_again(client, world):
    client.force_login(world.coord_a)
    url = reverse("missions:mission_add", args=[world.a.pk])
    token = _token(client.get(url))
    wrong = client.post(url, {**_mission_data(world, token), "title": ""})
    assert wrong.status_code == 200
    assert _token(wrong) == token  # the page keeps the form's token
    assert not FormSubmission.objects.exists()
    assert client.post(url, _mission_data(world, token)).status_code == 302
    assert Mission.objects.filter(partnership=world.a).count() == 1


@pytest.mark.django_db
def test_tokens_belong_to_their_user_and_odd_tokens_are_ignored(client, world):
    url = reverse("missions:mission_add", args=[world.a.pk])
    client.force_login(world.coord_a)
    token = _token(client.get(url))
    assert client.post(url, _mission_data(world, token)).status_code == 302
    coordinator = factories.user("second.coordinator@example.eu", role="coordinator", scope=world.a)
    client.force_login(coordinator)
    assert client.post(url, _mission_data(world, token, "Another")).status_code == 302
    assert client.post(url, _mission_data(world, "not-a-token", "Odd")).status_code == 302
    assert Mission.objects.filter(partnership=world.a).count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page",
    [
        ("missions:mission_add", "a"),
        ("partnerships:member_add", "cluster_a"),
        ("partnerships:cluster_add", None),
        ("strategy:objective_add", "strategy"),
        ("strategy:kpi_add", "objective"),
        ("strategy:task_add", "objective"),
        ("partnerships:member_import", "cluster_a"),
        ("accounts:invite", None),
    ],
)
def test_create_pages_carry_a_one_time_token_and_edit_pages_do_not(client, world, page):
    name, arg = page
    plan = factories.make_strategy_with_kpi(world.a)
    objects = {
        "a": world.a,
        "cluster_a": world.cluster_a,
        "strategy": plan.strategy,
        "objective": plan.objective,
    }
    user = world.manager_a if name.startswith("partnerships:member") else world.coord_a
    if name == "partnerships:cluster_add":
        user = world.coord_a
    client.force_login(user)
    args = [objects[arg].pk] if arg else []
    page = client.get(reverse(name, args=args))
    assert page.status_code == 200, name
    _token(page)
    edit = client.get(reverse("strategy:kpi_edit", args=[plan.kpi.pk]))
    assert not TOKEN.search(edit.content.decode())


@pytest.mark.django_db
def test_old_tokens_are_forgotten_after_a_day(world):
    FormSubmission.objects.create(user=world.coord_a, token="a" * 32, location="/")
    FormSubmission.objects.filter(token="a" * 32).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    FormSubmission.objects.create(user=world.coord_a, token="b" * 32, location="/")
    assert purge_form_submissions() == 1
    assert list(FormSubmission.objects.values_list("token", flat=True)) == ["b" * 32]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sends_at_the_same_moment_create_one_object(world):
    from django.test import Client

    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    url = reverse("missions:mission_add", args=[world.a.pk])
    opener = Client()
    opener.force_login(world.coord_a)
    token = _token(opener.get(url))
    barrier = threading.Barrier(2)
    answers = []

    def send():
        try:
            browser = Client()
            browser.force_login(world.coord_a)
            barrier.wait(timeout=10)
            answers.append(browser.post(url, _mission_data(world, token)).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert answers == [302, 302]
    assert Mission.objects.filter(partnership=world.a).count() == 1


# --- the API: Idempotency-Key ------------------------------------------------------------------


# POST operations that create no object a retry could double, with the reason.
NOT_CREATES = {
    # Issuing a token: a retry gives a second token, which counts against the user's limit and
    # can be revoked; a token is never replayed from storage.
    "/api/v1/auth/token/",
    # The same for a scoped token made with a token: its key would be kept in the replay store.
    "/api/v1/auth/tokens/",
    # Answers to an invitation: the second answer is refused, the invitation is answered once.
    "/api/v1/invitations/accept/",
    "/api/v1/invitations/decline/",
}


def _api_mission(world, title="Buyers' days in Toronto"):
    start = timezone.localdate() + timedelta(days=40)
    return {
        "partnership": world.a.pk,
        "title": title,
        "kind": "trade_mission",
        "country": "CA",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=3)).isoformat(),
        "capacity": 10,
    }


@pytest.mark.django_db
def test_an_api_create_retried_with_the_same_key_creates_one_object(client, world):
    client.force_login(world.coord_a)
    headers = {"HTTP_IDEMPOTENCY_KEY": "retry-0001-mission"}
    first = client.post(
        "/api/v1/missions/", _api_mission(world), content_type="application/json", **headers
    )
    assert first.status_code == 201, first.content
    again = client.post(
        "/api/v1/missions/", _api_mission(world), content_type="application/json", **headers
    )
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert Mission.objects.filter(partnership=world.a).count() == 1
    # Another key is another create; the key is the user's own.
    other = client.post(
        "/api/v1/missions/",
        _api_mission(world, "Second"),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="retry-0002-mission",
    )
    assert other.status_code == 201
    assert Mission.objects.filter(partnership=world.a).count() == 2


@pytest.mark.django_db
def test_a_refused_create_lets_go_of_its_key_and_odd_keys_answer_400(client, world):
    client.force_login(world.coord_a)
    headers = {"HTTP_IDEMPOTENCY_KEY": "retry-0003-mission"}
    wrong = client.post(
        "/api/v1/missions/",
        {**_api_mission(world), "title": ""},
        content_type="application/json",
        **headers,
    )
    assert wrong.status_code == 400
    right = client.post(
        "/api/v1/missions/", _api_mission(world), content_type="application/json", **headers
    )
    assert right.status_code == 201
    assert "Idempotent-Replayed" not in right
    odd = client.post(
        "/api/v1/missions/",
        _api_mission(world, "Odd"),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="no spaces allowed",
    )
    assert odd.status_code == 400
    assert odd.json()["code"] == "invalid"
    assert Mission.objects.filter(partnership=world.a).count() == 1


@pytest.mark.django_db
def test_a_bulk_report_retried_with_the_same_key_is_written_once(client, world):
    from strategy.models import Measurement

    partner = world.a.partners.order_by("pk").first()
    plan = factories.make_strategy_with_kpi(world.a, responsible=partner)
    client.force_login(world.coord_a)
    rows = [{"kpi": plan.kpi.pk, "period_end": "2025-03-31", "value": "7"}]
    headers = {"HTTP_IDEMPOTENCY_KEY": "bulk-2025-q1-report"}
    first = client.post(
        "/api/v1/measurements/bulk/", rows, content_type="application/json", **headers
    )
    assert first.status_code == 201, first.content
    again = client.post(
        "/api/v1/measurements/bulk/", rows, content_type="application/json", **headers
    )
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Measurement.objects.filter(kpi=plan.kpi).count() == 1


@pytest.mark.django_db
def test_every_create_operation_of_the_api_takes_an_idempotency_key(client, world):
    client.force_login(world.staff)
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    creates = [
        (path, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method == "post"
        and not path.rstrip("/").endswith("}")
        and "{" not in path
        and operation["operationId"].endswith("_create")
    ]
    assert len(creates) >= 15
    missing = [
        path
        for path, operation in creates
        if path not in NOT_CREATES
        and "Idempotency-Key" not in {p["name"] for p in operation.get("parameters", [])}
    ]
    assert missing == [], missing
