from celery import shared_task


@shared_task(
    acks_late=True, autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5
)
def send_kpi_reporting_reminders() -> int:
    """Daily: remind responsible partners of overdue KPI reports, once per KPI and period."""
    from .reminders import send_reporting_reminders

    return send_reporting_reminders()
