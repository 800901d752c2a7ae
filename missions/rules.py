"""Access rules of missions, participations, outcomes and export groups.

A partnership's missions are seen by its insiders and, as a common database of missions, by the
coordinators of every partnership (so that two partnerships going to the same market can go
together). Who takes part, and what came of it, stays with the insiders; EC officers, insiders
of every partnership, read its figures only: how many members, never which.

The named decisions below are the only place that reads a user's scope for this app: pages, API,
services, emails and exports ask them.
"""

from django.db import models

from escp_portal.accounts.policy import (
    INSIDER,
    coordinates,
    insider_q,
    is_insider,
    nobody,
    partner_clusters_of,
    partnership_rule,
    rule,
    scope_for,
    staff_only,
)


def _missions(qs, scope):
    if scope.reads_everything:
        return qs
    if not scope.authenticated:
        return qs.none()
    condition = insider_q(scope, "partnership_id")
    if scope.is_coordinator:
        condition |= ~models.Q(partnership__status="draft")
    return qs.filter(condition)


rule(
    "missions.Mission",
    visible=_missions,
    edit=lambda scope, m: m.partnership_id in scope.coordinated_partnerships,
    create=lambda scope, p: p is not None and p.pk in scope.coordinated_partnerships,
)
for _model_label, _partnership_path in {
    "missions.Participation": "mission__partnership_id",
    "missions.Outcome": "partnership_id",
    "missions.ExportGroup": "partnership_id",
}.items():
    partnership_rule(_model_label, _partnership_path)
rule(
    "missions.ReminderLog",
    visible=staff_only,
    edit=nobody,
)


def _insider(user, obj, partnership_id: int) -> bool:
    # Answered by the query that loaded ``obj`` when ``with_insider`` annotated it.
    known = getattr(obj, INSIDER, None)
    return is_insider(user, partnership_id) if known is None else known


def sees_missions_of(user, partnership) -> bool:
    """May the user see the partnership's missions? The Mission rule above, asked of one
    partnership: its insiders, and every coordinator once it is published."""
    if _insider(user, partnership, partnership.pk):
        return True
    return scope_for(user).is_coordinator and partnership.status != "draft"


def sees_outcomes_of(user, partnership) -> bool:
    """May the user see the partnership's outcomes? Its insiders only (``partnership_rule``)."""
    return _insider(user, partnership, partnership.pk)


# --- which members: names for the insiders, figures for EC officers ------------------------------


def can_name_members(user, partnership_id: int) -> bool:
    """May the user see which members take part in the partnership's missions, or are named by
    its outcomes and export groups (their names, ids and registration notes)? Asked of the rows
    the user sees (its insiders): all of them may, except EC officers, who read the figures only
    (how many, never which) unless they also coordinate the partnership. Pages and API alike."""
    scope = scope_for(user)
    return not scope.is_officer or coordinates(user, partnership_id)


def naming_members(queryset, user, path: str):
    """The rows of ``queryset`` (the partnership's id at ``path``) whose members the user may
    name: ``can_name_members`` as a filter, e.g. for a search by member."""
    scope = scope_for(user)
    if not scope.is_officer or scope.is_staff:
        return queryset
    return queryset.filter(**{f"{path}__in": scope.coordinated_partnerships})


# --- registrations ------------------------------------------------------------------------------


def can_register(user, partnership_id: int, cluster_id: int) -> bool:
    """May the user register this partner cluster's members (or the cluster itself) for the
    partnership's missions, and confirm or cancel those registrations? The partnership's
    coordinators register any partner cluster's; a cluster manager only their own cluster's."""
    return coordinates(user, partnership_id) or cluster_id in scope_for(user).managed_clusters


def can_change_participation(user, participation) -> bool:
    """Confirm or cancel a registration: whoever may register for its cluster."""
    return can_register(user, participation.mission.partnership_id, participation.cluster_id)


def clusters_registrable_by(user, partnership_id: int):
    """The partner clusters (ids, a subquery) whose members the user may register:
    ``can_register`` for every partner cluster at once."""
    clusters = partner_clusters_of([partnership_id])
    if coordinates(user, partnership_id):
        return clusters
    return clusters.filter(cluster_id__in=scope_for(user).managed_clusters)


def can_register_for(user, mission) -> bool:
    """Does the mission's page offer the user to register members? To its insiders who
    coordinate the partnership or manage a cluster (the form offers the members of
    ``clusters_registrable_by``)."""
    if not (coordinates(user, mission.partnership_id) or scope_for(user).is_cluster_manager):
        return False
    return _insider(user, mission, mission.partnership_id)


# --- outcomes -----------------------------------------------------------------------------------


def can_record_outcome(user, partnership_id: int) -> bool:
    """The partnership's insiders record what came of the work, except those who read its
    figures only (an outcome names the members involved)."""
    return is_insider(user, partnership_id) and can_name_members(user, partnership_id)


def can_edit_outcome(user, outcome) -> bool:
    """The partnership's coordinators, and whoever recorded it."""
    return coordinates(user, outcome.partnership_id) or outcome.recorded_by_id == user.pk


# --- calendar feeds -----------------------------------------------------------------------------


def own_missions(queryset, user):
    """The missions of the partnerships the user works in (coordinates, or manages a partner
    cluster of), not the whole common database: what the user's own calendar feed holds."""
    return queryset.filter(insider_q(scope_for(user), "partnership_id"))
