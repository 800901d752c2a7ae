"""Access rules of the joint strategy: a partnership's own working data.

Its insiders read (coordinators, the managers of its current partner clusters, EC officers,
staff), coordinators edit; partners report the values of the KPIs they are responsible for.
"""

from django.db.models import Exists, OuterRef, Value

from escp_portal.accounts.policy import (
    coordinates,
    coordinates_strictly,
    everything,
    insiders_visible,
    limited_by,
    nobody,
    partnership_id_of,
    partnership_rule,
    registered,
    rule,
    scope_for,
)

for _model_label, _partnership_path in {
    "strategy.Strategy": "partnership_id",
    "strategy.Objective": "strategy__partnership_id",
    "strategy.KPI": "objective__strategy__partnership_id",
    "strategy.Measurement": "kpi__objective__strategy__partnership_id",
    "strategy.Task": "objective__strategy__partnership_id",
    "strategy.PeriodLock": "partnership_id",
    "strategy.ValueChain": "partnership_id",
    "strategy.ValueChainStage": "chain__partnership_id",
    "strategy.StageAssignment": "stage__chain__partnership_id",
    "strategy.TargetMarket": "partnership_id",
    "strategy.MarketStudy": "target_market__partnership_id",
    "strategy.PartnershipMeeting": "partnership_id",
    "strategy.Decision": "meeting__partnership_id",
    "strategy.Trademark": "partnership_id",
}.items():
    partnership_rule(_model_label, _partnership_path)


# The programme's core indicators are public reference data, kept by staff in the admin.
rule("strategy.CoreIndicator", visible=everything, edit=nobody)


# A measurement is corrected by whoever may report it: the partnership's coordinators or the
# manager of the responsible partner's cluster (the reporting service checks the rest).
_measurement_visible, _, _measurement_create = registered("strategy.Measurement")
rule(
    "strategy.Measurement",
    visible=_measurement_visible,
    edit=lambda scope, m: (
        partnership_id_of(m) in scope.coordinated_partnerships
        or m.partner.cluster_id in scope.managed_clusters
    ),
    create=_measurement_create,
)


# --- reporting -----------------------------------------------------------------------------------


def can_report(user, kpi, partner=None) -> bool:
    """Coordinators report for any partner; a cluster manager for the partner their cluster is,
    and only on KPIs that partner is responsible for."""
    if coordinates(user, kpi.objective.strategy.partnership_id):
        return True
    partner = partner or kpi.responsible
    return (
        partner is not None
        and kpi.responsible_id == partner.pk
        and partner.cluster_id in scope_for(user).managed_clusters
    )


def can_review(user, measurement) -> bool:
    """The partnership's coordinators approve or return a reported value."""
    return coordinates(user, measurement.kpi.objective.strategy.partnership_id)


# --- roadmap -------------------------------------------------------------------------------------


def can_update_task_status(user, task) -> bool:
    """Does the user manage a partner cluster responsible for the task (and so may update its
    status)?"""
    return task.responsible.filter(cluster_id__in=scope_for(user).managed_clusters).exists()


# --- value chain ---------------------------------------------------------------------------------


def can_place_on(user, partnership_id: int) -> bool:
    """May the user place anyone on the partnership's value chains: its coordinators and
    cluster managers (of its partner clusters: the only managers who see the chains); officers
    read."""
    return coordinates(user, partnership_id) or bool(scope_for(user).managed_clusters)


def can_place(user, partnership_id: int, *, partner=None, member=None) -> bool:
    """Coordinators place (and remove) any partner or member; a cluster manager their own
    cluster or its members."""
    if coordinates(user, partnership_id):
        return True
    managed = scope_for(user).managed_clusters
    if partner is not None:
        return partner.cluster_id in managed
    if member is not None:
        return member.memberships.filter(cluster_id__in=managed).exists()
    return False


def member_named(user) -> Exists:
    """Per placement (``StageAssignment``): is its member named to the user? Only to those who
    may see that member (its cluster's managers, the coordinators); others learn that a member
    company is there. The page's ``placement_access`` and the API apply this rule."""
    from partnerships.models import Member

    return Exists(Member.objects.visible_to(user).filter(pk=OuterRef("member_id")))


