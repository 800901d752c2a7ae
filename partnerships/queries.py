"""Reads with their access scoping, for pages and API alike."""

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Substr

from partnerships.rules import with_contact_visibility

from . import nace
from .models import ClusterMembership, Member


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
