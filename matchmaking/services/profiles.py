"""Findable profiles: a cluster's managers make members findable (and choose the fields shown)
or stop it; each profile keeps a copy of its shown fields for the search, which follows every
change to the member (``profiles_refresh``, registered with the partnerships app)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from escp_portal.audit import set_actor
from escp_portal.services import delete_audited, require, save_audited
from partnerships import nace
from partnerships.models import ClusterMembership, Member

from ..models import ContactRequest, FindableProfile
from ..rules import can_manage_findability

FLAGS = FindableProfile.SHOW_FLAGS
COPIED = [
    "name",
    "country",
    "nuts_region",
    "nace_code",
    "nace_section",
    "size_class",
    "export_markets",
    "competence_tags",
    "competences",
    "skills_text",
    "search_text",
]


def tag(text: str) -> str:
    """A competence as the search compares it: lower case, single spaces."""
    return " ".join(text.lower().split())


def shown_copy(profile: FindableProfile, member: Member, competence_names: list[str]) -> dict:
    """The profile's copy of the member: each field only if the profile shows it."""
    code = member.nace_code if profile.show_sector else ""
    names = sorted(competence_names, key=str.casefold) if profile.show_competences else []
    markets = (
        sorted(str(c.code) for c in member.export_markets) if profile.show_export_markets else []
    )
    values = {
        "name": member.name if profile.show_name else "",
        "country": str(member.country) if profile.show_country else "",
        "nuts_region": member.nuts_region if profile.show_region else "",
        "nace_code": code,
        "nace_section": nace.section_of(code) if code else "",
        "size_class": (member.size_class or "") if profile.show_size else "",
        "export_markets": f",{','.join(markets)}," if markets else "",
        "competence_tags": f"|{'|'.join(tag(n) for n in names)}|" if names else "",
        "competences": "; ".join(names),
    }
    nace_words = " ".join(filter(None, [nace.title(code), nace.title(code[:2])])) if code else ""
    values["skills_text"] = " ".join(filter(None, [*names, nace_words])).lower()
    with translation.override("en"):
        places = [countries.name(values["country"])] if values["country"] else []
        places += [countries.name(code) for code in markets]
    values["search_text"] = " ".join(
        filter(
            None,
            [
                values["name"],
                *names,
                code,
                values["nace_section"],
                nace_words,
                values["nuts_region"],
                values["size_class"],
                *places,
            ],
        )
    ).lower()
    return values


def update_vectors(profiles) -> None:
    """On PostgreSQL, the full-text vector of the profiles (a queryset) from their copy: the name
    and competences weigh most. Without PostgreSQL the search reads ``search_text``."""
    if connection.vendor != "postgresql":
        return
    from django.contrib.postgres.search import SearchVector

    profiles.update(
        search_vector=SearchVector("name", weight="A", config="simple")
        + SearchVector("competences", weight="A", config="simple")
        + SearchVector("search_text", weight="C", config="simple")
    )


def _competences(member_ids) -> dict[int, list[str]]:
    through = Member.competences.through.objects.filter(member_id__in=member_ids)
    names: dict[int, list[str]] = {}
    for member_id, name in through.values_list("member_id", "competence__name"):
        names.setdefault(member_id, []).append(name)
    return names


def fill(profiles: list[FindableProfile]) -> None:
    """Write the copy of each (saved) profile's shown fields, in a fixed number of queries."""
    if not profiles:
        return
    names = _competences([p.member_id for p in profiles])
    for profile in profiles:
        for field, value in shown_copy(
            profile, profile.member, names.get(profile.member_id, [])
        ).items():
            setattr(profile, field, value)
    FindableProfile.objects.bulk_update(profiles, COPIED, batch_size=500)
    update_vectors(FindableProfile.objects.filter(pk__in=[p.pk for p in profiles]))


