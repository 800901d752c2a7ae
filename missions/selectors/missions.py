"""Reads of missions: calendars, the overlaps between partnerships, a mission with its
registrations, the records that name members and the calendar feeds. Every read goes through
the access policy (``visible_to``, the app's ``rules``); nothing here writes."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Max, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from escp_portal.accounts.policy import partner_clusters_of, with_insider
from escp_portal.rows import per_row
from partnerships.models import Member, Partnership

from ..models import ExportGroup, Mission, Outcome, Participation
from ..rules import clusters_registrable_by, own_missions, sees_missions_of, sees_outcomes_of

OVERLAP_DAYS = 21


# --- a partnership's page: its world map ------------------------------------------------------


def partnership_country_figures(partnership, user) -> list[tuple[str, dict]]:
    """The partnership's missions (not cancelled) by country and its outcomes by the
    counterpart's country, in one query, for a user the rules let see them (registered into
    ``partnerships.selectors.register_partnership_country_figures``). A series the user may not
    see is left out, rather than shown as zeros."""
    parts = {}
    if sees_missions_of(user, partnership):
        parts[_("Missions")] = (
            Mission.objects.visible_to(user)
            .filter(partnership_id=partnership.pk)
            .exclude(status=Mission.Status.CANCELLED)
            .order_by()
            .values("country")
            .annotate(kind=Value(len(parts)), n=Count("pk"))
            .values_list("kind", "country", "n")
        )
    if sees_outcomes_of(user, partnership):
        parts[_("Outcomes")] = (
            Outcome.objects.visible_to(user)
            .filter(partnership_id=partnership.pk)
            .order_by()
            .values("counterpart_country")
            .annotate(kind=Value(len(parts)), n=Count("pk"))
            .values_list("kind", "counterpart_country", "n")
        )
    figures = [{} for _part in parts]
    if parts:
        first, *rest = parts.values()
        for kind, country, n in first.union(*rest, all=True) if rest else first:
            figures[kind][str(country)] = n
    return list(zip(parts, figures, strict=True))


# --- the calendar ------------------------------------------------------------------------------


def calendar_missions(user):
    """The missions the user sees, with their places, in the calendar's order."""
    return (
        places(Mission.objects.visible_to(user))
        .select_related("partnership")
        .order_by("start_date", "pk")
    )


def opening_month(missions, today: date) -> tuple[int, int]:
    """The month a calendar opens on: this one, or the latest mission's when none of
    ``missions`` is still ahead (rather than an empty month)."""
    span = missions.order_by().aggregate(last_end=Max("end_date"), latest=Max("start_date"))
    if span["latest"] and span["last_end"] < today:
        return span["latest"].year, span["latest"].month
    return today.year, today.month


def missions_in_month(missions, year: int, month: int) -> list[Mission]:
    """Those of ``missions`` under way at some time in the month (read from the database)."""
    first = date(year, month, 1)
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return list(missions.filter(start_date__lte=last, end_date__gte=first))


