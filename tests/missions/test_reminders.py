from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from missions.models import ReminderLog
from missions.services.reminders import due_kinds, send_mission_reminders
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def soon(world, mission, members_a):
    """The mission starts in 5 days; three members registered, one of them confirmed."""
    today = timezone.localdate()
    mission.start_date = today + timedelta(days=5)
    mission.end_date = today + timedelta(days=7)
    mission.registration_deadline = today + timedelta(days=2)
    mission.save()
    for i, member in enumerate(members_a[:3]):
        factories.participation(mission, member, status="confirmed" if i == 0 else "registered")
    return mission


def test_each_reminder_is_sent_once_when_the_job_runs_twice(world, soon):
    sent = send_mission_reminders()
    # A week before: the participants' manager and the organisers (coordinator); before the
    # deadline: the manager, about the two registrations still to confirm.
    recipients = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert sent == len(mail.outbox) == 3
    assert recipients == [
        ("coord-a@example.org", "In a week: Buyers in Toronto"),
        ("manager-a@example.org", "Confirm your registrations: Buyers in Toronto"),
        ("manager-a@example.org", "In a week: Buyers in Toronto"),
    ]
    assert send_mission_reminders() == 0
    assert len(mail.outbox) == 3
    assert ReminderLog.objects.count() == 3


def test_reminders_carry_the_mission_as_a_calendar_file_and_html(world, soon):
    send_mission_reminders()
    message = next(m for m in mail.outbox if m.to == ["manager-a@example.org"])
    assert message.alternatives[0].mimetype == "text/html"
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".ics") and mimetype == "text/calendar"
    assert "SUMMARY:Buyers in Toronto" in (
        content.decode() if isinstance(content, bytes) else content
    )
    assert "Firm 01" in message.body or "Firm 00" in message.body


def test_a_user_can_turn_a_kind_of_reminder_off(client, world, soon):
    client.force_login(world.manager_a)
    client.post("/accounts/preferences/", {"muted_reminders": ["deadline"]})
    send_mission_reminders()
    subjects = {m.subject for m in mail.outbox if m.to == ["manager-a@example.org"]}
    assert subjects == {"In a week: Buyers in Toronto"}


def test_outcome_reminders_come_a_week_three_months_and_a_year_after(world, mission):
    end = mission.end_date
    kinds = {days: due_kinds(mission, end + timedelta(days=days)) for days in (3, 7, 100, 366, 500)}
    assert kinds == {3: [], 7: ["after_7"], 100: ["after_3m"], 366: ["after_12m"], 500: []}


def test_deadline_reminders_reach_missions_further_ahead(world, mission, members_a):
    today = timezone.localdate()
    mission.registration_deadline = today + timedelta(days=2)
    mission.start_date = today + timedelta(days=20)
    mission.end_date = today + timedelta(days=22)
    mission.save()
    factories.participation(mission, members_a[0], status="registered")
    assert send_mission_reminders() == 1
    assert mail.outbox[0].subject.startswith("Confirm your registrations")


def test_no_reminders_for_a_cancelled_mission(world, soon):
    soon.status = "cancelled"
    soon.save()
    assert send_mission_reminders() == 0
