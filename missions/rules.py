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
    limited_by,
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


# --- B2B meetings ---------------------------------------------------------------------------------
# A mission's B2B data (offers and seeks, counterparts, meetings) names its participants: it is
# seen where the mission's registrations are, by the insiders who may name members (not EC
# officers, who get the figures). The participant's side is whoever may register for its
# cluster (its cluster's managers, the partnership's coordinators); the organiser's side is whoever
# may edit the mission (its coordinators), which also speaks for the local counterparts and
# alone sees their contacts. A cluster manager sees the meetings of their own cluster's
# participants; the organiser's side sees every meeting.


def _b2b_visible(path: str):
    def visible(qs, scope):
        if scope.is_staff:
            return qs
        if not scope.authenticated:
            return qs.none()
        return qs.filter(insider_q(scope, path))

    return visible


def _meetings(qs, scope):
    if scope.is_staff:
        return qs
    if not scope.authenticated:
        return qs.none()
    condition = models.Q(pk__in=[])
    if scope.coordinated_partnerships:
        condition |= models.Q(mission__partnership_id__in=scope.coordinated_partnerships)
    if scope.managed_clusters:
        own = models.Q(requester__cluster_id__in=scope.managed_clusters) | models.Q(
            recipient__cluster_id__in=scope.managed_clusters
        )
        condition |= own & insider_q(scope, "mission__partnership_id")
    return qs.filter(condition)


def _acts_for_participation(scope, participation) -> bool:
    return (
        participation.mission.partnership_id in scope.coordinated_partnerships
        or participation.cluster_id in scope.managed_clusters
    )


rule(
    "missions.MeetingProfile",
    visible=_b2b_visible("participation__mission__partnership_id"),
    edit=lambda scope, p: _acts_for_participation(scope, p.participation),
    create=lambda scope, participation: (
        participation is not None and _acts_for_participation(scope, participation)
    ),
)
rule(
    "missions.LocalCounterpart",
    visible=_b2b_visible("mission__partnership_id"),
    edit=lambda scope, c: c.mission.partnership_id in scope.coordinated_partnerships,
    create=lambda scope, m: m is not None and m.partnership_id in scope.coordinated_partnerships,
)
rule(
    "missions.Meeting",
    visible=_meetings,
    # Written through the services only (requests, answers, follow-up): the rules below.
    edit=lambda scope, meeting: False,
    create=lambda scope, mission: False,
)
rule("missions.MeetingNotice", visible=staff_only, edit=nobody)


def sees_meetings_of(user, mission) -> bool:
    """May the user see the mission's B2B page with names (offers and seeks, counterparts, their
    meetings)? Its partnership's insiders who may name members; EC officers read its figures."""
    return _insider(user, mission, mission.partnership_id) and can_name_members(
        user, mission.partnership_id
    )


def organises_meetings(user, mission) -> bool:
    """The organiser's side of the mission's B2B meetings: whoever may edit the mission. It
    enters the local counterparts, answers and asks for them, and schedules the meetings."""
    return coordinates(user, mission.partnership_id)


def sees_counterpart_contacts(user, mission) -> bool:
    """A local counterpart's contact person stays with the organiser's side."""
    return organises_meetings(user, mission)


def acts_for(user, party) -> bool:
    """May the user speak for this party of a meeting: ask, answer, withdraw, record how it
    went? A participant: whoever may register for its cluster; a counterpart: the organiser."""
    from .models import Participation

    if isinstance(party, Participation):
        return can_change_participation(user, party)
    return organises_meetings(user, party.mission)


def can_answer_meeting(user, meeting) -> bool:
    return acts_for(user, meeting.second)


def can_withdraw_meeting(user, meeting) -> bool:
    return acts_for(user, meeting.first)


def can_follow_up_meeting(user, meeting) -> bool:
    """Either side records whether the meeting took place and what came of it."""
    return acts_for(user, meeting.first) or acts_for(user, meeting.second)


def can_turn_into_outcome(user, meeting) -> bool:
    """A follow-up becomes one of the partnership's outcomes (which names the members
    involved): by whoever records its follow-up and may record outcomes."""
    return can_follow_up_meeting(user, meeting) and can_record_outcome(
        user, meeting.mission.partnership_id
    )


def sees_agenda_of(user, participation) -> bool:
    """A participant's agenda (its meetings, with the other side's names): its side and the
    organiser's."""
    return can_change_participation(user, participation)


def parties_acted_for(user, mission, participations, counterparts):
    """Those of the mission's participants and counterparts the user speaks for (``acts_for``,
    in memory: the rows are the page's)."""
    scope = scope_for(user)
    organiser = organises_meetings(user, mission)
    mine = [p for p in participations if organiser or p.cluster_id in scope.managed_clusters]
    return mine + (list(counterparts) if organiser else [])


# What a token limited to partnerships or clusters reads (``policy.limited_by``); the models of
# ``partnership_rule`` above registered their path already.
limited_by("missions.Mission", partnership="partnership_id")
limited_by("missions.ReminderLog", partnership="mission__partnership_id")
limited_by("missions.MeetingProfile", partnership="participation__mission__partnership_id")
limited_by("missions.LocalCounterpart", partnership="mission__partnership_id")
limited_by("missions.Meeting", partnership="mission__partnership_id")
limited_by("missions.MeetingNotice", partnership="meeting__mission__partnership_id")
