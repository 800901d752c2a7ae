"""KPI sources this app owns, registered without touching the strategy app: outcomes of each
kind (count and value), members and SMEs that took part in missions, missions held."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from strategy.sources import register

from .models import Mission, Outcome, Participation


def _partnership(kpi) -> int:
    return kpi.objective.strategy.partnership_id


def _per_period(queryset, periods, field, *, aggregate=Count, date_field, distinct=False):
    kwargs = {"distinct": True} if distinct else {}
    row = queryset.aggregate(
        **{
            f"p{i}": aggregate(
                field,
                filter=Q(**{f"{date_field}__gte": start, f"{date_field}__lte": end}),
                **kwargs,
            )
            for i, (start, end) in enumerate(periods)
        }
    )
    return {end: Decimal(row[f"p{i}"] or 0) for i, (_start, end) in enumerate(periods)}


def _outcomes(kpi, kind=None):
    outcomes = Outcome.objects.filter(partnership_id=_partnership(kpi))
    return outcomes.filter(kind=kind) if kind else outcomes


def _register_outcomes(kind, label):
    suffix = kind or "all"
    register(
        f"outcomes_{suffix}",
        label=_("Outcomes: %(kind)s (number)") % {"kind": label},
        series=lambda kpi, periods: _per_period(
            _outcomes(kpi, kind), periods, "pk", date_field="date"
        ),
        records=lambda kpi, start, end: _outcomes(kpi, kind).filter(date__range=(start, end)),
    )
    register(
        f"outcomes_{suffix}_value",
        label=_("Outcomes: %(kind)s (value, EUR)") % {"kind": label},
        series=lambda kpi, periods: _per_period(
            _outcomes(kpi, kind), periods, "value", aggregate=Sum, date_field="date"
        ),
        records=lambda kpi, start, end: _outcomes(kpi, kind).filter(date__range=(start, end)),
    )


for _kind, _label in [(None, _("all kinds")), *Outcome.Kind.choices]:
    _register_outcomes(_kind, _label)


def _taking_part(kpi, smes=False):
    # Members that actually went: attended, or confirmed on a mission that has taken place.
    participations = Participation.objects.filter(
        mission__partnership_id=_partnership(kpi), member__isnull=False
    ).filter(
        Q(status=Participation.Status.ATTENDED)
        | Q(status=Participation.Status.CONFIRMED, mission__status=Mission.Status.DONE)
    )
    return participations.filter(member__is_sme=True) if smes else participations


register(
    "mission_members",
    label=_("Members that took part in missions"),
    series=lambda kpi, periods: _per_period(
        _taking_part(kpi), periods, "member", date_field="mission__end_date", distinct=True
    ),
    records=lambda kpi, start, end: _taking_part(kpi).filter(mission__end_date__range=(start, end)),
)
register(
    "mission_smes",
    label=_("SMEs that took part in missions"),
    series=lambda kpi, periods: _per_period(
        _taking_part(kpi, True), periods, "member", date_field="mission__end_date", distinct=True
    ),
    records=lambda kpi, start, end: _taking_part(kpi, True).filter(
        mission__end_date__range=(start, end)
    ),
)


def _held(kpi):
    return Mission.objects.filter(partnership_id=_partnership(kpi), status=Mission.Status.DONE)


register(
    "missions_held",
    label=_("Missions held"),
    series=lambda kpi, periods: _per_period(_held(kpi), periods, "pk", date_field="end_date"),
    records=lambda kpi, start, end: _held(kpi).filter(end_date__range=(start, end)),
)
