"""Access rules of partnerships, partners, cluster organisations and member data.

- the directory (programmes, published partnerships, their partners, clusters) is public;
  coordinators also see their draft partnerships and edit them and their partners;
- cluster managers edit their cluster's profile and keep its members;
- members are personal and commercial data: their cluster's managers and the coordinators of the
  partnerships the cluster partners in see them (contact persons only where the cluster shares
  them), EC officers get figures, the public nothing.
"""

from django.db import models

from escp_portal.accounts.policy import (
    Scope,
    can_create,
    can_edit,
    everything,
    insiders_visible,
    limited_by,
    model,
    nobody,
    partner_clusters_of,
    rule,
    scope_for,
)


def _partnerships(qs, scope):
    if scope.reads_everything:
        return qs
    published = ~models.Q(status="draft")
    if scope.coordinated_partnerships:
        return qs.filter(published | models.Q(pk__in=scope.coordinated_partnerships))
    return qs.filter(published)


def _partners(qs, scope):
    if scope.reads_everything:
        return qs
    visible = ~models.Q(partnership__status="draft")
    if scope.coordinated_partnerships:
        visible |= models.Q(partnership_id__in=scope.coordinated_partnerships)
    if scope.managed_clusters:  # their own cluster's partnerships, to end the sharing
        visible |= models.Q(cluster_id__in=scope.managed_clusters)
    return qs.filter(visible)


def _coordinates(scope, partnership) -> bool:
    return partnership is not None and partnership.pk in scope.coordinated_partnerships


rule("partnerships.Programme", visible=everything, edit=nobody)
rule("partnerships.Sector", visible=everything, edit=nobody)
rule(
    "partnerships.Partnership",
    visible=_partnerships,
    edit=_coordinates,
)
rule(
    "partnerships.Partner",
    visible=_partners,
    edit=lambda scope, partner: partner.partnership_id in scope.coordinated_partnerships,
    # Consent: coordinators invite a cluster (a PartnerInvitation); staff record programme data.
    create=lambda scope, parent: scope.is_staff,
)
rule(
    "partnerships.ClusterOrganisation",
    visible=everything,
    edit=lambda scope, cluster: cluster.pk in scope.managed_clusters,
    # A coordinator adding a partner may need to list a cluster the portal does not know yet.
    create=lambda scope, parent: scope.is_coordinator,
)


def can_set_programme_fields(user) -> bool:
    """A partnership's identity and funding (acronym, programme, generation, phase, EU funding)
    are the programme's: staff set them; its coordinators edit the rest."""
    return scope_for(user).is_staff


def can_merge_clusters(user) -> bool:
    """Two records of one cluster organisation are merged by staff only."""
    return scope_for(user).is_staff


def can_delete_partnership(user, partnership) -> bool:
    """Only staff delete a partnership; its coordinators end it with a status and dates."""
    return scope_for(user).is_staff


def can_view_history(user, partnership) -> bool:
    """Who changed what in a partnership and its partners: whoever may edit it, EC officers and
    staff."""
    return can_edit(user, partnership) or scope_for(user).reads_everything


# --- member data: what cluster managers keep -----------------------------------------------------
# Members are personal and commercial data: never public, never a list for EC officers (they get
# figures), and a cluster's contact persons reach coordinators only if the cluster shares them.


def member_clusters_q(scope: Scope, *, field: str = "cluster_id", contacts: bool = False):
    """A Q on ``field`` selecting the clusters whose members the scope may see (or whose
    members' contact persons, with ``contacts``). None means no cluster at all."""
    condition = models.Q()
    any_rule = False
    if scope.managed_clusters:
        condition |= models.Q(**{f"{field}__in": scope.managed_clusters})
        any_rule = True
    if scope.coordinated_partnerships:
        subquery = partner_clusters_of(scope.coordinated_partnerships, sharing_contacts=contacts)
        condition |= models.Q(**{f"{field}__in": subquery})
        any_rule = True
    return condition if any_rule else None


def _members(qs, scope):
    if scope.is_staff:
        return qs
    clusters = member_clusters_q(scope)
    if clusters is None:
        return qs.none()
    memberships = model("partnerships.ClusterMembership").objects.filter(clusters)
    return qs.filter(models.Exists(memberships.filter(member=models.OuterRef("pk"))))


