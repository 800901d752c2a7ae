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
