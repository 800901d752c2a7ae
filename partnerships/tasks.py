"""Background jobs of member imports and partner invitations: each calls one service."""

from celery import shared_task

from escp_portal.jobs.retry import RETRY


@shared_task(acks_late=True, **RETRY)
def validate_member_import(member_import_id: int) -> str:
    from .services.member_uploads import import_validate

    return import_validate(member_import_id).status


@shared_task(acks_late=True, **RETRY)
def apply_member_import(member_import_id: int) -> str:
    from .services.member_uploads import import_apply

    return import_apply(member_import_id).status


@shared_task(acks_late=True, **RETRY)
def purge_stale_member_imports() -> int:
    from .services.member_uploads import import_purge

    return import_purge()


@shared_task(acks_late=True, **RETRY)
def notify_partner_invitation(invitation_id: int) -> int:
    from .services.consent import partner_invitation_notify

    return partner_invitation_notify(invitation_id)
