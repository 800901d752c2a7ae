"""KPI sources this app owns, registered into strategy's registry: the investment the joint
investment projects mobilised (counted towards the ``investment`` core indicator) and the
opportunities that reached an agreement."""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from strategy.sources import per_partnership, register

from .models import InvestmentProject, Opportunity


def _partnership(kpi) -> int:
    return kpi.objective.strategy.partnership_id


def _mobilised():
    return InvestmentProject.objects.filter(investment_mobilised__gt=0)


register(
    "investment_mobilised",
    label=_("Investment mobilised by joint investment projects (EUR)"),
    description=_(
        "The investment the partnership's joint investment projects mobilised, counted in the "
        "period of the date it was committed."
    ),
    indicator="investment",
    series_many=lambda ids, periods: per_partnership(
        _mobilised(),
        "partnership_id",
        ids,
        periods,
        lambda start, end: Sum(
            "investment_mobilised",
            filter=Q(mobilised_on__gte=start, mobilised_on__lte=end),
        ),
    ),
    records=lambda kpi, start, end: _mobilised().filter(
        partnership_id=_partnership(kpi), mobilised_on__range=(start, end)
    ),
)


def _agreed():
    return Opportunity.objects.filter(stage=Opportunity.Stage.AGREEMENT, outcome__isnull=False)


register(
    "opportunities_agreed",
    label=_("Opportunities that reached an agreement"),
    description=_(
        "Opportunities of the pipeline that ended in an agreement, counted in the period of "
        "the agreement's outcome."
    ),
    series_many=lambda ids, periods: per_partnership(
        _agreed(),
        "partnership_id",
        ids,
        periods,
        lambda start, end: Count("pk", filter=Q(outcome__date__gte=start, outcome__date__lte=end)),
    ),
    records=lambda kpi, start, end: _agreed().filter(
        partnership_id=_partnership(kpi), outcome__date__range=(start, end)
    ),
)
