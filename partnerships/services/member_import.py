"""Member rows in bulk, from a member file or the API: every row checked against the file itself
and the cluster's members (``plan_import``, which writes nothing), then all of them written at
once (``apply_plan``) or none."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from escp_portal import audit
from escp_portal.audit import set_actor
from escp_portal.services import RowErrors, require

from ..exports import COLUMN_NAMES
from ..imports import LINE, RowResult, parse_id, parse_row
from ..models import ClusterMembership, ClusterOrganisation, Competence, Member
from ..models.members import CONTACT_FIELDS, MEMBER_FIELDS, size_class_of
from ..rules import can_manage_members
from .members import members_changed

BATCH = 1000


@dataclass
class Plan:
    rows: list[RowResult]

    @property
    def errors(self) -> list[dict]:
        return [
            {"row": r.row, "field": f, "message": m}
            for r in self.rows
            for f, messages in r.errors.items()
            for m in messages
        ]

    @property
    def valid(self) -> bool:
        return not any(r.errors for r in self.rows)

    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for r in self.rows:
            if r.action:
                counts[r.action] += 1
        return counts


def _key(name: str, country: str) -> tuple[str, str]:
    return re.sub(r"\s+", " ", name).strip().casefold(), country


def _comparable(member: Member, name: str):
    value = getattr(member, name)
    if name == "export_markets":
        return sorted(c.code for c in value)
    if name == "country":
        return str(value)
    return value


def plan_import(cluster, raw_rows: list[dict], *, first_row: int = 2) -> Plan:
    """Check every row against the file itself and the cluster's members, writing nothing."""
    existing = {
        m.pk: m
        for m in Member.objects.filter(memberships__cluster=cluster)
        .annotate(member_since=F("memberships__joined_on"))
        .prefetch_related("competences")
    }
    by_key = {_key(m.name, str(m.country)): m for m in existing.values()}
    seen_members: dict[int, int] = {}
    seen_keys: dict[tuple[str, str], int] = {}
    results = []
    for offset, raw in enumerate(raw_rows):
        line = raw.get(LINE) if isinstance(raw, dict) else None
        result = RowResult(row=line if isinstance(line, int) else first_row + offset)
        results.append(result)
        if not isinstance(raw, dict):
            result.errors["row"] = [_("Each row must be an object of column values.")]
            continue
        unknown = sorted(set(raw) - set(COLUMN_NAMES) - {LINE})
        if unknown:
            result.errors["row"] = [_("Unknown columns: %(c)s") % {"c": ", ".join(unknown)}]
        values = parse_row(raw, result)
        member = None
        try:
            member_id = parse_id(raw.get("id"))
        except ValidationError as exc:
            result.errors["id"] = exc.messages
            member_id = None
        if member_id is not None:
            member = existing.get(member_id)
            if member is None:
                result.errors["id"] = [
                    _("No member with id %(id)s in this cluster.") % {"id": member_id}
                ]
        key = _key(values.get("name") or "", values.get("country") or "")
        if values.get("name") and values.get("country"):
            if key in seen_keys and "id" not in result.errors:
                result.errors["name"] = [
                    _("Duplicate of row %(row)s (same name and country).") % {"row": seen_keys[key]}
                ]
            seen_keys.setdefault(key, result.row)
            if member is None and member_id is None:
                member = by_key.get(key)
        if member is not None:
            # Two rows that resolve to one member (by id and by name) would overwrite each other.
            if member.pk in seen_members and not result.errors:
                result.errors["id"] = [
                    _("Row %(row)s already updates this member.") % {"row": seen_members[member.pk]}
                ]
            seen_members.setdefault(member.pk, result.row)
            if member.erased_at:
                result.errors["id"] = [
                    _("This member's data was erased on request; it cannot be imported again.")
                ]
        candidate = Member(**{k: v for k, v in values.items() if k in MEMBER_FIELDS})
        try:
            # Countries were checked above against the code list, far faster than the
            # field's own check against its translated choices.
            candidate.full_clean(
                exclude=["country", "export_markets"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                if name not in result.errors:
                    result.errors.setdefault(name, []).extend(messages)
        if result.errors:
            continue
        result.values = {name: _comparable(candidate, name) for name in MEMBER_FIELDS}
        if member is None:
            result.action = "create"
            continue
        result.member_id = member.pk
        changes = {}
        for name in MEMBER_FIELDS:
            before, after = _comparable(member, name), result.values[name]
            if before != after:
                changes[name] = [_jsonable(before), _jsonable(after)]
        current = sorted((c.name for c in member.competences.all()), key=str.casefold)
        if sorted(map(slugify, current)) != sorted(map(slugify, result.competences)):
            changes["competences"] = [current, result.competences]
        since = member.member_since.isoformat() if member.member_since else None
        if result.member_since and result.member_since != since:
            changes["member_since"] = [since, result.member_since]
        result.changes = changes
        result.action = "update" if changes else "unchanged"
    return Plan(results)


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    return value


def plan_to_json(plan: Plan) -> list[dict]:
    """What each row does, kept with the import (contact persons left out)."""
    return [
        {
            "row": r.row,
            "action": r.action,
            "member_id": r.member_id,
            "name": r.values.get("name", ""),
            "changes": {k: v for k, v in r.changes.items() if k not in CONTACT_FIELDS},
            "size_class": size_class_of(
                r.values.get("employees"),
                r.values.get("annual_turnover"),
                r.values.get("balance_sheet_total"),
                r.values.get("kind") or Member.Kind.ENTERPRISE,
            )
            if r.values
            else "",
        }
        for r in plan.rows
    ]


# --- writing ------------------------------------------------------------------------------------


def apply_plan(cluster, plan: Plan, *, progress=None) -> dict[str, int]:
    """Write a valid plan in one transaction: all rows or none."""
    if not plan.valid:
        raise ValidationError(_("The rows have errors; nothing was written."))
    counts = plan.counts()
    total = len(plan.rows)
    done = 0
    with transaction.atomic():
        competence_ids = _competence_ids({c for r in plan.rows for c in r.competences})
        creates = [r for r in plan.rows if r.action == "create"]
        updates = [r for r in plan.rows if r.action == "update"]

        new_members = [Member(**r.values) for r in creates]
        for start in range(0, len(new_members), BATCH):
            Member.objects.bulk_create(new_members[start : start + BATCH])
            done += len(new_members[start : start + BATCH])
            if progress:
                progress(done, total)
        for r, member in zip(creates, new_members, strict=True):
            r.member_id = member.pk
        new_memberships = ClusterMembership.objects.bulk_create(
            [
                # With the objects themselves, the audit entry names them without a query each.
                ClusterMembership(member=member, cluster=cluster, joined_on=r.member_since)
                for r, member in zip(creates, new_members, strict=True)
            ],
            batch_size=BATCH,
        )
        # Bulk writes send no signals: the audit trail gets its entries here (the actor is the
        # one set with auditlog's set_actor by the caller).
        audit.log_created([*new_members, *new_memberships])

        changed_fields = sorted({f for r in updates for f in r.changes if f in MEMBER_FIELDS})
        if changed_fields:
            members = []
            now = timezone.now()
            for r in updates:
                members.append(Member(pk=r.member_id, updated_at=now, **r.values))
            for start in range(0, len(members), BATCH):
                batch = members[start : start + BATCH]
                before = Member.objects.in_bulk([m.pk for m in batch])
                Member.objects.bulk_update(batch, [*changed_fields, "updated_at"])
                audit.log_updated((before[m.pk], m) for m in batch)
                done += len(batch)
                if progress:
                    progress(done, total)

        through = Member.competences.through
        retag = [r for r in creates if r.competences] + [
            r for r in updates if "competences" in r.changes
        ]
        through.objects.filter(member_id__in=[r.member_id for r in retag]).delete()
        through.objects.bulk_create(
            [
                through(member_id=r.member_id, competence_id=competence_ids[c])
                for r in retag
                for c in r.competences
            ],
            batch_size=BATCH,
        )
        audit.write(_competence_entries(retag, competence_ids))
        moved = {r.member_id: r.member_since for r in updates if "member_since" in r.changes}
        if moved:
            memberships = list(
                ClusterMembership.objects.filter(member_id__in=moved, cluster=cluster)
            )
            pairs = []
            for membership in memberships:
                pairs.append((copy.copy(membership), membership))
                membership.joined_on = moved[membership.member_id]
            ClusterMembership.objects.bulk_update(memberships, ["joined_on"], batch_size=BATCH)
            audit.log_updated(pairs)
        members_changed([r.member_id for r in updates])
    if progress:
        progress(total, total)
    return counts


def _competence_entries(retag: list[RowResult], competence_ids: dict[str, int]):
    """The m2m entries auditlog writes for ``competences``: what was taken off, what was put on
    (a competence kept under another spelling is neither)."""
    names = dict(
        Competence.objects.filter(pk__in=set(competence_ids.values())).values_list("pk", "name")
    )
    for r in retag:
        before = r.changes.get("competences", [[], []])[0]
        kept = {slugify(n) for n in before}
        after = [names[competence_ids[c]] for c in r.competences]
        new = {slugify(n) for n in after}
        member = Member(pk=r.member_id, name=r.values.get("name", ""))
        yield audit.m2m_entry(
            member, "competences", "delete", [n for n in before if slugify(n) not in new]
        )
        yield audit.m2m_entry(
            member, "competences", "add", [n for n in after if slugify(n) not in kept]
        )


def _competence_ids(names: set[str]) -> dict[str, int]:
    """Competence id per name (matched by slug), creating the ones that are new."""
    slugs = {slugify(n): n for n in names}
    if not slugs:
        return {}
    known = set(Competence.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    Competence.objects.bulk_create(
        [Competence(name=n, slug=s) for s, n in slugs.items() if s not in known],
        ignore_conflicts=True,
    )
    by_slug = dict(Competence.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    return {n: by_slug[slugify(n)] for n in names}


def bulk_upsert(*, actor, cluster: ClusterOrganisation, rows: list, dry_run=False) -> dict:
    """The API's bulk write: the import's checks, all rows or none."""
    require(can_manage_members(actor, cluster))
    plan = plan_import(cluster, rows, first_row=0)
    if not plan.valid:
        raise RowErrors(
            [{"index": e["row"], "field": e["field"], "message": e["message"]} for e in plan.errors]
        )
    if dry_run:
        return {"dry_run": True, **plan.counts(), "rows": plan_to_json(plan)}
    with set_actor(actor):
        counts = apply_plan(cluster, plan)
    return {"dry_run": False, **counts, "members": [r.member_id for r in plan.rows]}
