"""Reads, for pages and API alike: querysets for the lists and details and counts for the pages,
each scoped by the access rules. Nothing here writes."""

from collections import defaultdict
from functools import partial
from itertools import groupby

from auditlog.models import LogEntry, _get_manager_from_settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.db.models.functions import Substr
from django.utils.encoding import smart_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from escp_portal.accounts.policy import visible_to, with_insider
from escp_portal.rows import per_row

from . import nace
from .models import (
    ClusterMembership,
    ClusterOrganisation,
    Member,
    MemberImport,
    Partner,
    PartnerInvitation,
    Partnership,
    Programme,
)
from .models.members import IMPORT_STALLED
from .rules import (
    can_manage_members,
    clusters_with_visible_members,
    joinable_cluster_ids,
    with_contact_visibility,
)

# --- the directory -------------------------------------------------------------------------------


def partnership_list(user):
    """The partnerships the user may see, with their partners, for the directory's list."""
    return (
        Partnership.objects.visible_to(user)
        .select_related("programme")
        .prefetch_related(
            Prefetch(
                "partners",
                queryset=Partner.objects.select_related("cluster").order_by("cluster__country"),
            )
        )
        .annotate(partner_count=per_row(Partner.objects.all(), Count("pk"), by="partnership"))
        .order_by("acronym", "generation")
    )


def partnership_detail(user):
    """Partnerships for their page, with their programme and whether the user works in each
    (``INSIDER``); the rest of the page is read by ``partnership_partners`` when it is shown."""
    return with_insider(Partnership.objects.visible_to(user).select_related("programme"), user)


def partnership_partners(partnership) -> dict:
    """What a partnership's page shows of its sectors, partners and markets (three queries)."""
    prefetch_related_objects(
        [partnership],
        "sectors",
        "target_markets",
        Prefetch("partners", queryset=Partner.objects.select_related("cluster")),
    )
    partners = list(partnership.partners.all())
    return {
        "sectors": list(partnership.sectors.all()),
        "partners": partners,
        "current_partners": [p for p in partners if p.is_current],
        "partners_by_country": _partners_by_country(partners),
        "country_count": len({p.cluster.country.code for p in partners}),
        "current_clusters_by_country": _count_by_country(p for p in partners if p.is_current),
        "target_countries": [m.country for m in partnership.target_markets.all()],
    }


# Figures by country that later apps keep about a partnership (missions, outcomes) and its page's
# world map shows: those apps register a function here (partnerships may not import them).
_country_figures = []


def register_partnership_country_figures(function):
    """``function(partnership, user) -> [(label, {alpha-2: count}), ...]``: the series the user
    may see (a series the policy hides is left out, not shown as zeros), in one query."""
    _country_figures.append(function)


def partnership_country_figures(partnership, user) -> list[tuple[str, dict]]:
    """A partnership's page, world map: its target markets (loaded by ``partnership_detail``)
    and the registered figures (missions, outcomes), as ``[(label, {code: count})]``."""
    markets = defaultdict(int)
    for market in partnership.target_markets.all():
        markets[str(market.country)] += 1
    series = [(_("Target market"), dict(markets))]
    for function in _country_figures:
        series += function(partnership, user)
    return series


def clusters_by_country(clusters) -> dict[str, int]:
    """How many of ``clusters`` (a queryset the user may see) are in each country: one query."""
    return dict(
        ClusterOrganisation.objects.filter(pk__in=clusters.order_by().values("pk"))
        .order_by()
        .values_list("country")
        .annotate(n=Count("pk"))
    )


def _count_by_country(partners) -> dict[str, int]:
    counts = defaultdict(int)
    for _cluster, country in {(p.cluster_id, p.cluster.country.code) for p in partners}:
        counts[country] += 1
    return dict(counts)


def _partners_by_country(partners):
    rows = sorted(partners, key=lambda p: (p.cluster.country.name, p.cluster.name))
    return [(country, list(group)) for country, group in groupby(rows, lambda p: p.cluster.country)]


def partnerships(user):
    """The partnerships the user may see, with programme, sectors and partners (the API)."""
    return (
        Partnership.objects.visible_to(user)
        .select_related("programme")
        .prefetch_related(
            "sectors",
            Prefetch("partners", queryset=Partner.objects.select_related("cluster")),
        )
    )


