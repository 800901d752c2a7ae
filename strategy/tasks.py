from celery import shared_task

from escp_portal.jobs.retry import RETRY


@shared_task(acks_late=True, **RETRY)
def send_kpi_reporting_reminders() -> int:
    """Daily: remind responsible partners of overdue KPI reports, once per KPI and period."""
    from .services.reminders import send_reporting_reminders

    return send_reporting_reminders()