def placement_access(user, chain, assignments) -> dict[int, tuple[bool, bool]]:
    """``{placement id: (named, removable)}`` for the placements (``StageAssignment``) of a
    value chain. A member placed on a stage is named only to those who may see that member (its
    cluster's managers, the coordinators); EC officers and other partners see that a member
    company is there. Removable: ``can_place`` for each. One query for all the members."""
    from partnerships.models import ClusterMembership, Member

    from .models import StageAssignment

    coordinator = coordinates(user, chain.partnership_id)
    managed = scope_for(user).managed_clusters
    placed = StageAssignment.objects.filter(stage__chain=chain, member__isnull=False)
    own = (
        Exists(ClusterMembership.objects.filter(member=OuterRef("pk"), cluster_id__in=managed))
        if managed
        else Value(False)
    )
    visible = dict(
        Member.objects.visible_to(user)
        .filter(pk__in=placed.values("member_id"))
        .annotate(own=own)
        .values_list("pk", "own")
    )
    return {
        a.pk: (True, coordinator or a.partner.cluster_id in managed)
        if a.partner_id
        else (a.member_id in visible, coordinator or bool(visible.get(a.member_id)))
        for a in assignments
    }


# --- inclusive coordination: a shared draft, comments and endorsements ---------------------------
# The partnership's insiders read the feedback on its drafts; a partner speaks through its
# cluster's managers, or through the coordinators for the coordinator's own partner. Feedback is
# a record of what was said: nobody edits it afterwards.
rule(
    "strategy.StrategyFeedback",
    visible=insiders_visible("strategy__partnership_id"),
    edit=nobody,
    create=nobody,  # ``can_give_feedback`` decides, per partner
)


def speaks_for(user, partner) -> bool:
    """May the user speak for this partner of the partnership: a manager of its cluster, or a
    coordinator of the partnership when the partner is the coordinating one."""
    from partnerships.models import Partner

    if partner.cluster_id in scope_for(user).managed_clusters:
        return True
    return partner.role == Partner.Role.COORDINATOR and coordinates_strictly(
        user, partner.partnership_id
    )


def can_give_feedback(user, strategy, partner) -> bool:
    """Comment on or endorse a draft once it is shared, for a current partner the user speaks
    for."""
    return (
        strategy.status == "draft"
        and strategy.shared_at is not None
        and partner.partnership_id == strategy.partnership_id
        and partner.left_on is None
        and partner.sharing_ended_at is None
        and speaks_for(user, partner)
    )


def partners_spoken_for(user, partners):
    """Of ``partners`` (a list), those the user may speak for."""
    return [p for p in partners if speaks_for(user, p)]


# --- collective trademark: the register of licensed members ---------------------------------------
# A licence is the partnership's working data (its insiders see that a member holds one); the
# member is named only to those who may see that member (``member_named``). Coordinators keep the
# register; a cluster's managers add and change the licences of their own members.


def _licence_edit(scope, licence):
    if licence.trademark.partnership_id in scope.coordinated_partnerships:
        return True
    return bool(
        scope.managed_clusters
        and licence.member.memberships.filter(cluster_id__in=scope.managed_clusters).exists()
    )


rule(
    "strategy.TrademarkLicence",
    visible=insiders_visible("trademark__partnership_id"),
    edit=_licence_edit,
    create=lambda scope, trademark: (
        trademark is not None
        and (
            trademark.partnership_id in scope.coordinated_partnerships
            or bool(scope.managed_clusters)
        )
    ),
)


def can_license(user, trademark, member) -> bool:
    """May the user put this member on the mark's register: the partnership's coordinators for
    the members of its current partner clusters, a manager for their own cluster's members."""
    from escp_portal.accounts.policy import partner_clusters_of

    clusters = member.memberships.filter(
        cluster_id__in=partner_clusters_of([trademark.partnership_id])
    )
    if coordinates(user, trademark.partnership_id):
        return clusters.exists()
    return clusters.filter(cluster_id__in=scope_for(user).managed_clusters).exists()


# What a token limited to partnerships or clusters reads (``policy.limited_by``); the models of
# ``partnership_rule`` above registered their path already.
limited_by("strategy.CoreIndicator", unlimited=True)
limited_by("strategy.StrategyFeedback", partnership="strategy__partnership_id")
limited_by("strategy.TrademarkLicence", partnership="trademark__partnership_id")