def month_grid(year: int, month: int, missions) -> list[list[tuple[date, list]]]:
    """Weeks (Monday first) of (day, missions on that day) covering the month."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    missions = [m for m in missions if m.start_date <= last and m.end_date >= first]
    return [
        [(day, [m for m in missions if m.start_date <= day <= m.end_date]) for day in week]
        for week in weeks
    ]


@dataclass
class Overlap:
    first: Mission
    second: Mission

    @property
    def days_apart(self) -> int:
        if self.first.end_date >= self.second.start_date and (
            self.second.end_date >= self.first.start_date
        ):
            return 0
        return min(
            abs((self.second.start_date - self.first.end_date).days),
            abs((self.first.start_date - self.second.end_date).days),
        )


def overlaps_seen_by(user, *, past: bool = False) -> list[Overlap]:
    """The overlaps between the missions the user sees; with ``past``, those of missions over
    too."""
    missions = Mission.objects.visible_to(user)
    if not past:
        missions = missions.filter(end_date__gte=timezone.localdate())
    return overlaps(missions)


def overlaps(missions_qs, *, days: int = OVERLAP_DAYS) -> list[Overlap]:
    """Pairs of missions of different partnerships to the same country whose dates lie within
    ``days`` of each other: candidates to travel together."""
    window = timedelta(days=days)
    missions = missions_qs.exclude(status=Mission.Status.CANCELLED)
    # One query, ordered by country and date; pairs are found in a single pass per country.
    rows = list(missions.select_related("partnership").order_by("country", "start_date"))
    result = []
    by_country: dict[str, list[Mission]] = {}
    for mission in rows:
        by_country.setdefault(str(mission.country), []).append(mission)
    for group in by_country.values():
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                if second.start_date - first.end_date > window:
                    break
                if second.partnership_id != first.partnership_id:
                    result.append(Overlap(first, second))
    return result


def places(missions):
    """Missions annotated with the places taken and the waiting list (a count per mission, so
    that counting the missions for a list's pages reads the missions alone)."""
    registered = Participation.objects.all()
    return missions.annotate(
        taken=per_row(
            registered.filter(status__in=Participation.HOLDS_A_PLACE), Count("pk"), by="mission"
        ),
        waiting=per_row(
            registered.filter(status=Participation.Status.WAITING), Count("pk"), by="mission"
        ),
    )


# --- a mission and its registrations -------------------------------------------------------------


def missions_with_places(user):
    """The missions the user sees, with their places and whether the user is an insider of
    their partnership (``INSIDER``), for a mission's page."""
    missions = places(Mission.objects.visible_to(user)).select_related(
        "partnership", "organiser__cluster"
    )
    return with_insider(missions, user, "partnership_id")


def registrations(mission) -> list[Participation]:
    """Who is registered for the mission, by status and in the order they registered."""
    return list(
        mission.participations.select_related("member", "cluster").order_by(
            "status", "registered_at"
        )
    )


def registrable_members(user, mission):
    """Members of the partner clusters the user may register for the mission, not yet
    registered (erased members cannot be)."""
    clusters = clusters_registrable_by(user, mission.partnership_id)
    taken = mission.participations.exclude(member=None).values("member")
    return (
        Member.objects.filter(memberships__cluster__in=clusters, erased_at__isnull=True)
        .exclude(pk__in=taken)
        .distinct()
        .order_by("name")
    )


# --- records that name members: outcomes and export groups ---------------------------------------


def nameable_members(user, partnership):
    """The members an outcome or an export group of the partnership may name: those of its
    current partner clusters the user sees, not erased."""
    return (
        Member.objects.visible_to(user)
        .filter(
            memberships__cluster__in=partner_clusters_of([partnership.pk]),
            erased_at__isnull=True,
        )
        .distinct()
        .order_by("name")
    )


def outcomes_of(partnership):
    return (
        Outcome.objects.filter(partnership=partnership)
        .select_related("mission")
        .prefetch_related("members")
    )


def export_groups_of(partnership):
    return ExportGroup.objects.filter(partnership=partnership).prefetch_related("members")


# --- calendar feeds -----------------------------------------------------------------------------


# Sections that later apps add to a partnership's export-group page (the matchmaking app: groups
# it suggests), so that the missions app depends on none of them. A section is a function
# ``(partnership, user) -> dict | None``; the dict names the ``template`` that renders it.
_export_group_sections = []


def register_export_group_section(section):
    _export_group_sections.append(section)
    return section


def export_group_sections(partnership, user) -> list[dict]:
    return [shown for section in _export_group_sections if (shown := section(partnership, user))]


def feed_partnerships(user):
    """The partnerships the owner of a feed sees, with ``INSIDER``: one partnership's feed is
    for its insiders."""
    return with_insider(Partnership.objects.visible_to(user), user)


def feed_missions(user, partnership=None):
    """The missions of a user's calendar feed: those of the partnerships the user works in, or
    one partnership's."""
    missions = Mission.objects.visible_to(user).select_related("partnership")
    if partnership is None:
        return own_missions(missions, user)
    return missions.filter(partnership=partnership)
