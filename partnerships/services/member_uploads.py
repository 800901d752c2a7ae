"""The record of a member file uploaded: stored and checked (a preview, nothing written), then
confirmed and written, or discarded; stale uploads are purged. Large files are checked and
written by the worker (``tasks``), small ones at once."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from escp_portal.accounts.policy import can_create, can_edit
from escp_portal.audit import set_actor
from escp_portal.jobs.outbox import enqueue
from escp_portal.services import require

from ..imports import read_table
from ..models import ClusterOrganisation, MemberImport
from ..models.members import IMPORT_CRASHED as CRASHED
from ..models.members import IMPORT_STALLED as STALLED
from ..rules import can_give_up_import
from ..selectors import progress_key
from ..tasks import apply_member_import, validate_member_import
from .member_import import apply_plan, plan_import, plan_to_json

logger = logging.getLogger(__name__)


def _report(member_import_id: int):
    def progress(done: int, total: int) -> None:
        cache.set(progress_key(member_import_id), done, timeout=3600)

    return progress


def import_upload(*, actor, cluster: ClusterOrganisation, upload) -> MemberImport:
    """Store an upload for checking. The rows are read here; bad files fail at once."""
    require(can_create(actor, MemberImport, cluster))
    rows = read_table(upload)  # FileError for an unreadable file
    return MemberImport.objects.create(
        cluster=cluster,
        uploaded_by=actor,
        file_name=getattr(upload, "name", "upload")[:255],
        total_rows=len(rows),
        rows=rows,
    )


def import_upload_and_check(*, actor, cluster: ClusterOrganisation, upload) -> MemberImport:
    """Store an upload and check it: at once for a small file, by the worker for a large one."""
    member_import = import_upload(actor=actor, cluster=cluster, upload=upload)
    if member_import.total_rows > settings.MEMBER_IMPORT_ASYNC_ROWS:
        enqueue(validate_member_import, args=[member_import.pk])
    else:
        import_validate(member_import.pk)
    return member_import


def _failure(message) -> list[dict]:
    return [{"row": 0, "field": "file", "message": str(message)}]


def _fail(member_import_id: int, *, stage: str, message, **extra) -> int:
    """Mark an import failed, if it is still in ``stage`` (a job that finished meanwhile
    keeps its result). Returns how many were marked."""
    return MemberImport.objects.filter(pk=member_import_id, status=stage).update(
        status=MemberImport.Status.FAILED,
        errors=_failure(message),
        finished_at=timezone.now(),
        **extra,
    )


def import_validate(member_import_id: int) -> MemberImport:
    """Check every row (nothing is written to member data) and keep the preview. An error
    that is not the database's (which the job retries) ends the import failed, with a
    message on its page, rather than leaving it "checking" for ever."""
    member_import = MemberImport.objects.select_related("cluster").get(pk=member_import_id)
    if member_import.status != MemberImport.Status.VALIDATING:
        return member_import
    try:
        plan = plan_import(member_import.cluster, member_import.rows)
        summary = {"counts": plan.counts(), "rows": plan_to_json(plan)}
    except DatabaseError:
        raise
    except Exception:
        logger.exception("Checking member import %s failed", member_import_id)
        _fail(member_import_id, stage=MemberImport.Status.VALIDATING, message=CRASHED)
        return MemberImport.objects.get(pk=member_import_id)
    status = MemberImport.Status.READY if plan.valid else MemberImport.Status.INVALID
    # Only if still being checked: the periodic purge may have given it up meanwhile.
    MemberImport.objects.filter(pk=member_import_id, status=MemberImport.Status.VALIDATING).update(
        errors=plan.errors, summary=summary, status=status, processed_rows=0
    )
    return MemberImport.objects.get(pk=member_import_id)


def import_confirm(*, actor, member_import: MemberImport) -> MemberImport:
    require(can_edit(actor, member_import))
    with transaction.atomic():
        locked = MemberImport.objects.select_for_update().get(pk=member_import.pk)
        if locked.status != MemberImport.Status.READY:
            raise ValidationError(_("This import is not ready to be confirmed."))
        locked.status = MemberImport.Status.IMPORTING
        locked.stage_started_at = timezone.now()
        locked.save(update_fields=["status", "stage_started_at"])
    return locked


def import_confirm_and_apply(*, actor, member_import: MemberImport) -> MemberImport:
    """Confirm a checked upload and write it: at once for a small file, by the worker for a
    large one."""
    member_import = import_confirm(actor=actor, member_import=member_import)
    if member_import.total_rows > settings.MEMBER_IMPORT_ASYNC_ROWS:
        enqueue(apply_member_import, args=[member_import.pk])
    else:
        import_apply(member_import.pk)
    return member_import


def import_apply(member_import_id: int) -> MemberImport:
    """Write a confirmed import: every row or none. Safe to run twice."""
    with transaction.atomic():
        member_import = (
            MemberImport.objects.select_for_update(of=("self",))
            .select_related("cluster", "uploaded_by")
            .get(pk=member_import_id)
        )
        if member_import.status != MemberImport.Status.IMPORTING:
            return member_import
        # Checked again: members may have changed since the preview.
        try:
            plan = plan_import(member_import.cluster, member_import.rows)
        except DatabaseError:
            raise
        except Exception:
            logger.exception("Checking member import %s again failed", member_import_id)
            plan = None
        if plan is None:
            member_import.status = MemberImport.Status.FAILED
            member_import.errors = _failure(CRASHED)
        elif not plan.valid:
            member_import.status = MemberImport.Status.FAILED
            member_import.errors = plan.errors
        else:
            try:
                with transaction.atomic(), set_actor(member_import.uploaded_by):
                    counts = apply_plan(
                        member_import.cluster, plan, progress=_report(member_import.pk)
                    )
            except Exception as exc:
                # Nothing of the rows was written (their savepoint rolled back); say so rather
                # than leave the import "importing" for ever.
                if not isinstance(exc, DatabaseError | ValidationError):
                    logger.exception("Writing member import %s failed", member_import_id)
                    exc = CRASHED
                member_import.status = MemberImport.Status.FAILED
                member_import.errors = _failure(
                    _("The import failed: %(e)s") % {"e": str(exc)[:300]}
                )
                member_import.finished_at = timezone.now()
                member_import.save()
                cache.delete(progress_key(member_import.pk))
                return member_import
            member_import.status = MemberImport.Status.DONE
            member_import.summary = {"counts": counts, "rows": plan_to_json(plan)}
            member_import.processed_rows = member_import.total_rows
            member_import.rows = []  # written; the raw file is not kept
        member_import.finished_at = timezone.now()
        member_import.save()
    cache.delete(progress_key(member_import.pk))
    return member_import


def import_discard(*, actor, member_import: MemberImport) -> bool:
    """Drop an upload that was not (or could not be) imported; a done import is a record."""
    require(can_edit(actor, member_import))
    discardable = Q(
        status__in=[
            MemberImport.Status.READY,
            MemberImport.Status.INVALID,
            MemberImport.Status.FAILED,
        ]
    ) | Q(
        status__in=[MemberImport.Status.VALIDATING, MemberImport.Status.IMPORTING],
        stage_started_at__lt=_stale_cutoff(),
    )
    deleted, _rows = MemberImport.objects.filter(discardable, pk=member_import.pk).delete()
    if not deleted:
        raise ValidationError(_("This import cannot be discarded now."))
    return True


def _stale_cutoff():
    return timezone.now() - timedelta(minutes=settings.MEMBER_IMPORT_STALE_MINUTES)


def import_fail_stalled() -> int:
    """Mark failed the imports whose job stopped: still checking or writing long after the
    stage began. Nothing of them was written (writing is one transaction)."""
    stalled = MemberImport.objects.filter(
        status__in=[MemberImport.Status.VALIDATING, MemberImport.Status.IMPORTING],
        stage_started_at__lt=_stale_cutoff(),
    )
    return sum(
        _fail(pk, stage=status, message=STALLED)
        for pk, status in stalled.values_list("pk", "status")
    )


def import_give_up(*, actor, member_import: MemberImport) -> bool:
    """Staff's way out for an import stuck checking or writing (its job lost, the worker gone):
    mark it failed now, with the page's "interrupted" message, instead of waiting for the
    periodic purge. Only if it is still in that stage: a job that finishes meanwhile keeps its
    result (a write in progress holds the row, so this waits for it and then changes nothing).
    Nothing of the rows was written (writing is one transaction). Returns whether it changed."""
    require(can_give_up_import(actor, member_import))
    if member_import.status not in (MemberImport.Status.VALIDATING, MemberImport.Status.IMPORTING):
        return False
    changed = _fail(member_import.pk, stage=member_import.status, message=STALLED)
    if changed:
        cache.delete(progress_key(member_import.pk))
        logger.warning("member import %s given up by %s", member_import.pk, actor)
    return bool(changed)


def import_purge(*, older_than_days: int = 30) -> int:
    """Give up imports whose job stopped, and delete uploads never confirmed (their rows hold
    personal data) after a while. Returns how many were deleted."""
    import_fail_stalled()
    cutoff = timezone.now() - timedelta(days=older_than_days)
    stale = MemberImport.objects.filter(created_at__lt=cutoff).exclude(
        status=MemberImport.Status.DONE
    )
    deleted, _rows = stale.delete()
    return deleted
