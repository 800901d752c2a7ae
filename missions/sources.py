"""KPI sources this app owns, registered into strategy's registry without touching the strategy
app: outcomes of each kind (count and value), members and SMEs that took part in missions,
missions held, B2B meetings held. Each answers the periods of many partnerships in one query."""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from strategy.sources import per_partnership, register

from .models import Meeting, Mission, Outcome, Participation


def _partnership(kpi) -> int:
    return kpi.objective.strategy.partnership_id


def _per_period(
    queryset, partnership, ids, periods, field, *, aggregate=Count, date_field, distinct=False
):
    kwargs = {"distinct": True} if distinct else {}
    return per_partnership(
        queryset,
        partnership,
        ids,
        periods,
        lambda start, end: aggregate(
            field, filter=Q(**{f"{date_field}__gte": start, f"{date_field}__lte": end}), **kwargs
        ),
    )


def _outcomes(kind=None):
    return Outcome.objects.filter(kind=kind) if kind else Outcome.objects.all()


# The core indicators outcomes count towards: their number, or (investment) their value.
COUNTED_AS = {"mou": "agreements", "contract": "contracts", "project": "joint_projects"}
VALUED_AS = {"investment": "investment"}


def _register_outcomes(kind, label):
    suffix = kind or "all"
    register(
        f"outcomes_{suffix}",
        label=_("Outcomes: %(kind)s (number)") % {"kind": label},
        indicator=COUNTED_AS.get(kind, ""),
        series_many=lambda ids, periods: _per_period(
            _outcomes(kind), "partnership_id", ids, periods, "pk", date_field="date"
        ),
        records=lambda kpi, start, end: _outcomes(kind).filter(
            partnership_id=_partnership(kpi), date__range=(start, end)
        ),
    )
    register(
        f"outcomes_{suffix}_value",
        label=_("Outcomes: %(kind)s (value, EUR)") % {"kind": label},
        indicator=VALUED_AS.get(kind, ""),
        series_many=lambda ids, periods: _per_period(
            _outcomes(kind),
            "partnership_id",
            ids,
            periods,
            "value",
            aggregate=Sum,
            date_field="date",
        ),
        records=lambda kpi, start, end: _outcomes(kind).filter(
            partnership_id=_partnership(kpi), date__range=(start, end)
        ),
    )


for _kind, _label in [(None, _("all kinds")), *Outcome.Kind.choices]:
    _register_outcomes(_kind, _label)


def _taking_part(smes=False):
    # Members that actually went: attended, or confirmed on a mission that has taken place.
    participations = Participation.objects.filter(member__isnull=False).filter(
        Q(status=Participation.Status.ATTENDED)
        | Q(status=Participation.Status.CONFIRMED, mission__status=Mission.Status.DONE)
    )
    return participations.filter(member__is_sme=True) if smes else participations


def _taking_part_series(smes):
    return lambda ids, periods: _per_period(
        _taking_part(smes),
        "mission__partnership_id",
        ids,
        periods,
        "member",
        date_field="mission__end_date",
        distinct=True,
    )


def _taking_part_records(smes):
    return lambda kpi, start, end: (
        _taking_part(smes)
        .filter(mission__partnership_id=_partnership(kpi), mission__end_date__range=(start, end))
        .select_related("member", "cluster", "mission")
    )


register(
    "mission_members",
    label=_("Members that took part in missions"),
    series_many=_taking_part_series(False),
    records=_taking_part_records(False),
)
register(
    "mission_smes",
    label=_("SMEs that took part in missions"),
    indicator="smes_involved",
    series_many=_taking_part_series(True),
    records=_taking_part_records(True),
)


def _held():
    return Mission.objects.filter(status=Mission.Status.DONE)


register(
    "missions_held",
    label=_("Missions held"),
    indicator="missions",
    series_many=lambda ids, periods: _per_period(
        _held(), "partnership_id", ids, periods, "pk", date_field="end_date"
    ),
    records=lambda kpi, start, end: _held().filter(
        partnership_id=_partnership(kpi), end_date__range=(start, end)
    ),
)


def _meetings_held():
    # Meetings recorded as having taken place, counted in the period their mission ended.
    return Meeting.objects.filter(state=Meeting.State.ACCEPTED, took_place=True)


register(
    "b2b_meetings_held",
    label=_("B2B meetings held"),
    description=_(
        "B2B meetings at the partnership's missions that took place, as their follow-up "
        "records, counted in the period the mission ended."
    ),
    indicator="b2b_meetings",
    series_many=lambda ids, periods: _per_period(
        _meetings_held(),
        "mission__partnership_id",
        ids,
        periods,
        "pk",
        date_field="mission__end_date",
    ),
    records=lambda kpi, start, end: (
        _meetings_held()
        .filter(mission__partnership_id=_partnership(kpi), mission__end_date__range=(start, end))
        .select_related(
            "requester__member",
            "requester__cluster",
            "recipient__member",
            "recipient__cluster",
            "requester_counterpart",
            "recipient_counterpart",
        )
    ),
)