def member_cluster_ids(user):
    """Ids of the clusters whose members the user may see (a queryset of ids)."""
    scope = scope_for(user)
    organisations = model("partnerships.ClusterOrganisation").objects
    if scope.is_staff:
        return organisations.values_list("pk", flat=True)
    clusters = member_clusters_q(scope, field="pk")
    if clusters is None:
        return organisations.none().values_list("pk", flat=True)
    return organisations.filter(clusters).values_list("pk", flat=True)


def with_contact_visibility(queryset, user):
    """Annotate members with ``contacts_visible``: may this user read the contact person?"""
    scope = scope_for(user)
    if scope.is_staff:
        return queryset.annotate(contacts_visible=models.Value(True))
    clusters = member_clusters_q(scope, contacts=True)
    if clusters is None:
        return queryset.annotate(contacts_visible=models.Value(False))
    memberships = model("partnerships.ClusterMembership").objects.filter(clusters)
    return queryset.annotate(
        contacts_visible=models.Exists(memberships.filter(member=models.OuterRef("pk")))
    )


def can_view_members(user, cluster) -> bool:
    """May the user list this cluster's members (managers, coordinators of its partnerships)?"""
    return cluster.pk in clusters_with_visible_members(user, [cluster.pk])


def clusters_with_visible_members(user, cluster_ids) -> set[int]:
    """Those of the clusters (ids) whose members the user may list: ``can_view_members`` for
    many clusters at once, in one query at most."""
    scope = scope_for(user)
    cluster_ids = set(cluster_ids)
    if scope.is_staff:
        return cluster_ids
    allowed = cluster_ids & scope.managed_clusters
    others = cluster_ids - allowed
    if others and scope.coordinated_partnerships:
        partners = partner_clusters_of(scope.coordinated_partnerships).filter(cluster_id__in=others)
        allowed |= set(partners.values_list("cluster_id", flat=True))
    return allowed


def can_view_member_figures(user, cluster, *, members_visible: bool | None = None) -> bool:
    """Counts (members, SMEs, by sector and size): also for EC officers, never for the public.
    ``members_visible`` is ``can_view_members``'s answer when the caller has it already."""
    if members_visible:
        return True
    if scope_for(user).reads_everything:
        return True
    return members_visible is None and can_view_members(user, cluster)


def can_manage_members(user, cluster) -> bool:
    scope = scope_for(user)
    return scope.is_staff or cluster.pk in scope.managed_clusters


def member_clusters_shown(user) -> set[int] | None:
    """The clusters (ids) a member's list of clusters may name to the user: those whose members
    they may see; None for every cluster (staff)."""
    if scope_for(user).is_staff:
        return None
    return set(member_cluster_ids(user))


def joinable_cluster_ids(user) -> frozenset[int]:
    """The clusters a member's page offers to add the member to: those the user manages by role
    (staff, who may keep any cluster's members, are offered no list of every cluster)."""
    return scope_for(user).managed_clusters


def can_edit_member(user, member) -> bool:
    """May the user edit this member's data on its page: they manage one of its clusters (from
    its memberships as loaded, no query when they are), and it was not erased."""
    if member.erased_at:
        return False
    return any(can_manage_members(user, m.cluster) for m in member.memberships.all())


def _edit_member(scope, member):
    return member.memberships.filter(cluster_id__in=scope.managed_clusters).exists()


def _memberships(qs, scope):
    if scope.is_staff:
        return qs
    clusters = member_clusters_q(scope)
    return qs.none() if clusters is None else qs.filter(clusters)


def _imports(qs, scope):
    if scope.is_staff:
        return qs
    return qs.filter(cluster_id__in=scope.managed_clusters)


rule(
    "partnerships.Competence",
    visible=everything,
    edit=nobody,
    create=lambda scope, parent: scope.is_cluster_manager,
)
rule(
    "partnerships.Member",
    visible=_members,
    edit=_edit_member,
    create=lambda scope, cluster: cluster is not None and cluster.pk in scope.managed_clusters,
)
rule(
    "partnerships.ClusterMembership",
    visible=_memberships,
    edit=lambda scope, m: m.cluster_id in scope.managed_clusters,
    create=lambda scope, cluster: cluster is not None and cluster.pk in scope.managed_clusters,
)
rule(
    "partnerships.MemberImport",
    visible=_imports,
    edit=lambda scope, imp: imp.cluster_id in scope.managed_clusters,
    create=lambda scope, cluster: cluster is not None and cluster.pk in scope.managed_clusters,
)


