"""The figures the recompute jobs store per partnership (core-indicator values, reports,
missions and outcomes) give the programme pages the same answer as reading everything live,
with fewer queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluation import selectors
from evaluation.models import PartnershipFigures
from evaluation.tasks import recompute_all_scoreboards
from partnerships.models import Partnership
from strategy.models import Measurement
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(world, plan):
    factories.mission(world.a, country="JP", status="done", start=date(2025, 3, 1))
    factories.mission(world.b, country="JP")
    factories.mission(world.b, country="US", status="cancelled")
    factories.outcome(world.a, kind="contract", counterpart_country="JP", value=Decimal("1200.40"))
    factories.outcome(world.b, kind="mou", counterpart_country="US")
    Measurement.objects.create(
        kpi=plan["kpi"],
        period_end=date(2025, 3, 31),
        partner=plan["partner_a"],
        value=4,
        status="approved",
    )
    return world


def _read(user):
    published = selectors.filtered_partnerships(user=user)
    with CaptureQueriesContext(connection) as queries:
        statistics = selectors.programme_statistics(published)
        oversight = [selectors.row_data(row) for row in selectors.oversight(published)]
    return statistics, oversight, len(queries.captured_queries)


def test_the_programme_pages_read_the_stored_figures_as_they_would_live(activity):
    recompute_all_scoreboards()
    assert PartnershipFigures.objects.count() == Partnership.objects.count()
    stored, stored_oversight, stored_queries = _read(activity.officer)
    assert stored["missions_by_country"] == {"JP": 2}
    assert stored["outcomes_by_kind"] == {"contract": 1, "mou": 1}
    assert stored["outcomes_value"] == "1200.40"
    assert [row["reports_expected"] > 0 for row in stored_oversight].count(True) == 1
    PartnershipFigures.objects.all().delete()
    live, live_oversight, live_queries = _read(activity.officer)
    assert stored == live and stored_oversight == live_oversight
    assert stored_queries < live_queries
