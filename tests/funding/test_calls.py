"""EU funding calls: matched to partnerships by sector, members' NACE codes, target markets and
objectives, with the reasons; never listed as open after the deadline; shown to coordinators on
their home page; announced by email once; recorded by staff and EC officers only."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from funding.models import CallNotice, FundingCall
from funding.selectors import partnership_calls
from funding.services.calls import call_save, calls_notify
from partnerships.models import Sector
from strategy.models import TargetMarket
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(world):
    packaging = Sector.objects.create(name="Packaging", slug="packaging")
    world.cluster_a.sectors.add(packaging)
    factories.member(world.cluster_a, "Alder GmbH", nace_code="22.22", employees=10)
    TargetMarket.objects.create(partnership=world.a, country="CA")
    factories.make_strategy_with_kpi(
        world.a, objective_fields={"statement": "Test compostable trays with retail buyers."}
    )
    return {
        "sector": factories.funding_call("Packaging pilots", sectors=[packaging], topics="x"),
        "nace": factories.funding_call("Plastics", nace_codes="22.2", topics="x"),
        "section": factories.funding_call("Manufacturing", nace_codes="C", topics="x"),
        "market": factories.funding_call("Go to Canada", countries=["CA"], topics="x"),
        "topic": factories.funding_call("Trays", topics="compostable trays\nunrelated"),
        "none": factories.funding_call("Space rockets", topics="orbital launchers"),
        "closed": factories.funding_call("Old packaging", days=-1, sectors=[packaging]),
        "elsewhere": factories.funding_call(
            "Only Japan", countries=["JP"], sectors=[packaging], topics="x"
        ),
    }


def test_calls_fit_by_sector_nace_market_and_objectives_with_reasons(world, calls):
    matches = {m.call.title: m for m in partnership_calls(world.a, timezone.localdate())}
    fitting = {"Packaging pilots", "Plastics", "Manufacturing", "Go to Canada", "Trays"}
    assert set(matches) == fitting
    assert matches["Packaging pilots"].reasons == ["Sector: Packaging"]
    assert matches["Plastics"].reasons == ["Members work in NACE 22.2"]
    assert matches["Manufacturing"].reasons == ["Members work in NACE C"]
    assert matches["Go to Canada"].reasons == ["Target market: Canada"]
    assert matches["Trays"].reasons == ["Objectives speak of: compostable trays"]
    # Ranked: the sector counts most.
    assert partnership_calls(world.a, timezone.localdate())[0].call.title == "Packaging pilots"
    assert partnership_calls(world.b, timezone.localdate()) == []


def test_a_call_is_open_on_its_deadline_day_and_never_after(world, calls):
    today = timezone.localdate()
    calls["sector"].deadline = today
    calls["sector"].save()
    assert "Packaging pilots" in {m.call.title for m in partnership_calls(world.a, today)}
    later = {m.call.title for m in partnership_calls(world.a, today + timedelta(days=1))}
    assert "Packaging pilots" not in later


def test_the_partnership_page_lists_the_matching_calls_with_reasons(client, world, calls):
    client.force_login(world.manager_a)
    page = client.get(reverse("funding:partnership_calls", args=[world.a.pk])).content.decode()
    assert "Packaging pilots" in page and "Sector: Packaging" in page
    assert "Old packaging" not in page and "Space rockets" not in page
    client.force_login(world.coord_b)
    assert client.get(reverse("funding:partnership_calls", args=[world.a.pk])).status_code == 404


def test_the_call_list_shows_open_calls_and_closed_ones_on_request(client, world, calls):
    client.force_login(world.coord_b)
    page = client.get(reverse("funding:calls")).content.decode()
    assert "Space rockets" in page and "Old packaging" not in page
    closed = client.get(reverse("funding:calls") + "?closed=1").content.decode()
    assert "Old packaging" in closed and "Space rockets" not in closed
    filtered = client.get(reverse("funding:calls") + "?q=rockets").content.decode()
    assert "Space rockets" in filtered and "Packaging pilots" not in filtered
    assert client.get(reverse("funding:calls") + "?country=ZZ").status_code == 200


def test_the_coordinators_home_page_shows_the_calls_that_fit(client, world, calls):
    client.force_login(world.coord_a)
    page = client.get("/").content.decode()
    assert "Funding calls that fit your partnerships" in page
    assert "Packaging pilots" in page and "Old packaging" not in page
    client.force_login(world.officer)
    assert "Funding calls that fit your partnerships" not in client.get("/").content.decode()


def test_coordinators_are_emailed_about_new_matching_calls_once(world, calls):
    world.coord_a.language = "fr"
    world.coord_a.save()
    assert calls_notify() == 1
    (message,) = mail.outbox
    assert message.to == [world.coord_a.email]
    assert "ALPHA" in message.subject and "appel" in message.subject.lower()
    assert "Packaging pilots" in message.body and "Old packaging" not in message.body
    assert calls_notify() == 0
    assert len(mail.outbox) == 1
    # A new call that fits: one more email, with that call only.
    factories.funding_call("Reusable crates", sectors=list(world.cluster_a.sectors.all()))
    assert calls_notify() == 1
    assert "Reusable crates" in mail.outbox[1].body
    assert "Packaging pilots" not in mail.outbox[1].body
    assert CallNotice.objects.filter(recipient=world.coord_a).count() == 6


def test_the_daily_job_is_scheduled_and_runs_the_service(settings, world, calls):
    from funding.tasks import notify_matching_calls

    entry = settings.CELERY_BEAT_SCHEDULE["notify-matching-funding-calls"]
    assert entry["task"] == notify_matching_calls.name == "funding.tasks.notify_matching_calls"
    assert notify_matching_calls.apply().get() == 1


def test_only_staff_and_officers_record_calls(client, world):
    data = {
        "programme": "Horizon Europe",
        "title": "New call",
        "deadline": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "topics": "robots",
        "nace_codes": " c , 62.01",
    }
    client.force_login(world.coord_a)
    assert client.get(reverse("funding:call_add")).status_code == 403
    assert client.post(reverse("funding:call_add"), data).status_code == 403
    client.force_login(world.officer)
    response = client.post(reverse("funding:call_add"), data)
    assert response.status_code == 302, response.content
    call = FundingCall.objects.get()
    assert call.nace_codes == "C, 62.01"
    response = client.post(reverse("funding:call_edit", args=[call.pk]), {**data, "title": ""})
    assert response.status_code == 200  # the form shows what is missing


def test_a_recorded_call_tells_the_coordinators_after_the_commit(
    world, calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_save(
            actor=world.staff,
            programme="Horizon Europe",
            title="Crates",
            deadline=timezone.localdate() + timedelta(days=5),
            topics="compostable trays",
        )
    assert len(mail.outbox) == 1


def test_api_lists_calls_and_the_matching_ones_to_insiders(client, world, calls):
    token = AuthToken.objects.create(user=world.coord_a)[1]
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    listed = client.get("/api/v1/funding-calls/?deadline_from=2000-01-01", **headers).json()
    assert {c["title"] for c in listed["results"]} >= {"Old packaging", "Space rockets"}
    matching = client.get(f"/api/v1/funding-calls/matching/{world.a.pk}/", **headers)
    assert matching.status_code == 200
    assert matching.json()[0]["call"]["title"] == "Packaging pilots"
    assert matching.json()[0]["reasons"] == ["Sector: Packaging"]
    for bad in (world.b.pk, "x", "9" * 30):
        answer = client.get(f"/api/v1/funding-calls/matching/{bad}/", **headers)
        assert answer.status_code == 404
    created = client.post(
        "/api/v1/funding-calls/",
        {"programme": "P", "title": "T", "deadline": "2030-01-01", "topics": "t"},
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 403
