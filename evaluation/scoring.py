"""The status rule of a KPI, written once and shown on the scoreboard page.

plan      = the value the KPI should have on a day: a line from the baseline (value and date)
            through the KPI's milestones, in date order, to the target (value and date); a
            straight line from the baseline to the target when it has no milestone
progress  = how far the current value has moved from the baseline towards the target (%)
expected  = how far it should have moved today: the plan's value today, as a progress (%), so
            that a KPI is measured against the milestone due, not against an even pace
achieved  : progress ≥ 100
on track  : progress ≥ expected - 10 points
at risk   : progress ≥ expected - 25 points
off track : below that
no data   : no approved (or derived) value yet, or no target

The target table per period (``planned_value``) reads the same plan.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise

from django.utils.translation import gettext_lazy as _

from .models import Status

ON_TRACK_TOLERANCE = Decimal(10)
AT_RISK_TOLERANCE = Decimal(25)

RULE = [
    (Status.ACHIEVED, _("the target is reached (progress 100 % or more)")),
    (
        Status.ON_TRACK,
        _(
            "progress is at most 10 points behind what the date calls for: the milestone due "
            "(on a line through the KPI's milestones), or an even pace without milestones"
        ),
    ),
    (Status.AT_RISK, _("progress is 10 to 25 points behind")),
    (Status.OFF_TRACK, _("progress is more than 25 points behind")),
    (Status.NO_DATA, _("no approved value yet, or no target set")),
]

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Score:
    progress: Decimal | None
    expected: Decimal
    status: str


def _points(milestones) -> list[tuple[date, Decimal]]:
    """``(date, value)`` of milestones given as pairs or as objects with ``date`` and
    ``value``, in date order."""
    points = []
    for milestone in milestones or ():
        if isinstance(milestone, tuple | list):
            day, value = milestone
        else:
            day, value = milestone.date, milestone.value
        points.append((day, Decimal(value)))
    return sorted(points)


def _plan(baseline_date, baseline, target_date, target, milestones):
    """The plan's corners: the baseline, the milestones strictly between the baseline and target
    dates, the target."""
    inner = [(d, v) for d, v in _points(milestones) if baseline_date < d < target_date]
    return [(baseline_date, baseline), *inner, (target_date, target)]


def planned_value(
    *,
    baseline,
    target,
    baseline_date: date,
    target_date: date,
    day: date,
    milestones: Iterable = (),
) -> Decimal | None:
    """The value the plan calls for on ``day``: interpolated between the baseline, the
    milestones and the target (the baseline before its date, the target after its date). None
    without a target."""
    if target is None:
        return None
    corners = _plan(baseline_date, Decimal(baseline), target_date, Decimal(target), milestones)
    if day <= corners[0][0]:
        return corners[0][1]
    for (start, low), (end, high) in pairwise(corners):
        if day <= end:
            span = (end - start).days
            if span <= 0:
                return high
            return low + (high - low) * (day - start).days / span
    return corners[-1][1]


def expected_progress(
    baseline_date: date,
    target_date: date,
    today: date,
    milestones: Iterable = (),
    *,
    baseline=None,
    target=None,
) -> Decimal:
    """Expected progress today (%, 0 to 100). Without milestones (or without a baseline and a
    target to read them against) a straight line from the baseline date to the target date;
    with them, the plan's value today as a share of the way from the baseline to the target."""
    points = _points(milestones)
    if points and baseline is not None and target is not None and target != baseline:
        planned = planned_value(
            baseline=baseline,
            target=target,
            baseline_date=baseline_date,
            target_date=target_date,
            day=today,
            milestones=points,
        )
        share = HUNDRED * (planned - Decimal(baseline)) / (Decimal(target) - Decimal(baseline))
        return min(max(share, Decimal(0)), HUNDRED).quantize(Decimal("0.1"))
    span = (target_date - baseline_date).days
    if span <= 0:
        return HUNDRED
    elapsed = min(max((today - baseline_date).days, 0), span)
    return (HUNDRED * elapsed / span).quantize(Decimal("0.1"))


def progress_between(baseline, goal, value) -> Decimal | None:
    """How far ``value`` has moved from ``baseline`` towards ``goal`` (%), whichever the
    direction (both differences change sign together); None when the goal is the baseline."""
    if value is None or goal is None or goal == baseline:
        return None
    return (HUNDRED * (value - baseline) / (goal - baseline)).quantize(Decimal("0.1"))


def score(
    *,
    baseline,
    target,
    current,
    baseline_date,
    target_date,
    today,
    decrease=False,
    milestones: Iterable = (),
) -> Score:
    """The status of a KPI (see the module's docstring). ``milestones``: ``(date, value)``
    pairs or ``Milestone`` rows; none gives the straight line. ``decrease`` is kept for the
    callers that pass it: the progress reads the same in either direction."""
    expected = expected_progress(
        baseline_date, target_date, today, milestones, baseline=baseline, target=target
    )
    if current is None or target is None or target == baseline:
        return Score(None, expected, Status.NO_DATA)
    # The ratio reads the same for a decreasing KPI: both differences are negative.
    progress = progress_between(baseline, target, current)
    if progress >= 100:
        status = Status.ACHIEVED
    elif progress >= expected - ON_TRACK_TOLERANCE:
        status = Status.ON_TRACK
    elif progress >= expected - AT_RISK_TOLERANCE:
        status = Status.AT_RISK
    else:
        status = Status.OFF_TRACK
    return Score(progress, expected, status)
