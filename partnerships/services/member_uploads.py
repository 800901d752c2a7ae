"""The record of a member file uploaded: stored and checked (a preview, nothing written), then
confirmed and written, or discarded; stale uploads are purged. Large files are checked and
written by the worker (``tasks``), small ones at once."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from escp_portal.accounts.policy import can_create, can_edit
from escp_portal.audit import set_actor
from escp_portal.jobs.outbox import enqueue
from escp_portal.services import require

from ..imports import read_table
from ..models import ClusterOrganisation, MemberImport
from ..selectors import progress_key
from ..tasks import apply_member_import, validate_member_import
from .member_import import apply_plan, plan_import, plan_to_json


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


def import_validate(member_import_id: int) -> MemberImport:
    """Check every row (nothing is written to member data) and keep the preview."""
    member_import = MemberImport.objects.select_related("cluster").get(pk=member_import_id)
    if member_import.status != MemberImport.Status.VALIDATING:
        return member_import
    plan = plan_import(member_import.cluster, member_import.rows)
    member_import.errors = plan.errors
    member_import.summary = {"counts": plan.counts(), "rows": plan_to_json(plan)}
    member_import.status = MemberImport.Status.READY if plan.valid else MemberImport.Status.INVALID
    member_import.processed_rows = 0
    member_import.save(update_fields=["errors", "summary", "status", "processed_rows"])
    return member_import


def import_confirm(*, actor, member_import: MemberImport) -> MemberImport:
    require(can_edit(actor, member_import))
    with transaction.atomic():
        locked = MemberImport.objects.select_for_update().get(pk=member_import.pk)
        if locked.status != MemberImport.Status.READY:
            raise ValidationError(_("This import is not ready to be confirmed."))
        locked.status = MemberImport.Status.IMPORTING
        locked.save(update_fields=["status"])
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
        plan = plan_import(member_import.cluster, member_import.rows)
        if not plan.valid:
            member_import.status = MemberImport.Status.FAILED
            member_import.errors = plan.errors
        else:
            try:
                with transaction.atomic(), set_actor(member_import.uploaded_by):
                    counts = apply_plan(
                        member_import.cluster, plan, progress=_report(member_import.pk)
                    )
            except (DatabaseError, ValidationError) as exc:
                # Nothing of the rows was written (their savepoint rolled back); say so rather
                # than leave the import "importing" for ever.
                member_import.status = MemberImport.Status.FAILED
                member_import.errors = [
                    {
                        "row": 0,
                        "field": "file",
                        "message": _("The import failed: %(e)s") % {"e": str(exc)[:300]},
                    }
                ]
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
    discardable = [
        MemberImport.Status.READY,
        MemberImport.Status.INVALID,
        MemberImport.Status.FAILED,
    ]
    deleted, _rows = MemberImport.objects.filter(
        pk=member_import.pk, status__in=discardable
    ).delete()
    if not deleted:
        raise ValidationError(_("This import cannot be discarded now."))
    return True


def import_purge(*, older_than_days: int = 30) -> int:
    """Delete uploads never confirmed (their rows hold personal data) after a while."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    stale = MemberImport.objects.filter(created_at__lt=cutoff).exclude(
        status=MemberImport.Status.DONE
    )
    deleted, _rows = stale.delete()
    return deleted
