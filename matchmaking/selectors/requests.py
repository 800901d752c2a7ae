"""Reads of contact requests and "we look for …" posts, through the access policy."""

from escp_portal.accounts.policy import clusters_managed_by
from partnerships.models import ClusterOrganisation, Partnership

from ..models import ContactRequest, PartnerRequest, PartnerRequestAnswer
from ..rules import received_requests
from .search import searchable_profiles


def findable_member(member_id: int):
    """The findable profile of a member, as the search shows it (None if not findable)."""
    return searchable_profiles().select_related("cluster").filter(member_id=member_id).first()


def sent_contact_requests(user):
    return ContactRequest.objects.filter(requester_id=user.pk).select_related("cluster")


def received_contact_requests(user):
    return received_requests(ContactRequest.objects.visible_to(user), user).select_related(
        "requester", "member", "cluster"
    )


def contact_requests(user):
    return ContactRequest.objects.visible_to(user).select_related(
        "requester", "member", "cluster", "answered_by"
    )


def partner_requests(user):
    return PartnerRequest.objects.visible_to(user).select_related(
        "author", "partnership", "cluster"
    )


def answers_to(post, user):
    return (
        PartnerRequestAnswer.objects.visible_to(user).filter(request=post).select_related("author")
    )


def posting_choices(user, coordinated, managed) -> list[tuple[str, str]]:
    """What a user may post for: ``p<id>`` for a partnership they coordinate, ``c<id>`` for a
    cluster they manage (``coordinated``/``managed``: the ids, from the policy)."""
    choices = []
    if coordinated:
        partnerships = (
            Partnership.objects.filter(pk__in=coordinated)
            .exclude(status=Partnership.Status.DRAFT)  # not public yet: posts are
            .order_by("acronym")
        )
        choices += [(f"p{p.pk}", p.acronym) for p in partnerships]
    if managed:
        clusters = ClusterOrganisation.objects.filter(pk__in=managed).order_by("name")
        choices += [(f"c{c.pk}", c.name) for c in clusters]
    return choices


def clusters_kept_by(user):
    """The clusters the user manages (for the links to their findability pages)."""
    ids = clusters_managed_by(user)
    return list(ClusterOrganisation.objects.filter(pk__in=ids).order_by("name")) if ids else []
