"""Scoreboards of the demo: computed from the demo strategies, with a look back at every
quarter of their period (for the trend), a sign-off, an assessment and an officer's review."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from partnerships.demo import DEMO_COORDINATED
from partnerships.models import Partnership
from strategy.models import KPI, period_ends

from . import demo_current
from .models import Assessment, Review, ScoreboardSnapshot
from .services import recompute_scoreboard


@transaction.atomic
def load(*, stdout=None, **options) -> None:
    for acronym in DEMO_COORDINATED:
        partnership = Partnership.objects.get(acronym=acronym, generation=2)
        for quarter in period_ends("quarterly", partnership.start_date, partnership.end_date):
            if not ScoreboardSnapshot.objects.filter(
                partnership=partnership, date=quarter
            ).exists():
                recompute_scoreboard(partnership.pk, as_of=quarter)
        data = recompute_scoreboard(partnership.pk)
        if not ScoreboardSnapshot.objects.filter(
            partnership=partnership, signed_off_at__isnull=False
        ).exists():
            ScoreboardSnapshot.objects.create(
                partnership=partnership,
                date=date(2019, 7, 15),
                period_end=date(2019, 6, 30),
                data=data,
                signed_off_at=timezone.now(),
            )
        if not partnership.assessments.exists():
            Assessment.objects.create(
                partnership=partnership,
                kind=Assessment.Kind.SURVEY,
                date=date(2019, 10, 1),
                title="Survey of the SMEs that travelled (demo)",
                findings="Most SMEs found the buyer meetings useful; several asked for more "
                "preparation on certification abroad. (demo)",
                adjustments="A half-day workshop on certification before each mission. (demo)",
            )
        kpi = (
            KPI.objects.filter(objective__strategy__partnership=partnership, source="manual")
            .order_by("pk")
            .first()
        )
        if kpi and not partnership.reviews.exists():
            Review.objects.create(
                partnership=partnership,
                kpi=kpi,
                flag=Review.Flag.OVER_AMBITIOUS,
                comment="Comparable partnerships reached about half of this. (demo)",
            )
    demo_current.load(stdout=stdout)
    if stdout:
        stdout.write(f"Scoreboards: {ScoreboardSnapshot.objects.count()} snapshots.")
