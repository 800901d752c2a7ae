"""Every write to missions, participations, outcomes and export groups: keyword-only, with the
actor, checked against the app's rules (``missions.rules``) and audited."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from escp_portal.accounts.policy import coordinates, partner_clusters_of
from escp_portal.audit import set_actor
from escp_portal.services import apply_fields, require, save_audited
from escp_portal.webhooks.services import emit, emit_many
from partnerships.models import ClusterMembership

from ..models import ExportGroup, Mission, Outcome, Participation
from ..rules import can_change_participation, can_edit_outcome, can_record_outcome, can_register

MISSION_FIELDS = (
    "title",
    "kind",
    "country",
    "city",
    "start_date",
    "end_date",
    "registration_deadline",
    "capacity",
    "organiser",
    "local_support",
    "description",
    "status",
)
# How the mission's B2B meetings are laid out (``missions.scheduling``).
MEETING_SETTINGS = (
    "meeting_venue",
    "meeting_minutes",
    "meeting_day_start",
    "meeting_day_end",
    "meeting_tables",
    "meeting_time_zone",
)
OUTCOME_FIELDS = (
    "mission",
    "kind",
    "counterpart",
    "counterpart_country",
    "value",
    "date",
    "description",
    "evidence_url",
)
EXPORT_GROUP_FIELDS = ("name", "goal", "target_markets", "evaluation")


# --- missions -----------------------------------------------------------------------------------


def mission_save(*, actor, partnership, mission: Mission | None = None, **data) -> Mission:
    require(coordinates(actor, partnership.pk))
    mission = mission or Mission(partnership=partnership)
    created, status_before = mission.pk is None, mission.status
    apply_fields(mission, data, MISSION_FIELDS + MEETING_SETTINGS)
    if mission.organiser is not None and mission.organiser.partnership_id != partnership.pk:
        raise ValidationError({"organiser": _("Choose a partner of this partnership.")})
    with transaction.atomic(), set_actor(actor):
        save_audited(actor, mission)
        # More places, or a mission planned again, move the waiting list up.
        moved_up = _fill_places(Mission.objects.select_for_update().get(pk=mission.pk))
        if created:
            emit("mission.created", mission)
        elif mission.status == Mission.Status.CANCELLED != status_before:
            emit("mission.cancelled", mission)
        else:
            emit("mission.changed", mission)
        emit_many("registration.changed", moved_up)
    return mission


# --- participations ------------------------------------------------------------------------------


def participation_register(
    *, actor, mission: Mission, member=None, cluster=None, note=""
) -> Participation:
    """Register a member (or a partner cluster itself). Beyond the places, the registration
    goes to the waiting list; after the deadline it is refused."""
    if member is None and cluster is None:
        raise ValidationError(_("Choose a member or a cluster."))
    if member is not None and member.erased_at:
        raise ValidationError(_("This member's data was erased."))
    today = timezone.localdate()
    if mission.status in (Mission.Status.CANCELLED, Mission.Status.DONE):
        raise ValidationError(
            _("This mission is %(s)s: registration is closed.")
            % {"s": mission.get_status_display().lower()}
        )
    if mission.registration_deadline and today > mission.registration_deadline:
        raise ValidationError(
            _("Registration closed on %(date)s.")
            % {"date": mission.registration_deadline.isoformat()}
        )
    if today > mission.start_date:
        raise ValidationError(_("This mission has started: registration is closed."))
    partner_clusters = set(
        partner_clusters_of([mission.partnership_id]).values_list("cluster_id", flat=True)
    )
    if member is not None:
        memberships = ClusterMembership.objects.filter(
            member=member, cluster_id__in=partner_clusters
        )
        if cluster is not None:
            memberships = memberships.filter(cluster=cluster)
        # The registering cluster is one the user may act for.
        membership = next(
            (
                m
                for m in memberships.select_related("cluster")
                if can_register(actor, mission.partnership_id, m.cluster_id)
            ),
            None,
        )
        if membership is None:
            raise PermissionDenied
        cluster = membership.cluster
    elif cluster.pk not in partner_clusters:
        raise ValidationError(_("Only partner clusters take part."))
    require(can_register(actor, mission.partnership_id, cluster.pk))
    with transaction.atomic(), set_actor(actor):
        # One registration at a time per mission: the count of places cannot race.
        locked = Mission.objects.select_for_update().get(pk=mission.pk)
        held = locked.participations.filter(status__in=Participation.HOLDS_A_PLACE).count()
        full = locked.capacity is not None and held >= locked.capacity
        status = Participation.Status.WAITING if full else Participation.Status.REGISTERED
        # A registration cancelled earlier comes back (at the end of the queue).
        earlier = (
            locked.participations.filter(member=member, status=Participation.Status.CANCELLED)
            if member is not None
            else locked.participations.filter(
                member__isnull=True, cluster=cluster, status=Participation.Status.CANCELLED
            )
        )
        participation = earlier.first() or Participation(
            mission=locked, member=member, cluster=cluster
        )
        participation.status, participation.note = status, note
        participation.registered_by = actor
        if participation.pk:
            participation.registered_at = timezone.now()
        try:
            with transaction.atomic():
                participation.full_clean(validate_constraints=False)
                participation.save()
        except IntegrityError as exc:
            raise ValidationError(_("Already registered for this mission.")) from exc
        emit("registration.changed", participation)
    return participation


def participation_confirm(*, actor, participation: Participation) -> Participation:
    require(can_change_participation(actor, participation))
    if participation.mission.status in (Mission.Status.CANCELLED, Mission.Status.DONE):
        raise ValidationError(_("This mission is closed."))
    if participation.status != Participation.Status.REGISTERED:
        raise ValidationError(_("Only a registration waiting for confirmation can be confirmed."))
    participation.status = Participation.Status.CONFIRMED
    with transaction.atomic(), set_actor(actor):
        participation.save(update_fields=["status"])
        emit("registration.changed", participation)
    return participation


def _fill_places(mission: Mission) -> list[Participation]:
    """Move the waiting list up, in order, into the places free. The mission row must be
    locked by the caller. Nothing moves on a mission that is done or cancelled."""
    if mission.status in (Mission.Status.DONE, Mission.Status.CANCELLED):
        return []
    waiting = list(
        mission.participations.filter(status=Participation.Status.WAITING).order_by(
            "registered_at", "pk"
        )
    )
    if mission.capacity is not None:
        held = mission.participations.filter(status__in=Participation.HOLDS_A_PLACE).count()
        waiting = waiting[: max(mission.capacity - held, 0)]
    for participation in waiting:
        participation.status = Participation.Status.REGISTERED
        participation.save(update_fields=["status"])
    return waiting


def participation_cancel(*, actor, participation: Participation) -> Participation | None:
    """Cancel; a freed place goes to the first on the waiting list, who is returned."""
    require(can_change_participation(actor, participation))
    if participation.status == Participation.Status.CANCELLED:
        raise ValidationError(_("This registration is already cancelled."))
    with transaction.atomic(), set_actor(actor):
        mission = Mission.objects.select_for_update().get(pk=participation.mission_id)
        participation.status = Participation.Status.CANCELLED
        participation.save(update_fields=["status"])
        promoted = _fill_places(mission)
        emit_many("registration.changed", [participation, *promoted])
    return promoted[0] if promoted else None


def participation_attended(*, actor, participation: Participation) -> Participation:
    """After the mission has started, a confirmed or registered participant took part."""
    require(coordinates(actor, participation.mission.partnership_id))
    if participation.mission.start_date > timezone.localdate():
        raise ValidationError(_("The mission has not started yet."))
    allowed = (
        Participation.Status.REGISTERED,
        Participation.Status.CONFIRMED,
        Participation.Status.ATTENDED,
    )
    if participation.status not in allowed:
        raise ValidationError(_("Only a registered participant can have taken part."))
    participation.status = Participation.Status.ATTENDED
    with transaction.atomic(), set_actor(actor):
        participation.save(update_fields=["status"])
        emit("registration.changed", participation)
    return participation


# --- outcomes and export groups -----------------------------------------------------------------


def _partner_members(partnership_id, members) -> set[int]:
    """Refuse members outside the current partner clusters; the partner clusters they are in."""
    if any(m.erased_at for m in members):
        raise ValidationError({"members": _("An erased member cannot be named.")})
    pairs = set(
        ClusterMembership.objects.filter(
            member__in=members, cluster_id__in=partner_clusters_of([partnership_id])
        ).values_list("member_id", "cluster_id")
    )
    if {m.pk for m in members} - {member_id for member_id, _cluster_id in pairs}:
        raise ValidationError({"members": _("Choose members of the partner clusters.")})
    return {cluster_id for _member_id, cluster_id in pairs}


def outcome_save(
    *, actor, partnership, outcome: Outcome | None = None, members=None, meeting=None, **data
) -> Outcome:
    """Record what came of the work; insiders record, coordinators or the recorder edit. A new
    outcome may come from a B2B meeting's follow-up (``meeting``, at most one outcome each)."""
    if outcome is None:
        require(can_record_outcome(actor, partnership.pk))
        outcome = Outcome(partnership=partnership, recorded_by=actor, meeting=meeting)
    else:
        require(can_edit_outcome(actor, outcome))
    apply_fields(outcome, data, OUTCOME_FIELDS)
    if outcome.date and outcome.date > timezone.localdate() + timedelta(days=366):
        raise ValidationError({"date": _("An outcome is dated when it happened.")})
    if outcome.mission is not None and outcome.mission.partnership_id != partnership.pk:
        raise ValidationError({"mission": _("Choose a mission of this partnership.")})
    if members is not None:
        _partner_members(partnership.pk, members)
    with transaction.atomic(), set_actor(actor):
        save_audited(actor, outcome)
        if members is not None:
            outcome.members.set(members)
        emit("outcome.recorded", outcome)
    return outcome


def export_group_save(
    *, actor, partnership, group: ExportGroup | None = None, members=(), **data
) -> ExportGroup:
    """An export group holds members of at least two different partner clusters."""
    require(coordinates(actor, partnership.pk))
    members = list({m.pk: m for m in members}.values())
    clusters = _partner_members(partnership.pk, members)
    # Two different members that can stand for two different partner clusters: as every member
    # is in a partner cluster, that is two members or more, in two clusters or more.
    if len(members) < 2 or len(clusters) < 2:
        raise ValidationError(
            {
                "members": _(
                    "An export group brings together members of at least two partner clusters."
                )
            }
        )
    group = group or ExportGroup(partnership=partnership)
    apply_fields(group, data, EXPORT_GROUP_FIELDS)
    with transaction.atomic(), set_actor(actor):
        save_audited(actor, group)
        group.members.set(members)
    return group
