"""``plain_rows`` reads a grouped aggregate in one fetch without Django's converters on
PostgreSQL: the rows must be the very ones the ORM gives (ints, dates, Decimals with their
scale, aware datetimes, NULLs), or the nightly recompute would score other numbers."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Max, Min, Q, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from escp_portal.rows import per_row, plain_rows
from partnerships.models import Partner, Partnership
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


def test_a_figure_per_row_counts_each_rows_own_and_zero_for_none():
    """``per_row``: each partnership counts its own partners (and their distinct countries),
    one without partners counts 0 (and has no latest name: NULL), and counting the annotated
    list reads the list alone."""
    alone = factories.partnership("ALONE")
    shared = factories.cluster("Shared", country="FR")
    both = [
        factories.partnership("ONE", partners=[shared, factories.cluster("One", country="FR")]),
        factories.partnership("TWO", partners=[shared, factories.cluster("Two", country="IT")]),
    ]
    partners = Partner.objects.all()
    listed = Partnership.objects.filter(pk__in=[alone.pk, *(p.pk for p in both)]).annotate(
        partners_n=per_row(partners, Count("pk"), by="partnership"),
        countries=per_row(partners, Count("cluster__country", distinct=True), by="partnership"),
        last=per_row(partners, Max("cluster__name"), by="partnership", default=None),
    )

    figures = {p.acronym: (p.partners_n, p.countries, p.last) for p in listed}

    assert figures == {"ALONE": (0, 0, None), "ONE": (2, 1, "Shared"), "TWO": (2, 2, "Two")}
    with CaptureQueriesContext(connection) as counted:
        assert listed.all().count() == 3
    assert "GROUP BY" not in counted.captured_queries[0]["sql"].upper()
    assert '"partnerships_partner"' not in counted.captured_queries[0]["sql"]
