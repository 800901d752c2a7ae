"""The daily reminder of overdue follow-ups: the follower gets one email per follow-up date, in
their language; a closed opportunity or a follower who left the partnership gets none."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from escp_portal.accounts.models import RoleAssignment
from opportunities.services import brokers as services
from opportunities.tasks import send_follow_up_reminders
from tests import factories

pytestmark = pytest.mark.django_db


def _yesterday():
    return timezone.localdate() - timedelta(days=1)


def test_the_job_is_scheduled_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["send-follow-up-reminders"]
    assert entry["task"] == "opportunities.tasks.send_follow_up_reminders"
    assert entry["schedule"] == timedelta(hours=24)


def test_the_follower_of_an_overdue_follow_up_is_reminded_once(world):
    late = factories.opportunity(
        world.a, "Trays for Toronto", owner=world.manager_a, next_follow_up=_yesterday()
    )
    factories.opportunity(
        world.a, "Not yet", owner=world.manager_a, next_follow_up=timezone.localdate()
    )
    factories.opportunity(
        world.a, "Dropped", owner=world.manager_a, next_follow_up=_yesterday(), stage="dropped"
    )
    assert send_follow_up_reminders() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.manager_a.email]
    assert "Trays for Toronto" in message.subject
    assert f"/opportunities/{late.pk}/edit/" in message.body
    # A second run (a retried job, the next day) sends nothing more.
    assert send_follow_up_reminders() == 0
    assert len(mail.outbox) == 1


def test_a_new_follow_up_date_rearms_the_reminder(world):
    late = factories.opportunity(world.a, owner=world.coord_a, next_follow_up=_yesterday())
    send_follow_up_reminders()
    services.opportunity_save(
        actor=world.coord_a,
        partnership=world.a,
        opportunity=late,
        next_follow_up=timezone.localdate() - timedelta(days=2),
    )
    assert send_follow_up_reminders() == 1
    assert len(mail.outbox) == 2


def test_the_reminder_is_in_the_followers_language(world):
    world.manager_a.language = "fr"
    world.manager_a.save(update_fields=["language"])
    factories.opportunity(world.a, "Barquettes", owner=world.manager_a, next_follow_up=_yesterday())
    send_follow_up_reminders()
    assert mail.outbox[0].subject.startswith("Relance en retard")


def test_a_follower_who_left_the_partnership_gets_nothing(world):
    factories.opportunity(world.a, owner=world.manager_a, next_follow_up=_yesterday())
    RoleAssignment.objects.filter(user=world.manager_a).delete()
    assert send_follow_up_reminders() == 0
    assert mail.outbox == []