def partnership_history(partnership):
    """The latest 200 entries of the audit trail of a partnership and its list of partners."""
    types = ContentType.objects.get_for_models(Partnership, Partner)
    entries = (
        LogEntry.objects.filter(
            Q(content_type=types[Partnership], object_pk=str(partnership.pk))
            | Q(content_type=types[Partner], additional_data__partnership_id=partnership.pk)
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp")[:200]
    )
    return with_related_names(entries)


def with_related_names(entries):
    """Log entries whose ``changes_display_dict`` names the objects their foreign keys point
    at from one query per model, where auditlog would ask once per key and entry."""
    entries = list(entries)
    wanted = defaultdict(set)
    for entry in entries:
        for field, value in _foreign_key_changes(entry):
            wanted[field.related_model].add(value)
    names = {
        model: {
            obj.pk: smart_str(obj) for obj in _get_manager_from_settings(model).filter(pk__in=pks)
        }
        for model, pks in wanted.items()
    }
    for entry in entries:
        entry._get_changes_display_for_fk_field = partial(_foreign_key_display, names)
    return entries


def _foreign_key_changes(entry):
    """(field, primary key) of every foreign key value in the entry's changes."""
    model = entry.content_type.model_class()
    if model is None:
        return
    for name, values in entry.changes_dict.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if getattr(field, "choices", None) or not field.is_relation:
            continue
        if field.get_internal_type() not in ("ForeignKey", "OneToOneField"):
            continue
        for value in values:
            if value == "None":
                continue
            try:
                yield field, field.related_model._meta.pk.to_python(value)
            except ValidationError:
                continue


def _foreign_key_display(names, field, value):
    """What ``LogEntry._get_changes_display_for_fk_field`` answers, from the names at hand."""
    if value == "None":
        return value
    try:
        pk = field.related_model._meta.pk.to_python(value)
    except ValidationError:
        return value
    try:
        return names[field.related_model][pk]
    except KeyError:
        return f"Deleted '{field.related_model.__name__}' ({value})"


def programmes(user):
    """Programmes, each with the number of partnerships in it the user may see."""
    visible = visible_to(Partnership.objects.all(), user)
    return (
        Programme.objects.visible_to(user)
        .annotate(partnership_count=per_row(visible, Count("pk"), by="programme"))
        .order_by("code")
    )


def clusters(user):
    """Cluster organisations, each with the number of partnerships the user may see it in."""
    visible = visible_to(Partner.objects.all(), user)
    return (
        ClusterOrganisation.objects.visible_to(user)
        .annotate(
            partnership_count=per_row(visible, Count("partnership", distinct=True), by="cluster")
        )
        .order_by("name", "pk")
    )


def cluster_detail(user):
    """Cluster organisations for their page, sectors loaded."""
    return ClusterOrganisation.objects.visible_to(user).prefetch_related("sectors")


def cluster_partnerships(cluster, user):
    """The cluster's places in the partnerships the user may see."""
    return (
        Partner.objects.visible_to(user)
        .filter(cluster=cluster)
        .select_related("partnership__programme")
        .order_by("partnership__acronym")
    )


def partners(user):
    """Partners the user may see, with their cluster and partnership (the API)."""
    return Partner.objects.visible_to(user).select_related("cluster", "partnership")


# --- member data ---------------------------------------------------------------------------------


def members_of(cluster, user):
    """The cluster's members as this user may see them, ready for a list (flat queries)."""
    return (
        with_contact_visibility(
            Member.objects.visible_to(user).filter(memberships__cluster=cluster), user
        )
        .prefetch_related(
            "competences",
            Prefetch(
                "memberships",
                queryset=ClusterMembership.objects.filter(cluster=cluster),
                to_attr="cluster_memberships",
            ),
        )
        .order_by("name", "pk")
    )


def member_figures(cluster) -> dict:
    """Counts only, no names: what EC officers and partners may see of a cluster's members."""
    members = Member.objects.filter(memberships__cluster=cluster)
    totals = members.aggregate(
        members=Count("pk"),
        smes=Count("pk", filter=Q(is_sme=True)),
        unknown=Count("pk", filter=Q(is_sme__isnull=True)),
    )
    sizes = dict(members.values_list("size_class").annotate(n=Count("pk")))
    by_size = [(label, sizes.get(code, 0)) for code, label in Member.Size.choices] + [
        ("—", sizes.get("", 0))
    ]
    by_section: dict[str, int] = {}
    for division, n in (
        members.annotate(division=Substr("nace_code", 1, 2))
        .values_list("division")
        .annotate(n=Count("pk"))
    ):
        section = nace.section_of(division or "")
        by_section[section] = by_section.get(section, 0) + n
    sections = [
        (code, nace.title(code) if code else "", by_section[code])
        for code in sorted(by_section, key=lambda c: (c == "", c))
    ]
    share = round(100 * totals["smes"] / totals["members"]) if totals["members"] else None
    return {**totals, "sme_share": share, "by_size": by_size, "by_section": sections}


def members(user):
    """Members the user may see, with ``contacts_visible`` (the API)."""
    queryset = Member.objects.visible_to(user).prefetch_related("competences", "memberships")
    return with_contact_visibility(queryset, user)


def member_detail(user):
    """Members the user may see, for their page: competences and clusters loaded."""
    memberships = ClusterMembership.objects.select_related("cluster")
    return with_contact_visibility(Member.objects.visible_to(user), user).prefetch_related(
        "competences",
        Prefetch("memberships", memberships.order_by(*ClusterMembership.BY_CLUSTER_NAME)),
    )


def member_page(member, user) -> dict:
    """What a member's page shows the user (the member loaded by ``member_detail``): only the
    clusters whose members the user may see, the rest is not theirs to know."""
    memberships = member.memberships.all()
    managed = [m for m in memberships if can_manage_members(user, m.cluster)]
    visible = clusters_with_visible_members(user, [m.cluster_id for m in memberships])
    joined = {m.cluster_id for m in memberships}
    other_clusters = ClusterOrganisation.objects.filter(pk__in=joinable_cluster_ids(user))
    return {
        "nace_title": nace.title(member.nace_code),
        "managed_memberships": managed,
        "memberships": [m for m in memberships if m.cluster_id in visible],
        "other_clusters": other_clusters.exclude(pk__in=joined) if managed else [],
    }


def recent_imports(cluster, user):
    """The cluster's last ten uploads of member files."""
    imports = MemberImport.objects.visible_to(user).filter(cluster=cluster)
    return imports.select_related("uploaded_by")[:10]


def member_imports(user):
    """Uploads of member files the user may see, for their page."""
    return MemberImport.objects.visible_to(user).select_related("cluster", "uploaded_by")


def progress_key(member_import_id: int) -> str:
    """Where a running import reports the rows done (in the cache)."""
    return f"member-import:{member_import_id}:progress"


def import_progress(member_import: MemberImport) -> int:
    """Rows done so far: the cache holds it while a transaction has it unseen."""
    if member_import.finished:
        return member_import.processed_rows
    return cache.get(progress_key(member_import.pk), member_import.processed_rows)


def import_preview(member_import: MemberImport) -> dict:
    """What an upload does (or did): counts, changed rows, new names, errors (the first 500)."""
    summary = member_import.summary or {}
    rows = summary.get("rows", [])
    errors = member_import.errors
    if member_import.stalled and not errors:  # shown failed before the purge marks it so
        errors = [{"row": 0, "field": "file", "message": str(IMPORT_STALLED)}]
    return {
        "processed": import_progress(member_import),
        "counts": summary.get("counts", {}),
        "changed_rows": [r for r in rows if r["action"] == "update"][:500],
        "new_names": [r["name"] for r in rows if r["action"] == "create"][:20],
        "errors": errors[:500],
        "more_errors": max(0, len(member_import.errors) - 500),
    }


def import_status(member_import: MemberImport) -> dict:
    """An import's progress, for its page to follow without reloading."""
    processed = import_progress(member_import)
    total = member_import.total_rows
    return {
        "status": member_import.shown_status,
        "status_display": member_import.get_shown_status_display(),
        "processed": processed,
        "total": total,
        "progress": round(100 * processed / total) if total else 100,
        "finished": member_import.finished,
    }


# --- consent -------------------------------------------------------------------------------------


def partner_invitations(user):
    """The partner invitations the user may see: their partnerships' and their clusters'."""
    return (
        visible_to(PartnerInvitation.objects.all(), user)
        .select_related("partnership__programme", "cluster", "invited_by", "answered_by")
        .order_by("-created_at", "-pk")
    )


def sharing_partnerships(user, cluster_ids):
    """The partnerships the given clusters (the user's) currently share their members with."""
    return (
        Partner.objects.visible_to(user)
        .filter(cluster_id__in=cluster_ids, left_on__isnull=True, sharing_ended_at__isnull=True)
        .select_related("partnership__programme", "cluster")
        .order_by("cluster__name", "partnership__acronym")
    )


def ended_q(today, path: str = "") -> Q:
    """Partnerships that ended: completed, or past their end date. ``path`` leads from the
    queried model to its partnership (``"partnership__"``; empty for partnerships themselves)."""
    return Q(**{f"{path}status": Partnership.Status.COMPLETED}) | Q(
        **{f"{path}end_date__lt": today}
    )


def has_ended(*, status: str, end_date, today) -> bool:
    """``ended_q`` for a row already read: completed, or past its end date."""
    return status == Partnership.Status.COMPLETED or (end_date is not None and end_date < today)


def expectations_by_partner(partnership, user) -> list[dict]:
    """Each current partner with its expectations and commitments (two queries): what it hoped
    for and what it promised at set-up, and how the last review found each."""
    from escp_portal.accounts.policy import partner_clusters_of

    from .models import PartnerExpectation

    partners = list(
        partnership.partners.filter(cluster_id__in=partner_clusters_of([partnership.pk]))
        .select_related("cluster")
        .order_by("cluster__name")
    )
    rows = {p.pk: {"partner": p, "entries": []} for p in partners}
    for entry in PartnerExpectation.objects.visible_to(user).filter(partner_id__in=list(rows)):
        entry.partner = rows[entry.partner_id]["partner"]  # the rules read it: no query each
        rows[entry.partner_id]["entries"].append(entry)
    return list(rows.values())


# The one rule of what is shown as active. A partnership with no end date (the ESCP-S3
# partnerships have none published) is active while something happens: with no activity recorded
# on the portal (``last_activity_on``) for QUIET_MONTHS — counted from its start when nothing was
# ever recorded — it shows as "no recent activity" instead, on its page, in the directory and its
# filter, on the dashboards and in the officers' counts. One with an end date is active until then.
QUIET_MONTHS = 18


def quiet_since(today):
    """The day before which the latest activity must fall for a partnership to be quiet."""
    months = today.year * 12 + today.month - 1 - QUIET_MONTHS
    year, month = divmod(months, 12)
    return today.replace(year=year, month=month + 1, day=min(today.day, 28))


def quiet_q(today, path: str = "") -> Q:
    """Active partnerships without an end date and without recent activity (see QUIET_MONTHS)."""
    since = quiet_since(today)
    p = path
    return Q(**{f"{p}status": Partnership.Status.ACTIVE, f"{p}end_date__isnull": True}) & (
        Q(**{f"{p}last_activity_on__lt": since})
        | Q(**{f"{p}last_activity_on__isnull": True, f"{p}start_date__lt": since})
    )


def running_q(today, path: str = "") -> Q:
    """Partnerships shown as active: active, not ended, not quiet."""
    return (
        Q(**{f"{path}status": Partnership.Status.ACTIVE})
        & ~ended_q(today, path)
        & ~quiet_q(today, path)
    )


def activity_state(partnership, today) -> str:
    """What a partnership is shown as: ``draft``, ``active``, ``quiet`` (no recent activity) or
    ``ended`` (completed or past its end date) — the same rule as the queries above."""
    if partnership.status == Partnership.Status.DRAFT:
        return "draft"
    if has_ended(status=partnership.status, end_date=partnership.end_date, today=today):
        return "ended"
    if partnership.end_date is None:
        since = quiet_since(today)
        latest = partnership.last_activity_on or partnership.start_date
        if latest is not None and latest < since:
            return "quiet"
    return "active"


ACTIVITY_LABELS = {
    "draft": gettext_lazy("Draft"),
    "active": gettext_lazy("Active"),
    "quiet": gettext_lazy("No recent activity"),
    "ended": gettext_lazy("Completed"),
}
