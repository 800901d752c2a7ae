"""Writes to member data, with their rules: a member added, edited, added to another cluster,
taken out of a cluster, erased on request. Pages, the API and the import call these."""

from __future__ import annotations

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from escp_portal import audit
from escp_portal.accounts.policy import can_create, can_edit
from escp_portal.audit import set_actor
from escp_portal.services import apply_fields, require
from escp_portal.webhooks.services import emit

from ..imports import check_competences
from ..models import ClusterMembership, ClusterOrganisation, Competence, Member, MemberImport
from ..models.members import MEMBER_FIELDS
from ..rules import can_manage_members
from .groups import recompute_groups, related_enterprises


def _competences(names) -> list[Competence]:
    names = [n.strip() for n in names if n and n.strip()]
    try:
        check_competences(names)
    except ValidationError as exc:
        raise ValidationError({"competences": exc.messages}) from exc
    # The known ones in one query (by slug), then by name or created, one at a time, only for
    # those it did not find.
    known = {c.slug: c for c in Competence.objects.filter(slug__in={slugify(n) for n in names})}
    result = []
    for name in names:
        competence = known.get(slugify(name))
        if competence is None:
            competence = Competence.objects.filter(name__iexact=name).first()
        if competence is None:
            competence = Competence.objects.create(slug=slugify(name), name=name)
            known[competence.slug] = competence
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
        emit("member.changed", member)
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
        members_changed([member.pk])
        member.refresh_from_db(fields=["is_sme", "size_class"])
        emit("member.changed", member)
    return member


def member_join(*, actor, member: Member, cluster: ClusterOrganisation, joined_on=None):
    """Add a member the user already manages elsewhere to another cluster they manage."""
    require(can_edit(actor, member) and can_manage_members(actor, cluster))
    membership = ClusterMembership(member=member, cluster=cluster, joined_on=joined_on)
    with transaction.atomic(), set_actor(actor):
        membership.full_clean()
        membership.save()
        # Its new cluster's readers now see the member: for them it changed.
        emit("member.changed", member)
    return membership


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
            related = related_enterprises(member.pk)
            member.delete()
            members_changed(related)
            return True
        members_changed([member.pk])
        # Those who still see it through another cluster hear of the change; the readers of the
        # cluster it left find it in the record of deletions.
        emit("member.changed", member)
    return False


def member_delete(*, actor, member: Member) -> None:
    """Take the member out of every cluster of it the actor manages (a member left in no
    cluster is deleted); refused if the actor manages none of them."""
    clusters = [
        m.cluster
        for m in member.memberships.select_related("cluster")
        if can_manage_members(actor, m.cluster)
    ]
    require(bool(clusters))
    for cluster in clusters:
        member_remove(actor=actor, member=member, cluster=cluster)


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
        members_changed([member.pk])
        emit("member.changed", member)
    return member


# Later apps that keep something derived from a member's data (the matchmaking app: the findable
# profile a search reads) register here and hear of every member whose data, clusters or erasure
# changed, inside the write's transaction: ``callback(member_ids)``. Imports call it too, though
# their bulk writes send no model signals.
_change_listeners: list = []


def register_member_change(callback) -> None:
    _change_listeners.append(callback)


def members_changed(member_ids) -> None:
    # A member's figures count in the SME test of its partner and linked enterprises: those are
    # computed again, and heard of too.
    ids = sorted(recompute_groups(member_ids))
    if ids:
        for callback in _change_listeners:
            callback(ids)


# Records of later apps that list members in a many-to-many field (the missions app: outcomes
# and export groups) register here: their audit entries name the members, so an erasure
# rewrites those names too, without this app knowing those models.
_member_lists: list[tuple[type, str]] = []


def register_member_list(model, field: str = "members") -> None:
    _member_lists.append((model, field))


def _scrub_trail(member: Member, old_name: str) -> None:
    """Entries of other records name the member too: its memberships, registrations and places
    in value chains (found by their additional data: ``member_id``, and ``other_member_id`` for a
    record that names two members), and the member lists of registered records. They keep what
    happened, with the erased name."""
    entries = list(
        LogEntry.objects.filter(
            Q(additional_data__member_id=member.pk) | Q(additional_data__other_member_id=member.pk)
        )
    )
    for entry in entries:
        entry.object_repr = entry.object_repr.replace(old_name, member.name)
    LogEntry.objects.bulk_update(entries, ["object_repr"])
    scrubbed = []
    for field in {f for _model, f in _member_lists}:
        models = [model for model, f in _member_lists if f == field]
        listed = LogEntry.objects.filter(
            content_type__in=ContentType.objects.get_for_models(*models).values(),
            **{f"changes__{field}__type": "m2m"},
        )
        for entry in listed.iterator():
            objects = entry.changes[field].get("objects") or []
            if old_name in objects:
                entry.changes[field]["objects"] = [
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