def profiles_refresh(member_ids) -> None:
    """A member's data, clusters or erasure changed: its profile follows. It ends when the member
    was erased or left the cluster that made it findable (and an erased member's released
    contacts are emptied from the contact requests); otherwise its copy is written again."""
    profiles = list(
        FindableProfile.objects.filter(member_id__in=member_ids).select_related("member")
    )
    if not profiles:
        return
    kept_pairs = set(
        ClusterMembership.objects.filter(member_id__in=[p.member_id for p in profiles]).values_list(
            "member_id", "cluster_id"
        )
    )
    ended = [
        p for p in profiles if p.member.erased_at or (p.member_id, p.cluster_id) not in kept_pairs
    ]
    for profile in ended:
        profile.delete()  # audited (the trail keeps who consented, and that it ended)
    erased = [p.member_id for p in profiles if p.member.erased_at]
    if erased:
        ContactRequest.objects.filter(member_id__in=erased).update(
            member_name="", released_name="", released_email="", released_phone=""
        )
    fill([p for p in profiles if p not in ended])


# --- what the cluster's managers do ---------------------------------------------------------------


def _flags(data: dict) -> dict:
    unknown = set(data) - set(FLAGS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    return {name: bool(value) for name, value in data.items()}


def profile_create(*, actor, member: Member, cluster, **flags) -> FindableProfile:
    """Make a member of the cluster findable, showing the chosen fields."""
    require(can_manage_findability(actor, cluster))
    if member.erased_at:
        raise ValidationError({"member": _("This member's data was erased.")})
    if not ClusterMembership.objects.filter(member=member, cluster=cluster).exists():
        raise ValidationError({"member": _("Choose a member of the cluster.")})
    if FindableProfile.objects.filter(member=member).exists():
        raise ValidationError({"member": _("This member is findable already.")})
    profile = FindableProfile(member=member, cluster=cluster, set_by=actor, **_flags(flags))
    with transaction.atomic():
        save_audited(actor, profile)
        fill([profile])
    return profile


def profile_update(*, actor, profile: FindableProfile, **flags) -> FindableProfile:
    require(can_manage_findability(actor, profile.cluster))
    for name, value in _flags(flags).items():
        setattr(profile, name, value)
    profile.set_by = actor
    with transaction.atomic():
        save_audited(actor, profile)
        fill([profile])
    return profile


def profile_end(*, actor, profile: FindableProfile) -> None:
    """The member is no longer findable (contact requests already sent stay to be answered)."""
    require(can_manage_findability(actor, profile.cluster))
    delete_audited(actor, profile)


def profiles_set(*, actor, cluster, members, **flags) -> dict[str, int]:
    """Make the chosen members of the cluster findable with these fields (those findable already
    through this cluster get the fields). Members made findable by another of their clusters
    stay as that cluster's managers set them. Returns how many were made findable, changed and
    left as they were."""
    require(can_manage_findability(actor, cluster))
    flags = _flags(flags)
    members = list(members)
    in_cluster = set(
        ClusterMembership.objects.filter(
            cluster=cluster, member__in=members, member__erased_at__isnull=True
        ).values_list("member_id", flat=True)
    )
    existing = {
        p.member_id: p
        for p in FindableProfile.objects.filter(member__in=members).select_related("member")
    }
    counts = {"created": 0, "updated": 0, "skipped": 0}
    touched = []
    with transaction.atomic(), set_actor(actor):
        for member in members:
            profile = existing.get(member.pk)
            if member.pk not in in_cluster or (profile and profile.cluster_id != cluster.pk):
                counts["skipped"] += 1
                continue
            if profile is None:
                profile = FindableProfile(member=member, cluster=cluster)
                counts["created"] += 1
            elif all(getattr(profile, n) == v for n, v in flags.items()):
                counts["skipped"] += 1
                continue
            else:
                counts["updated"] += 1
            for name, value in flags.items():
                setattr(profile, name, value)
            profile.set_by = actor
            if not profile.pk:
                profile.findable_since = timezone.now()
            profile.save()
            touched.append(profile)
        fill(touched)
    return counts


def profiles_end(*, actor, cluster, members) -> int:
    """Stop the findability of the chosen members (those this cluster made findable)."""
    require(can_manage_findability(actor, cluster))
    with transaction.atomic(), set_actor(actor):
        profiles = list(FindableProfile.objects.filter(cluster=cluster, member__in=list(members)))
        for profile in profiles:
            profile.delete()
    return len(profiles)
