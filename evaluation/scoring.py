"""The status rule of a KPI, written once and shown on the scoreboard page.

progress  = how far the current value has moved from the baseline towards the target (%)
expected  = how far it should have moved today, on a straight line from the baseline date to
            the target date (%)
achieved  : progress ≥ 100
on track  : progress ≥ expected - 10 points
at risk   : progress ≥ expected - 25 points
off track : below that
no data   : no approved (or derived) value yet, or no target
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .models import Status

ON_TRACK_TOLERANCE = Decimal(10)
AT_RISK_TOLERANCE = Decimal(25)

RULE = [
    (Status.ACHIEVED, _("the target is reached (progress 100 % or more)")),
    (Status.ON_TRACK, _("progress is at most 10 points behind what the date calls for")),
    (Status.AT_RISK, _("progress is 10 to 25 points behind")),
    (Status.OFF_TRACK, _("progress is more than 25 points behind")),
    (Status.NO_DATA, _("no approved value yet, or no target set")),
]


@dataclass(frozen=True)
class Score:
    progress: Decimal | None
    expected: Decimal
    status: str


def expected_progress(baseline_date: date, target_date: date, today: date) -> Decimal:
    span = (target_date - baseline_date).days
    if span <= 0:
        return Decimal(100)
    elapsed = min(max((today - baseline_date).days, 0), span)
    return (Decimal(100) * elapsed / span).quantize(Decimal("0.1"))


def score(*, baseline, target, current, baseline_date, target_date, today, decrease=False) -> Score:
    expected = expected_progress(baseline_date, target_date, today)
    if current is None or target is None or target == baseline:
        return Score(None, expected, Status.NO_DATA)
    moved = (baseline - current) if decrease else (current - baseline)
    needed = (baseline - target) if decrease else (target - baseline)
    progress = (Decimal(100) * moved / needed).quantize(Decimal("0.1"))
    if progress >= 100:
        status = Status.ACHIEVED
    elif progress >= expected - ON_TRACK_TOLERANCE:
        status = Status.ON_TRACK
    elif progress >= expected - AT_RISK_TOLERANCE:
        status = Status.AT_RISK
    else:
        status = Status.OFF_TRACK
    return Score(progress, expected, status)
