from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def validate_member_import(member_import_id: int) -> str:
    from .members import import_validate

    return import_validate(member_import_id).status


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def apply_member_import(member_import_id: int) -> str:
    from .members import import_apply

    return import_apply(member_import_id).status


@shared_task(acks_late=True)
def purge_stale_member_imports() -> int:
    from .members import import_purge

    return import_purge()
