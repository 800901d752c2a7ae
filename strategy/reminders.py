"""Reminders to responsible partners whose KPI report is overdue: one per KPI and period."""

from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from escp_portal.accounts.models import Role, RoleAssignment
from escp_portal.jobs.once import claim_and_send

from . import queries
from .models import KPI, REPORTING_GRACE, ReportingReminder, Strategy


def overdue_reports(today: date) -> list[tuple[KPI, date]]:
    """Overdue reports (``queries.overdue_reports``) of the version values are reported on —
    the adopted one, or a first draft, so that a draft revision's copies of the KPIs are not
    reminded twice — not reminded yet."""
    adopted = Strategy.objects.filter(status=Strategy.Status.ADOPTED).values("partnership_id")
    kpis = KPI.objects.filter(responsible__isnull=False).filter(
        Q(objective__strategy__status=Strategy.Status.ADOPTED)
        | Q(objective__strategy__status=Strategy.Status.DRAFT)
        & ~Q(objective__strategy__partnership_id__in=adopted)
    )
    reminded = set(
        ReportingReminder.objects.filter(kpi__in=kpis.values("pk")).values_list(
            "kpi_id", "period_end"
        )
    )
    return [
        (kpi, period)
        for kpi, period in queries.overdue_reports(kpis, today)
        if (kpi.pk, period) not in reminded
    ]


def recipients(kpi: KPI) -> list:
    """The managers of the responsible partner's cluster; its coordinators if it has none."""
    managers = [
        a.user
        for a in RoleAssignment.objects.filter(
            role=Role.CLUSTER_MANAGER, cluster_id=kpi.responsible.cluster_id, user__is_active=True
        ).select_related("user")
    ]
    if managers:
        return managers
    return [
        a.user
        for a in RoleAssignment.objects.filter(
            role=Role.COORDINATOR,
            partnership_id=kpi.objective.strategy.partnership_id,
            user__is_active=True,
        ).select_related("user")
    ]


def send_reporting_reminders(today: date | None = None) -> int:
    """Send what is due; returns how many reminders went. Running it twice, or on two
    workers at once, sends each reminder once: the reminder row is claimed (unique per KPI and
    period) in the same transaction as the sending."""
    today = today or timezone.localdate()
    sent = 0
    for kpi, period in overdue_reports(today):
        users = recipients(kpi)
        if not users:
            continue
        claimed = claim_and_send(
            lambda kpi=kpi, period=period, users=users: ReportingReminder.objects.create(
                kpi=kpi, period_end=period, recipients=len(users)
            ),
            lambda kpi=kpi, period=period, users=users: _send(kpi, period, users),
        )
        sent += int(claimed)
    return sent


def _send(kpi: KPI, period: date, users) -> None:
    from django.utils import translation

    for user in users:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "kpi": kpi,
                "period": period,
                "user": user,
                "partnership": kpi.objective.strategy.partnership,
                "due": period + REPORTING_GRACE,
                "site": getattr(settings, "SITE_URL", ""),
            }
            subject = render_to_string("strategy/email/reminder_subject.txt", context).strip()
            text = render_to_string("strategy/email/reminder.txt", context)
            html = render_to_string("strategy/email/reminder.html", context)
        message = EmailMultiAlternatives(subject, text, to=[user.email])
        message.attach_alternative(html, "text/html")
        message.send()
