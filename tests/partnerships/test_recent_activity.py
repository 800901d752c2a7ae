"""One rule of what is shown as active: a partnership without an end date and without recorded
activity for QUIET_MONTHS shows as "no recent activity" (issue #20)."""

from datetime import date

import pytest
from django.utils import timezone

from partnerships.models import Partnership
from partnerships.selectors import QUIET_MONTHS, activity_state, quiet_q, running_q
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_partnership_without_end_date_or_activity_is_not_active_years_later(client, world):
    today = timezone.localdate()
    s3 = factories.partnership("S3LATE", start_date=date(2018, 10, 25), end_date=None)
    fresh = factories.partnership("S3NEW", start_date=today, end_date=None)
    busy = factories.partnership(
        "S3BUSY", start_date=date(2018, 10, 25), end_date=None, last_activity_on=today
    )
    assert activity_state(s3, today) == "quiet"
    assert activity_state(fresh, today) == "active"
    assert activity_state(busy, today) == "active"
    quiet = set(Partnership.objects.filter(quiet_q(today)).values_list("acronym", flat=True))
    running = set(Partnership.objects.filter(running_q(today)).values_list("acronym", flat=True))
    assert "S3LATE" in quiet and "S3LATE" not in running
    assert {"S3NEW", "S3BUSY"} <= running and not {"S3NEW", "S3BUSY"} & quiet
    assert QUIET_MONTHS == 18
    # The directory filter and the partnership page follow the same rule.
    active = client.get("/partnerships/", {"status": "active"}).content.decode()
    assert "S3BUSY" in active and "S3LATE" not in active
    listed = client.get("/partnerships/", {"status": "quiet"}).content.decode()
    assert "S3LATE" in listed and "No recent activity" in listed
    page = client.get(s3.get_absolute_url()).content.decode()
    assert 'data-activity="quiet"' in page


def test_the_recompute_records_activity(world):
    from evaluation.services import store_figures
    from strategy.models import Strategy

    factories.strategy(world.a)
    Strategy.objects.filter(partnership=world.a).update(updated_at=timezone.now())
    store_figures([world.a.pk])
    world.a.refresh_from_db()
    assert world.a.last_activity_on is not None
