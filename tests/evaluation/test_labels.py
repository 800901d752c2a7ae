"""The scoreboard and the programme statistics as people read them: labels of outcome kinds,
country names and amounts in the reader's language, and no "None" for a user who is gone."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from escp_portal.accounts.models import Role
from evaluation import services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def outcomes(world):
    factories.outcome(world.a, kind="mou", counterpart_country="US", value=Decimal("630000.00"))
    factories.outcome(world.a, kind="contract", counterpart_country="PL", value=Decimal("1500"))


def signed_off_by_a_former_user(world, plan):
    """A coordinator signs a period off, then their account is deleted."""
    gone = factories.user(role=Role.COORDINATOR, scope=world.a)
    period = plan["kpi"].periods(date.today())[-1]
    services.sign_off(actor=gone, partnership=world.a, period_end=period)
    gone.delete()


def test_the_scoreboard_shows_labels_names_and_formatted_amounts(client, world, plan, outcomes):
    signed_off_by_a_former_user(world, plan)
    client.force_login(world.coord_a)
    page = client.get(reverse("evaluation:scoreboard", args=[world.a.pk])).content.decode()
    assert "MoU or formal agreement" in page and "Business contract" in page
    assert "United States of America" in page and "Poland" in page
    assert "631,500" in page  # the value of the outcomes, grouped
    assert "631500" not in page and ">mou<" not in page and ">US<" not in page
    assert "by a former user" in page
    assert "None" not in page


def test_the_scoreboard_in_french(client, world, plan, outcomes):
    client.force_login(world.coord_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get(reverse("evaluation:scoreboard", args=[world.a.pk])).content.decode()
    assert "États-Unis" in page and "Pologne" in page
    assert "631\xa0500" in page or "631\u202f500" in page or "631 500" in page
    assert "MoU or formal agreement" not in page


def test_the_statistics_name_countries_and_format_amounts(client, world, plan, outcomes):
    services.recompute_scoreboard(world.a.pk)
    client.force_login(world.officer)
    response = client.get(reverse("evaluation:statistics"))
    page = response.content.decode()
    assert "United States of America" in page and "Germany" in page  # outcomes, clusters
    assert "631,500" in page
    assert "None" not in page
    # The charts are labelled with names too; the API keeps the codes.
    charts = response.context["charts_json"]
    assert "Germany" in charts["clusters"]["labels"]
    assert "US" in client.get("/api/v1/statistics/").json()["outcomes_by_country"]


def test_a_correction_by_a_former_user_names_no_none(client, world, plan):
    from strategy.models import Measurement, MeasurementRevision

    measurement = Measurement.objects.create(
        kpi=plan["kpi"],
        period_end=date(2025, 3, 31),
        partner=plan["partner_a"],
        value=Decimal("1200"),
        status="approved",
    )
    gone = factories.user()
    MeasurementRevision.objects.create(
        measurement=measurement,
        old_value=Decimal("1100"),
        new_value=Decimal("1200"),
        old_status="approved",
        changed_by=gone,
        reason="typo",
    )
    gone.delete()
    client.force_login(world.coord_a)
    page = client.get(reverse("strategy:kpi_detail", args=[plan["kpi"].pk])).content.decode()
    assert "corrected from 1,100 to 1,200 by a former user: typo" in page
    assert "None" not in page
