"""Access rules of finding partners.

- Findable profiles: a cluster's managers choose which of its members are findable (none by
  default) and which fields show; the consent records are theirs (and staff's) to read.
- The partner search (clusters and findable members of every partnership) is for the people who
  look for partners: coordinators and cluster managers (and staff). EC officers read figures,
  never members, and the public has the cluster directory.
- Contact requests: the requester and the managers of the member's cluster see one; only the
  managers answer, and the requester reads only the contact they released.
- "We look for …" posts: every signed-in user reads them; coordinators and cluster managers post
  and answer; an answer is seen by the poster and by whoever wrote it.

The named decisions below are the only place that reads a user's scope for this app.
"""

from django.db import models

from escp_portal.accounts.policy import coordinates, limited_by, nobody, rule, scope_for

# --- findable profiles --------------------------------------------------------------------------


def _profiles(qs, scope):
    if scope.is_staff:
        return qs
    return qs.filter(cluster_id__in=scope.managed_clusters)


rule(
    "matchmaking.FindableProfile",
    visible=_profiles,
    edit=lambda scope, profile: profile.cluster_id in scope.managed_clusters,
    create=lambda scope, cluster: cluster is not None and cluster.pk in scope.managed_clusters,
)


def can_manage_findability(user, cluster) -> bool:
    """The cluster's managers (and staff) make its members findable and choose the fields."""
    scope = scope_for(user)
    return scope.is_staff or cluster.pk in scope.managed_clusters


def findability_clusters(user):
    """The clusters (ids) whose findability the user sets by role (staff are offered none)."""
    return scope_for(user).managed_clusters


# --- the partner search -------------------------------------------------------------------------


def can_search_partners(user) -> bool:
    """Coordinators and cluster managers look for partners (staff too); EC officers and people
    with no role do not, and the public has the cluster directory."""
    scope = scope_for(user)
    return scope.is_staff or scope.is_coordinator or scope.is_cluster_manager


# --- contact requests ---------------------------------------------------------------------------


def _contact_requests(qs, scope):
    if scope.is_staff:
        return qs
    if not scope.authenticated:
        return qs.none()
    condition = models.Q(requester_id=scope.user_id)
    if scope.managed_clusters:
        condition |= models.Q(cluster_id__in=scope.managed_clusters)
    return qs.filter(condition)


rule("matchmaking.ContactRequest", visible=_contact_requests, edit=nobody)


def can_request_contact(user) -> bool:
    """Whoever may search may ask for a found member's contact."""
    return can_search_partners(user)


def can_answer_contact_request(user, request) -> bool:
    """The managers of the member's cluster (the one that made it findable) forward or decline."""
    scope = scope_for(user)
    return scope.is_staff or request.cluster_id in scope.managed_clusters


def is_requester(user, request) -> bool:
    return request.requester_id == getattr(user, "pk", None)


def received_requests(queryset, user):
    """The requests sent to the clusters the user manages (staff: to every cluster)."""
    scope = scope_for(user)
    if scope.is_staff:
        return queryset
    return queryset.filter(cluster_id__in=scope.managed_clusters)


def max_open_contact_requests() -> int:
    from django.conf import settings

    return settings.MATCHMAKING_MAX_OPEN_CONTACT_REQUESTS


# --- "we look for …" posts ----------------------------------------------------------------------


def _signed_in(qs, scope):
    return qs if scope.authenticated else qs.none()


rule(
    "matchmaking.PartnerRequest",
    visible=_signed_in,
    edit=lambda scope, post: post.author_id == scope.user_id,
    create=lambda scope, parent: scope.is_coordinator or scope.is_cluster_manager,
)


def _answers(qs, scope):
    if scope.is_staff:
        return qs
    if not scope.authenticated:
        return qs.none()
    return qs.filter(models.Q(author_id=scope.user_id) | models.Q(request__author_id=scope.user_id))


rule("matchmaking.PartnerRequestAnswer", visible=_answers, edit=nobody)


def can_post_partner_request(user) -> bool:
    """Coordinators and cluster managers post, for a partnership they coordinate or a cluster
    they manage."""
    scope = scope_for(user)
    return scope.is_coordinator or scope.is_cluster_manager


def may_post_for(user, *, partnership=None, cluster=None) -> bool:
    scope = scope_for(user)
    if partnership is not None:
        return partnership.pk in scope.coordinated_partnerships
    if cluster is not None:
        return cluster.pk in scope.managed_clusters
    return False


def can_change_partner_request(user, post) -> bool:
    """Its poster edits and closes it."""
    return post.author_id == getattr(user, "pk", None)


def can_answer_partner_request(user, post) -> bool:
    """Coordinators and cluster managers other than the poster answer an open post."""
    return can_search_partners(user) and post.author_id != getattr(user, "pk", None)


def sees_all_answers(user, post) -> bool:
    """The poster sees who answered and what; others see their own answer only."""
    return post.author_id == getattr(user, "pk", None) or scope_for(user).is_staff


# --- suggestions: value-chain gaps and export groups ---------------------------------------------


def sees_gap_suggestions(user) -> bool:
    """A value chain's suggestions for its uncovered stages, on a page its insiders alone open:
    for those of them who look for partners (coordinators, cluster managers), not EC officers."""
    return can_search_partners(user)


def can_suggest_export_groups(user, partnership_id: int) -> bool:
    """Export groups are made by the partnership's coordinators (``export_group_save``)."""
    return coordinates(user, partnership_id)


# What a token limited to partnerships or clusters reads (``policy.limited_by``): findable
# profiles and contact requests of the clusters it reaches, posts of its partnerships and clusters.
limited_by("matchmaking.FindableProfile", cluster="cluster_id")
limited_by("matchmaking.ContactRequest", cluster="cluster_id")
limited_by("matchmaking.PartnerRequest", partnership="partnership_id", cluster="cluster_id")
limited_by(
    "matchmaking.PartnerRequestAnswer",
    partnership="request__partnership_id",
    cluster="request__cluster_id",
)
