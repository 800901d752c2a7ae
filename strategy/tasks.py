from celery import shared_task

from escp_portal.jobs.retry import RETRY


@shared_task(acks_late=True, **RETRY)
def send_kpi_reporting_reminders() -> int:
    """Daily: remind responsible partners of overdue KPI reports, once per KPI and period."""
    from .services.reminders import send_reporting_reminders

    return send_reporting_reminders()


@shared_task(acks_late=True, **RETRY)
def notify_strategy_partners(strategy_id: int, event: str) -> int:
    """Tell the partners that a draft was shared with them, or that a version was adopted."""
    from .services.coordination import strategy_notify

    return strategy_notify(strategy_id, event)
