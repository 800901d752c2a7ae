from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from strategy.models import Measurement, PeriodLock, ReportingReminder, Strategy
from strategy.services import send_reporting_reminders
from strategy.tasks import send_kpi_reporting_reminders

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)


def test_overdue_reports_are_reminded_once_even_when_the_job_runs_twice(world, plan):
    sent = send_reporting_reminders(TODAY)
    # Quarterly KPI; within the 180-day window and past the 30-day grace: Q2 and Q3 of 2026.
    assert sent == 2
    assert {m.to[0] for m in mail.outbox} == {"manager-a@example.org"}
    assert "SMEs in talks abroad" in mail.outbox[0].subject
    assert mail.outbox[0].alternatives and "kpis/" in mail.outbox[0].body
    assert send_reporting_reminders(TODAY) == 0
    assert len(mail.outbox) == 2
    assert ReportingReminder.objects.count() == 2


def test_no_reminder_for_a_submitted_report_or_a_locked_period(world, plan):
    Measurement.objects.create(
        kpi=plan["kpi"], period_end=date(2026, 9, 30), partner=plan["partner_a"], value=1
    )
    PeriodLock.objects.create(partnership=world.a, period_end=date(2026, 6, 30))
    assert send_reporting_reminders(TODAY) == 0


def test_the_coordinators_are_reminded_when_the_cluster_has_no_manager(world, plan):
    world.manager_a.role_assignments.all().delete()
    send_reporting_reminders(TODAY)
    assert {m.to[0] for m in mail.outbox} == {"coord-a@example.org"}


def test_the_periodic_job_runs_in_process_too(world, plan, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)
    assert send_kpi_reporting_reminders.delay().get() == 2
    call_command("run_periodic_jobs", "--only", "send-kpi-reporting-reminders")
    assert len(mail.outbox) == 2  # the command ran the same job: nothing was due any more


def test_only_the_responsible_partners_own_value_stops_the_reminder(world, plan):
    """The reminders, the dashboards and the completeness page count the same report: the
    responsible partner's, submitted or approved (a returned one is still owed)."""
    for partner, status in (
        (plan["coordinator_partner"], "approved"),
        (plan["partner_a"], "returned"),
    ):
        Measurement.objects.create(
            kpi=plan["kpi"], period_end=date(2026, 6, 30), partner=partner, value=1, status=status
        )
    assert send_reporting_reminders(TODAY) == 2
    Measurement.objects.create(
        kpi=plan["kpi"], period_end=date(2026, 9, 30), partner=plan["partner_a"], value=2
    )
    ReportingReminder.objects.all().delete()
    assert send_reporting_reminders(TODAY) == 1


def test_reminders_are_not_doubled_by_a_revision(client, world, plan):
    assert send_reporting_reminders(date(2026, 11, 26)) == 2
    client.force_login(world.coord_a)
    client.post(f"/api/v1/strategies/{plan['strategy'].pk}/revise/")
    assert Strategy.objects.count() == 2
    assert send_reporting_reminders(date(2026, 11, 26)) == 0
