"""Requirement: no lost update when two requests arrive at the same moment. Real concurrent
requests on PostgreSQL: two threads, each with its own client and database connection, released
together by a barrier. (SQLite serialises every write, so these need PostgreSQL.)"""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from strategy.models import Measurement, Strategy, Task
from tests.services import require

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _at_once(*calls):
    """Run the calls in threads released together; their results (or their exceptions)."""
    barrier = threading.Barrier(len(calls), timeout=30)
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()  # this thread's connection

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a request hung"
    for result in results:
        if isinstance(result, Exception):
            raise result
    return results


def _api(method, url, token, data=None, **headers):
    def call():
        kwargs = {"HTTP_AUTHORIZATION": f"Token {token}"}
        kwargs.update({f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()})
        if data is not None:
            kwargs.update(data=data, content_type="application/json")
        return getattr(Client(), method)(url, **kwargs)

    return call


@pytest.fixture(autouse=True)
def _postgres():
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")


def test_two_patches_with_the_same_if_match_one_wins_one_is_refused(s):
    token = s.tokens["coord_a"]
    url = f"/api/v1/tasks/{s.a.task.pk}/"
    etag = Client().get(url, HTTP_AUTHORIZATION=f"Token {token}")["ETag"]

    first, second = _at_once(
        _api("patch", url, token, {"title": "First"}, **{"If-Match": etag}),
        _api("patch", url, token, {"title": "Second"}, **{"If-Match": etag}),
    )
    assert sorted([first.status_code, second.status_code]) == [200, 412]
    winner = first if first.status_code == 200 else second
    assert Task.objects.get(pk=s.a.task.pk).title == winner.json()["title"]


def test_two_start_strategy_posts_give_one_draft(s):
    partnership = s.world.b
    url = reverse("strategy:strategy_create", args=[partnership.pk])
    drafts = Strategy.objects.filter(partnership=partnership, status=Strategy.Status.DRAFT)
    assert not drafts.exists()

    def start():
        client = Client()
        client.force_login(s.world.coord_b)
        return client.post(url)

    first, second = _at_once(start, start)
    assert first.status_code == second.status_code == 302
    assert drafts.count() == 1


def test_approve_and_correct_at_once_the_correction_survives(s):
    measurement = s.a.measurement
    seen = f"{measurement.value:.2f}"
    review_url = reverse("strategy:measurement_review", args=[measurement.pk])

    def approve():
        client = Client()
        client.force_login(s.world.coord_a)
        return client.post(review_url, {"action": "approve", "value": seen})

    correct = _api(
        "patch",
        f"/api/v1/measurements/{measurement.pk}/",
        s.tokens["manager_a"],
        {"value": "5", "reason": "Recounted"},
    )
    approved, corrected = _at_once(approve, correct)
    assert approved.status_code == 302
    assert corrected.status_code == 200, corrected.content
    measurement.refresh_from_db()
    # Whichever came first: the corrected value stays, waiting for approval.
    assert measurement.value == Decimal("5.00")
    assert measurement.status == Measurement.Status.SUBMITTED


def test_two_edit_forms_saved_at_once_one_is_refused(s):
    from tests.concurrency.test_form_versions import _post_data

    url = reverse("strategy:objective_edit", args=[s.a.objective.pk])
    loader = Client()
    loader.force_login(s.world.coord_a)
    data = _post_data(loader.get(url).context["form"], {})  # both loaded the same version

    def save(statement):
        def call():
            client = Client()
            client.force_login(s.world.coord_a)
            return client.post(url, {**data, "statement": statement})

        return call

    one, two = _at_once(
        save("Bring forty SMEs to buyers in Canada by 2027."),
        save("Bring sixty SMEs to buyers in Mexico by 2027."),
    )
    assert sorted([one.status_code, two.status_code]) == [200, 302]
    refused = one if one.status_code == 200 else two
    assert "Someone else changed this record" in refused.content.decode()


# --- B2B meetings (the B2B block) ---------------------------------------------------------------


def test_two_schedule_runs_at_once_book_nobody_twice(s):
    """Two organisers' runs at the same moment: the mission's row lock makes the second wait
    and keep what the first placed."""
    from missions import scheduling
    from missions.models import Meeting
    from tests import factories

    mission = s.ma.mission
    people = [
        factories.participation(mission, factories.member(s.world.cluster_a, f"Firm {i}"))
        for i in range(6)
    ]
    for i, first in enumerate(people):
        for second in people[i + 1 :]:
            factories.meeting(first, second, state="accepted")
    token = s.tokens["coord_a"]
    url = f"/api/v1/missions/{mission.pk}/schedule-meetings/"
    first, second = _at_once(_api("post", url, token), _api("post", url, token))
    assert first.status_code == second.status_code == 200
    placed = [
        scheduling.Placed(m.party_keys(), m.starts_at, m.ends_at, m.table)
        for m in Meeting.objects.filter(mission=mission, starts_at__isnull=False)
    ]
    assert scheduling.double_bookings(placed) == []
    # One run placed them; the other found them placed and kept them.
    assert sorted([len(first.json()["placed"]), len(second.json()["placed"])])[0] == 0
