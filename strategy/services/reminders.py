"""Reminders to responsible partners whose KPI report is overdue: one per KPI and period."""

import logging
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import InterfaceError, OperationalError
from django.template.loader import render_to_string
from django.utils import timezone

from escp_portal.hostile import one_line
from escp_portal.jobs.once import claim_and_send

from ..models import KPI, REPORTING_GRACE, ReportingReminder
from ..selectors import reminder_recipients, reports_to_remind

logger = logging.getLogger(__name__)


def send_reporting_reminders(today: date | None = None) -> int:
    """Send what is due; returns how many reminders went. Running it twice, or on two
    workers at once, sends each reminder once: the reminder row is claimed (unique per KPI and
    period) in the same transaction as the sending."""
    today = today or timezone.localdate()
    sent = 0
    for kpi, period in reports_to_remind(today):
        users = reminder_recipients(kpi)
        if not users:
            continue
        try:
            claimed = claim_and_send(
                lambda kpi=kpi, period=period, users=users: ReportingReminder.objects.create(
                    kpi=kpi, period_end=period, recipients=len(users)
                ),
                lambda kpi=kpi, period=period, users=users: _send(kpi, period, users),
            )
        except (OperationalError, InterfaceError):
            raise  # the database is away: the whole job retries (nothing was claimed)
        except Exception:
            # One KPI's reminder that cannot go (nothing is claimed: the next run tries again)
            # never stops the others.
            logger.exception("reporting reminder for KPI %s, period %s failed", kpi.pk, period)
            continue
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
            subject = one_line(render_to_string("strategy/email/reminder_subject.txt", context))
            text = render_to_string("strategy/email/reminder.txt", context)
            html = render_to_string("strategy/email/reminder.html", context)
        message = EmailMultiAlternatives(subject, text, to=[user.email])
        message.attach_alternative(html, "text/html")
        message.send()
