"""Hostile values already in the database (legacy data, or written before the input checks):
a KPI or mission named with a line break, a KPI or mission dated 9999-12-31 or 0001-01-01. The
daily reminder jobs still send every other reminder, with one-line subjects; the reporting
pages and the calendar feeds still answer, listing everything else."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from escp_portal.hostile import one_line
from missions.models import Mission
from missions.services.reminders import send_mission_reminders
from strategy.models import KPI
from strategy.services import send_reporting_reminders
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)


def test_one_line_folds_every_line_break():
    assert one_line("KPI\r\nname\u2028more\x00end ") == "KPI name more end"


def _second_kpi(plan, name):
    return factories.kpi(plan["objective"], name=name, responsible=plan["partner_a"])


def test_a_kpi_named_with_a_line_break_does_not_stop_the_reporting_reminders(world, plan):
    KPI.objects.filter(pk=plan["kpi"].pk).update(name="Bad\r\nBcc: someone@example.com")
    _second_kpi(plan, "Good KPI")
    assert send_reporting_reminders(TODAY) == 4  # two periods for each KPI
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 4 and not any("\n" in s or "\r" in s for s in subjects)
    assert sum("Good KPI" in s for s in subjects) == 2
    assert all(m.to == ["manager-a@example.org"] for m in mail.outbox)
    assert all(m.message()["Bcc"] is None for m in mail.outbox)


def test_a_reminder_that_cannot_go_leaves_the_others_and_goes_on_the_next_run(
    world, plan, monkeypatch
):
    bad = plan["kpi"]
    _second_kpi(plan, "Good KPI")
    send = EmailMultiAlternatives.send

    def failing(message, *args, **kwargs):
        if bad.name in message.subject:
            raise OSError("the mail server refused the message")
        return send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", failing)
    assert send_reporting_reminders(TODAY) == 2
    assert all("Good KPI" in m.subject for m in mail.outbox)
    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    assert send_reporting_reminders(TODAY) == 2  # the failed ones, nothing twice
    assert len(mail.outbox) == 4


def test_a_mission_titled_with_a_line_break_does_not_stop_the_mission_reminders(world):
    soon = timezone.localdate() + timedelta(days=5)
    bad = factories.mission(world.a, "Bad\nSubject: x", start=soon)
    good = factories.mission(world.a, "Good mission", start=soon)
    assert send_mission_reminders() >= 2
    subjects = [m.subject for m in mail.outbox]
    assert not any("\n" in s for s in subjects)
    assert any(good.title in s for s in subjects) and any("Bad Subject: x" in s for s in subjects)
    assert bad.pk != good.pk


def _far(world, plan):
    """A KPI with a target of 9999-12-31 and a baseline of 0001-01-01, and a mission from
    9999-12-29 to 9999-12-31, written directly as legacy data would be."""
    KPI.objects.filter(pk=plan["kpi"].pk).update(
        baseline_date=date(1, 1, 1), target_date=date(9999, 12, 31), frequency="monthly"
    )
    return factories.mission(world.a, "Far away", start=date(9999, 12, 29), days=2)


def test_the_reporting_pages_answer_with_a_kpi_dated_at_the_ends_of_the_calendar(
    client, world, plan
):
    _far(world, plan)
    assert len(KPI.objects.get(pk=plan["kpi"].pk).periods()) <= 201 * 12
    client.force_login(world.coord_a)
    for name, kwargs in [
        ("strategy:reporting", {"pk": world.a.pk}),
        ("strategy:indicators", {"pk": world.a.pk}),
        ("strategy:overview", {"pk": world.a.pk}),
        ("strategy:kpi_detail", {"pk": plan["kpi"].pk}),
        ("strategy:kpi_report", {"pk": plan["kpi"].pk}),
        ("evaluation:scoreboard", {"pk": world.a.pk}),
        ("home", {}),
    ]:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, name
    assert send_reporting_reminders(TODAY) >= 1


def test_the_calendar_feeds_answer_with_a_mission_dated_at_the_end_of_the_calendar(
    client, world, plan
):
    far = _far(world, plan)
    near = factories.mission(world.a, "Near mission")
    world.coord_a.calendar_token = "coord-a-calendar-token-0123456789"
    world.coord_a.save(update_fields=["calendar_token"])
    for url in (
        reverse("missions:feed", kwargs={"token": world.coord_a.calendar_token}),
        reverse(
            "missions:partnership_feed",
            kwargs={"token": world.coord_a.calendar_token, "pk": world.a.pk},
        ),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert near.title in body and far.title not in body
    client.force_login(world.coord_a)
    for url in (
        reverse("missions:mission_detail", kwargs={"pk": far.pk}),
        reverse("missions:mission_ics", kwargs={"pk": far.pk}),
        reverse("missions:calendar") + "?month=9999-12",
        reverse("missions:calendar") + "?view=list",
        reverse("missions:overlaps") + "?all=1",
    ):
        assert client.get(url).status_code == 200, url
    assert Mission.objects.filter(pk=far.pk).exists()


@pytest.mark.parametrize(
    "url",
    [
        "/partnerships/?q=a%00b",
        "/missions/?month=2026-01%00",
        "/api/v1/members/?search=%00",
        "/calendar/abc%00def.ics",
    ],
)
def test_a_nul_in_a_query_or_path_answers_400(client, world, url):
    client.force_login(world.coord_a)
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json()["code"] == "invalid"
    else:
        assert b"control character" in response.content


def test_a_nul_in_a_review_comment_answers_400_and_changes_nothing(client, world, plan):
    from strategy.models import Measurement

    measurement = Measurement.objects.create(
        kpi=plan["kpi"], period_end=date(2025, 3, 31), partner=plan["partner_a"], value=3
    )
    client.force_login(world.coord_a)
    url = reverse("strategy:measurement_review", kwargs={"pk": measurement.pk})
    response = client.post(url, {"action": "return", "comment": "bad\x00comment"})
    assert response.status_code == 400
    measurement.refresh_from_db()
    assert measurement.status == "submitted" and "\x00" not in (measurement.review_comment or "")


def test_a_lost_database_still_stops_the_job_so_that_it_retries(world, plan, monkeypatch):
    from django.db import OperationalError

    def lost(message, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(EmailMultiAlternatives, "send", lost)
    with pytest.raises(OperationalError):
        send_reporting_reminders(TODAY)