def can_give_up_import(user, member_import) -> bool:
    """Only staff mark an import failed by hand (from the admin, when its job was lost); its
    cluster's managers discard it from its page once it shows as stopped."""
    return scope_for(user).is_staff


# --- consent: partner invitations and the end of a cluster's sharing -----------------------------
# A coordinator invites a cluster; one of its managers accepts (the cluster becomes a partner and
# its members reach the partnership) or declines. Until then the partnership sees the cluster's
# public profile only: no partner row exists, so no rule above lets member data through.


def _partner_invitations(qs, scope):
    if scope.is_staff:
        return qs
    if not scope.authenticated:
        return qs.none()
    return qs.filter(
        models.Q(partnership_id__in=scope.coordinated_partnerships)
        | models.Q(cluster_id__in=scope.managed_clusters)
    )


rule("partnerships.PartnerInvitation", visible=_partner_invitations, edit=nobody)


def can_invite_partner(user, partnership) -> bool:
    """The partnership's coordinators (and staff) invite clusters to it."""
    scope = scope_for(user)
    return scope.is_staff or partnership.pk in scope.coordinated_partnerships


def can_record_partner(user, partnership) -> bool:
    """Staff record a partner directly (programme data), without the cluster's answer."""
    return can_create(user, model("partnerships.Partner"), partnership)


def can_answer_partner_invitation(user, invitation) -> bool:
    """One of the invited cluster's managers (or staff) accepts or declines."""
    scope = scope_for(user)
    return scope.is_staff or invitation.cluster_id in scope.managed_clusters


def can_revoke_partner_invitation(user, invitation) -> bool:
    return can_invite_partner(user, invitation.partnership)


def can_end_sharing(user, partner) -> bool:
    """One of the cluster's managers (or staff) ends its sharing with a partnership."""
    scope = scope_for(user)
    return scope.is_staff or partner.cluster_id in scope.managed_clusters


def answers_partner_invitations(user) -> bool:
    """Does the user keep a cluster (the "Invitations" page lists its invitations)?"""
    scope = scope_for(user)
    return scope.is_staff or scope.is_cluster_manager or scope.is_coordinator


# --- expectations and commitments of the partners [Action 7] --------------------------------------
# Part of the partnership's working data: its insiders read them; the coordinators and the
# partner's own cluster managers write and review them.


def _speaks_for_partner(scope, partner) -> bool:
    return (partner is not None and partner.partnership_id in scope.coordinated_partnerships) or (
        partner is not None and partner.cluster_id in scope.managed_clusters
    )


rule(
    "partnerships.PartnerExpectation",
    visible=insiders_visible("partner__partnership_id"),
    edit=lambda scope, entry: _speaks_for_partner(scope, entry.partner),
    create=_speaks_for_partner,
)


# --- what a token limited to partnerships or clusters reads (``policy.limited_by``) -------------


def _members_of_reached_clusters(qs, partnerships, clusters):
    memberships = model("partnerships.ClusterMembership").objects.filter(cluster_id__in=clusters)
    return qs.filter(models.Exists(memberships.filter(member=models.OuterRef("pk"))))


for _label in ("partnerships.Programme", "partnerships.Sector", "partnerships.Competence"):
    limited_by(_label, unlimited=True)  # reference data of the whole programme
limited_by("partnerships.Partnership", partnership="pk")
limited_by("partnerships.Partner", partnership="partnership_id", cluster="cluster_id")
limited_by("partnerships.ClusterOrganisation", cluster="pk")
limited_by("partnerships.Member", custom=_members_of_reached_clusters)
limited_by("partnerships.ClusterMembership", cluster="cluster_id")
limited_by("partnerships.MemberImport", cluster="cluster_id")
limited_by("partnerships.PartnerInvitation", partnership="partnership_id", cluster="cluster_id")
limited_by("partnerships.PartnerExpectation", partnership="partner__partnership_id")
