"""The nightly recompute of every scoreboard runs its batches in threads on PostgreSQL, each with
its own connection and real commits: every partnership comes out as it does one at a time, and
a batch that fails fails the job (so that it is retried), never silently."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from evaluation import services, tasks
from evaluation.models import KPIStatus, PartnershipFigures, ScoreboardSnapshot
from strategy.models import Measurement
from tests import factories
from tests.services import require

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres():
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")


def _partnership_with_values(n, value):
    partnership = factories.partnership(f"PAR{n}", partners=[factories.cluster(f"P{n}", "AT")])
    plan = factories.make_strategy_with_kpi(partnership, responsible=partnership.partners.first())
    for period in plan.kpi.periods(date(2025, 12, 31))[:3]:
        Measurement.objects.create(
            kpi=plan.kpi,
            period_end=period,
            partner=partnership.partners.first(),
            value=value,
            status="approved",
        )
    return partnership, plan.kpi


def test_batches_in_threads_give_every_scoreboard_as_one_at_a_time(monkeypatch, settings):
    made = [_partnership_with_values(n, value=n + 1) for n in range(5)]
    silent = factories.partnership("SILENT", partners=[factories.cluster("S", "BE")])
    monkeypatch.setattr(tasks, "BATCH", 2)  # three batches
    settings.RECOMPUTE_THREADS = 3
    threads = set()
    recompute = services.recompute_scoreboards

    def watched(ids):
        threads.add(threading.current_thread().name)
        return recompute(ids)

    monkeypatch.setattr(services, "recompute_scoreboards", watched)
    KPIStatus.objects.all().delete()  # (the values' own recomputes wrote them)
    ScoreboardSnapshot.objects.all().delete()

    assert tasks.recompute_all_scoreboards() == 5

    assert len(threads) > 1 and all(name.startswith("recompute") for name in threads)
    for n, (partnership, kpi) in enumerate(made):
        status = KPIStatus.objects.get(kpi=kpi)
        assert status.partnership_id == partnership.pk
        assert status.current_value == Decimal(3 * (n + 1))  # three approved values summed
        snapshot = ScoreboardSnapshot.objects.get(partnership=partnership, date=date.today())
        assert snapshot.data == recompute([partnership.pk])[partnership.pk]
    # The partnerships without a strategy have their (empty) figures of today as well.
    assert PartnershipFigures.objects.filter(partnership=silent).exists()
    assert PartnershipFigures.objects.count() == 6


def test_a_failing_batch_fails_the_job(monkeypatch, settings):
    made = [_partnership_with_values(n, value=1)[0].pk for n in range(4)]
    monkeypatch.setattr(tasks, "BATCH", 1)
    settings.RECOMPUTE_THREADS = 2
    recompute = services.recompute_scoreboards

    def flaky(ids):
        if ids == [made[-1]]:
            raise RuntimeError("database went away")
        return recompute(ids)

    monkeypatch.setattr(services, "recompute_scoreboards", flaky)
    KPIStatus.objects.all().delete()  # (the values' own recomputes wrote them)
    with pytest.raises(RuntimeError, match="database went away"):
        tasks.recompute_all_scoreboards()
    # The other batches were stored (a retry redoes them all, each idempotent).
    assert set(KPIStatus.objects.values_list("partnership_id", flat=True)) == set(made[:-1])
