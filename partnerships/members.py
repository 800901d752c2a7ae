"""Writes to member data, with their rules; pages, API and tasks call these."""

from __future__ import annotations

from datetime import timedelta

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from escp_portal import audit
from escp_portal.accounts.policy import can_create, can_edit
from escp_portal.audit import set_actor
from escp_portal.services import RowErrors, apply_fields, require
from partnerships.rules import can_manage_members

from . import member_io
from .models import ClusterMembership, ClusterOrganisation, Competence, Member, MemberImport

MEMBER_FIELDS = member_io.MEMBER_FIELDS


def _competences(names) -> list[Competence]:
    names = [n.strip() for n in names if n and n.strip()]
    try:
        member_io.check_competences(names)
    except ValidationError as exc:
        raise ValidationError({"competences": exc.messages}) from exc
    result = []
    for name in names:
        competence = Competence.objects.filter(slug=slugify(name)).first()
        if competence is None:
            competence = Competence.objects.filter(name__iexact=name).first()
        if competence is None:
            competence = Competence.objects.create(slug=slugify(name), name=name)
        result.append(competence)
    return result


def member_create(
    *, actor, cluster: ClusterOrganisation, competences=(), member_since=None, **data
) -> Member:
    require(can_create(actor, Member, cluster))
    member = Member(**{k: v for k, v in data.items() if k in MEMBER_FIELDS})
    with transaction.atomic(), set_actor(actor):
        member.full_clean()
        audit.normalise_decimals(member)
        member.save()
        ClusterMembership.objects.create(member=member, cluster=cluster, joined_on=member_since)
        member.competences.set(_competences(competences))
    return member


def member_update(*, actor, member: Member, competences=None, **data) -> Member:
    require(can_edit(actor, member))
    if member.erased_at:
        raise ValidationError(_("This member's data was erased; it cannot be edited."))
    apply_fields(member, data, MEMBER_FIELDS)
    with transaction.atomic(), set_actor(actor):
        member.full_clean()
        audit.normalise_decimals(member)
        member.save()
        if competences is not None:
            member.competences.set(_competences(competences))
    member.refresh_from_db(fields=["is_sme", "size_class"])
    return member


def member_join(*, actor, member: Member, cluster: ClusterOrganisation, joined_on=None):
    """Add a member the user already manages elsewhere to another cluster they manage."""
    require(can_edit(actor, member) and can_manage_members(actor, cluster))
    membership = ClusterMembership(member=member, cluster=cluster, joined_on=joined_on)
    with transaction.atomic(), set_actor(actor):
        membership.full_clean()
        membership.save()
    return membership


