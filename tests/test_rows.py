"""``plain_rows`` reads a grouped aggregate in one fetch without Django's converters on
PostgreSQL: the rows must be the very ones the ORM gives (ints, dates, Decimals with their
scale, aware datetimes, NULLs), or the nightly recompute would score other numbers."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Max, Min, Q, Sum
from django.utils import timezone

from escp_portal.rows import plain_rows
from strategy.models import Measurement
from tests import factories
from tests.services import require

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_rows_are_those_the_orm_reads(world):
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    partner = world.a.partners.first()
    _strategy, _objective, kpi = factories.make_strategy_with_kpi(
        world.a, baseline_date=date(2024, 12, 31), responsible=partner
    )
    for period, value, status, day in [
        (date(2025, 3, 31), "2.50", "approved", 3),
        (date(2025, 6, 30), "7.25", "submitted", 5),
    ]:
        made = Measurement.objects.create(
            kpi=kpi, period_end=period, partner=partner, value=Decimal(value), status=status
        )
        Measurement.objects.filter(pk=made.pk).update(
            reported_at=timezone.make_aware(datetime(2025, period.month + 1, day, 9, 15))
        )
    query = (
        Measurement.objects.filter(kpi_id__in=[kpi.pk])
        .values_list("kpi_id", "period_end")
        .annotate(
            total=Sum("value", filter=Q(status="approved")),
            first=Min("reported_at"),
            last=Max("reported_at"),
        )
        .order_by("period_end")
    )
    rows = plain_rows(query)
    assert rows == list(query)
    assert rows[0][2] == Decimal("2.50") and rows[1][2] is None  # June is not approved yet
    assert rows[0][3].utcoffset() is not None  # aware, comparable with the deadlines


def test_an_empty_filter_reads_nothing():
    assert plain_rows(Measurement.objects.filter(kpi_id__in=[]).values_list("kpi_id")) == []