def import_purge(*, older_than_days: int = 30) -> int:
    """Delete uploads never confirmed (their rows hold personal data) after a while."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    stale = MemberImport.objects.filter(created_at__lt=cutoff).exclude(
        status=MemberImport.Status.DONE
    )
    deleted, _rows = stale.delete()
    return deleted


def member_remove(*, actor, member: Member, cluster: ClusterOrganisation) -> bool:
    """Take the member out of the cluster; a member left in no cluster is deleted.

    Returns whether the member itself was deleted.
    """
    require(can_manage_members(actor, cluster))
    with transaction.atomic(), set_actor(actor):
        deleted, _rows = ClusterMembership.objects.filter(member=member, cluster=cluster).delete()
        if not deleted:
            raise ValidationError(_("This member does not belong to the cluster."))
        if not ClusterMembership.objects.filter(member=member).exists():
            member.delete()
            return True
    return False


ERASED_NAME = "Erased member"


def member_erase(*, actor, member: Member) -> Member:
    """Erase a member's identifying and personal data on request.

    What statistics need stays: country, region, sector, size figures and memberships, so the
    counts of members and SMEs do not change.
    """
    require(can_edit(actor, member))
    identifying = {
        v
        for v in (
            member.name,
            member.website,
            member.contact_name,
            member.contact_email,
            member.contact_phone,
        )
        if v
    }
    old_name = member.name
    with transaction.atomic(), set_actor(actor):
        member.name = f"{ERASED_NAME} #{member.pk}"
        member.city = ""
        member.website = ""
        member.contact_name = member.contact_email = member.contact_phone = ""
        member.erased_at = timezone.now()
        with disable_auditlog():
            member.save()
            member.competences.clear()
        # The trail keeps who did what and when, not the erased values.
        LogEntry.objects.get_for_object(member).update(
            object_repr=member.name, changes={}, changes_text=""
        )
        LogEntry.objects.log_create(
            member,
            action=LogEntry.Action.UPDATE,
            changes={"erased_at": [None, "erased"]},
            force_log=True,
        )
        _scrub_trail(member, old_name)
        _scrub_imports(member, identifying)
    return member


def _scrub_trail(member: Member, old_name: str) -> None:
    """Entries of other records name the member too: its memberships, registrations and places
    in value chains (found by their additional data), and the member lists of outcomes and
    export groups. They keep what happened, with the erased name."""
    entries = list(LogEntry.objects.filter(additional_data__member_id=member.pk))
    for entry in entries:
        entry.object_repr = entry.object_repr.replace(old_name, member.name)
    LogEntry.objects.bulk_update(entries, ["object_repr"])
    from missions.models import ExportGroup, Outcome

    listed = LogEntry.objects.filter(
        content_type__in=ContentType.objects.get_for_models(Outcome, ExportGroup).values(),
        changes__members__type="m2m",
    )
    scrubbed = []
    for entry in listed.iterator():
        objects = entry.changes["members"].get("objects") or []
        if old_name in objects:
            entry.changes["members"]["objects"] = [
                member.name if o == old_name else o for o in objects
            ]
            scrubbed.append(entry)
    LogEntry.objects.bulk_update(scrubbed, ["changes"])


def _scrub_imports(member: Member, identifying: set[str]) -> None:
    """Import records name the members they touched; erased ones must not stay there. Any
    import (of any cluster, the member may have moved) is checked."""
    for member_import in MemberImport.objects.all().iterator():
        touched = False
        for row in (member_import.summary or {}).get("rows", []):
            if row.get("member_id") == member.pk or row.get("name") in identifying:
                row.update(name=member.name, changes={})
                touched = True
        raw_rows = member_import.rows or []
        kept = [
            r
            for r in raw_rows
            if not (isinstance(r, dict) and identifying & {str(v) for v in r.values()})
        ]
        if len(kept) != len(raw_rows):
            member_import.rows = kept
            member_import.total_rows = len(kept)
            touched = True
        if touched:
            member_import.save(update_fields=["summary", "rows", "total_rows"])


def member_personal_data(*, actor, member: Member) -> dict:
    """Everything the portal holds on a member, for a data-access request."""
    require(can_edit(actor, member))
    return {
        "id": member.pk,
        **{name: _plain(getattr(member, name)) for name in MEMBER_FIELDS},
        "founded_year": member.founded_year,
        "is_sme": member.is_sme,
        "size_class": member.size_class,
        "competences": [c.name for c in member.competences.all()],
        "clusters": [
            {"cluster": m.cluster.name, "member_since": _plain(m.joined_on)}
            for m in member.memberships.select_related("cluster")
        ],
        "erased_at": _plain(member.erased_at),
        "created_at": _plain(member.created_at),
        "updated_at": _plain(member.updated_at),
        "exported_at": timezone.now().isoformat(),
    }


def _plain(value):
    if value is None or isinstance(value, str | int | bool):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list | tuple) or value.__class__.__name__ == "MultipleCountriesDescriptor":
        return [str(v) for v in value]
    return str(value)


# --- imports ------------------------------------------------------------------------------------


def _progress_key(member_import_id: int) -> str:
    return f"member-import:{member_import_id}:progress"


def import_progress(member_import: MemberImport) -> int:
    """Rows done so far: the cache holds it while a transaction has it unseen."""
    if member_import.finished:
        return member_import.processed_rows
    return cache.get(_progress_key(member_import.pk), member_import.processed_rows)


def _report(member_import_id: int):
    def progress(done: int, total: int) -> None:
        cache.set(_progress_key(member_import_id), done, timeout=3600)

    return progress


def import_upload(*, actor, cluster: ClusterOrganisation, upload) -> MemberImport:
    """Store an upload for checking. The rows are read here; bad files fail at once."""
    require(can_create(actor, MemberImport, cluster))
    rows = member_io.read_table(upload)  # FileError for an unreadable file
    return MemberImport.objects.create(
        cluster=cluster,
        uploaded_by=actor,
        file_name=getattr(upload, "name", "upload")[:255],
        total_rows=len(rows),
        rows=rows,
    )


def import_validate(member_import_id: int) -> MemberImport:
    """Check every row (nothing is written to member data) and keep the preview."""
    member_import = MemberImport.objects.select_related("cluster").get(pk=member_import_id)
    if member_import.status != MemberImport.Status.VALIDATING:
        return member_import
    plan = member_io.plan_import(member_import.cluster, member_import.rows)
    member_import.errors = plan.errors
    member_import.summary = {"counts": plan.counts(), "rows": member_io.plan_to_json(plan)}
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
        plan = member_io.plan_import(member_import.cluster, member_import.rows)
        if not plan.valid:
            member_import.status = MemberImport.Status.FAILED
            member_import.errors = plan.errors
        else:
            try:
                with transaction.atomic(), set_actor(member_import.uploaded_by):
                    counts = member_io.apply_plan(
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
                cache.delete(_progress_key(member_import.pk))
                return member_import
            member_import.status = MemberImport.Status.DONE
            member_import.summary = {"counts": counts, "rows": member_io.plan_to_json(plan)}
            member_import.processed_rows = member_import.total_rows
            member_import.rows = []  # written; the raw file is not kept
        member_import.finished_at = timezone.now()
        member_import.save()
    cache.delete(_progress_key(member_import.pk))
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


def bulk_upsert(*, actor, cluster: ClusterOrganisation, rows: list, dry_run=False) -> dict:
    """The API's bulk write: the import's checks, all rows or none."""
    require(can_manage_members(actor, cluster))
    plan = member_io.plan_import(cluster, rows, first_row=0)
    if not plan.valid:
        raise RowErrors(
            [{"index": e["row"], "field": e["field"], "message": e["message"]} for e in plan.errors]
        )
    if dry_run:
        return {"dry_run": True, **plan.counts(), "rows": member_io.plan_to_json(plan)}
    with set_actor(actor):
        counts = member_io.apply_plan(cluster, plan)
    return {"dry_run": False, **counts, "members": [r.member_id for r in plan.rows]}
