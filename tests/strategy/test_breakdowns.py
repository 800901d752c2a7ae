"""Breakdowns of reported values: a KPI declares them, the page's report form and the API
(one value or in bulk) take the parts, whose sum per breakdown must be the value; the KPI page
shows them."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from strategy.models import KPI, Measurement, MeasurementPart, Strategy
from strategy.services import strategy_adopt, strategy_revise

pytestmark = pytest.mark.django_db
Q1 = "2025-03-31"


@pytest.fixture
def kpi(plan):
    kpi = plan["kpi"]
    kpi.breakdowns = ["country", "sme_size", "partner"]
    kpi.save()
    return kpi


def api_report(client, kpi, parts, value="10", period=Q1):
    return client.post(
        "/api/v1/measurements/",
        {"kpi": kpi.pk, "period_end": period, "value": value, "parts": parts},
        content_type="application/json",
    )


def parts_of(measurement):
    return sorted(measurement.parts.values_list("dimension", "key", "value"))


def test_a_kpi_declares_its_breakdowns_in_the_form_and_the_api(client, world, plan):
    kpi = plan["kpi"]
    client.force_login(world.coord_a)
    response = client.patch(
        f"/api/v1/kpis/{kpi.pk}/", {"breakdowns": ["country"]}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["breakdowns"] == ["country"]
    for wrong in (["colour"], ["country", "country"], "country"):
        response = client.patch(
            f"/api/v1/kpis/{kpi.pk}/", {"breakdowns": wrong}, content_type="application/json"
        )
        assert response.status_code == 400, wrong
    kpi.refresh_from_db()
    assert kpi.breakdowns == ["country"]
    page = client.get(reverse("strategy:kpi_edit", args=[kpi.pk])).content.decode()
    assert 'name="breakdowns" value="sme_size"' in page


def test_parts_that_add_up_are_kept_with_the_value(client, world, kpi, plan):
    client.force_login(world.manager_a)
    partner = plan["partner_a"]
    parts = [
        {"dimension": "country", "key": "de", "value": "6"},
        {"dimension": "country", "key": "FR", "value": "4"},
        {"dimension": "sme_size", "key": "micro", "value": "10"},
        {"dimension": "partner", "key": str(partner.pk), "value": "10"},
    ]
    response = api_report(client, kpi, parts)
    assert response.status_code == 201, response.content
    assert {(p["dimension"], p["key"]) for p in response.json()["parts"]} == {
        ("country", "DE"),
        ("country", "FR"),
        ("sme_size", "micro"),
        ("partner", str(partner.pk)),
    }
    measurement = Measurement.objects.get()
    assert parts_of(measurement)[0] == ("country", "DE", Decimal(6))
    # A change without parts keeps them only while they add up.
    url = f"/api/v1/measurements/{measurement.pk}/"
    response = client.patch(url, {"note": "checked"}, content_type="application/json")
    assert response.status_code == 200 and measurement.parts.count() == 4
    response = client.patch(url, {"value": "12"}, content_type="application/json")
    assert response.status_code == 400
    assert "no longer adds up" in str(response.json())
    response = client.patch(
        url,
        {"value": "12", "parts": [{"dimension": "country", "key": "DE", "value": "12"}]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert parts_of(measurement) == [("country", "DE", Decimal(12))]


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (
            [{"dimension": "country", "key": "DE", "value": "6"}],
            "The parts of the breakdown “Country” add up to 6.00, not to the value 10.00.",
        ),
        (
            [{"dimension": "country", "key": "XX", "value": "10"}],
            "“XX” is not one of the breakdown “Country”",
        ),
        (
            [{"dimension": "sme_size", "key": "huge", "value": "10"}],
            "“huge” is not one of the breakdown “SME size”",
        ),
        (
            [{"dimension": "partner", "key": "999999", "value": "10"}],
            "is not one of the breakdown “Partner”",
        ),
        (
            [
                {"dimension": "country", "key": "DE", "value": "5"},
                {"dimension": "country", "key": "de", "value": "5"},
            ],
            "“DE” is given twice.",
        ),
        ([{"dimension": "country", "key": "DE", "value": "1e14"}], "Ensure that there are"),
    ],
)
def test_parts_that_do_not_fit_are_refused_with_a_400(client, world, kpi, parts, message):
    client.force_login(world.coord_a)
    response = api_report(client, kpi, parts)
    assert response.status_code == 400
    assert message in str(response.json())
    assert not Measurement.objects.exists() and not MeasurementPart.objects.exists()


def test_parts_of_an_undeclared_breakdown_are_refused(client, world, plan, kpi):
    kpi.breakdowns = ["country"]
    kpi.save()
    client.force_login(world.coord_a)
    response = api_report(client, kpi, [{"dimension": "sme_size", "key": "micro", "value": 10}])
    assert response.status_code == 400 and "not broken down by" in str(response.json())
    kpi.breakdowns = []
    kpi.save()
    response = api_report(client, kpi, [{"dimension": "country", "key": "DE", "value": 10}])
    assert response.status_code == 400 and "declares no breakdown" in str(response.json())


def test_bulk_rows_with_parts_are_written_all_or_none(client, world, kpi):
    client.force_login(world.coord_a)
    rows = [
        {
            "kpi": kpi.pk,
            "period_end": period,
            "value": "4",
            "parts": [
                {"dimension": "country", "key": "DE", "value": "3"},
                {"dimension": "country", "key": "AT", "value": "1"},
            ],
        }
        for period in ("2024-03-31", "2024-06-30", "2024-09-30")
    ]
    rows[1]["parts"][1]["value"] = "2"
    response = client.post("/api/v1/measurements/bulk/", rows, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]["rows"] == [
        {
            "index": 1,
            "field": "parts",
            "message": (
                "The parts of the breakdown “Country” add up to 5.00, not to the value 4.00."
            ),
        }
    ]
    assert not Measurement.objects.exists() and not MeasurementPart.objects.exists()
    rows[1]["parts"][1]["value"] = "1"
    response = client.post("/api/v1/measurements/bulk/", rows, content_type="application/json")
    assert response.status_code == 201
    assert MeasurementPart.objects.count() == 6


def test_the_report_form_takes_the_parts_and_the_page_shows_them(client, world, kpi, plan):
    client.force_login(world.manager_a)
    page = client.get(kpi.get_absolute_url()).content.decode()
    assert 'name="parts_country"' in page and 'name="parts_sme_size_micro"' in page
    assert f'name="parts_partner_{plan["partner_a"].pk}"' in page
    form = {
        "period_end": Q1,
        "value": "10",
        "parts_country": "DE: 7\nFR 3",
        "parts_sme_size_small": "4",
        "parts_sme_size_micro": "5",
    }
    url = reverse("strategy:kpi_report", args=[kpi.pk])
    response = client.post(url, form)
    assert response.status_code == 200
    assert "The parts of the breakdown “SME size” add up to 9.00, not to the value 10.00." in (
        response.content.decode()
    )
    assert not Measurement.objects.exists()
    response = client.post(url, {**form, "parts_country": "DE 7\nnonsense"})
    assert "Write each line as a country code and a number" in response.content.decode()
    response = client.post(url, {**form, "parts_sme_size_micro": "6"})
    assert response.status_code == 302
    measurement = Measurement.objects.get()
    assert parts_of(measurement) == [
        ("country", "DE", Decimal(7)),
        ("country", "FR", Decimal(3)),
        ("sme_size", "micro", Decimal(6)),
        ("sme_size", "small", Decimal(4)),
    ]
    page = client.get(kpi.get_absolute_url()).content.decode()
    assert "Germany 7, France 3" in page
    assert "Micro (fewer than 10 employees) 6" in page


def test_a_kpi_page_names_the_partners_of_a_breakdown_in_a_fixed_number_of_queries(
    client, world, kpi, plan, django_assert_max_num_queries
):
    client.force_login(world.coord_a)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(kpi.get_absolute_url())  # warm: the roles come from the cache from then on
        with CaptureQueriesContext(connection) as context:
            assert client.get(kpi.get_absolute_url()).status_code == 200
        return len(context.captured_queries)

    def add(period):
        measurement = Measurement.objects.create(
            kpi=kpi, period_end=period, partner=plan["partner_a"], value=2
        )
        MeasurementPart.objects.create(
            measurement=measurement, dimension="partner", key=str(plan["partner_a"].pk), value=2
        )
        MeasurementPart.objects.create(
            measurement=measurement, dimension="country", key="DE", value=2
        )

    add(date(2024, 3, 31))
    before = count()
    for period in (date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31)):
        add(period)
    assert count() == before
    assert world.cluster_a.name in client.get(kpi.get_absolute_url()).content.decode()


def test_a_new_version_keeps_the_parts_of_the_values(world, kpi, plan):
    measurement = Measurement.objects.create(
        kpi=kpi, period_end=date(2024, 3, 31), partner=plan["partner_a"], value=2
    )
    MeasurementPart.objects.create(measurement=measurement, dimension="country", key="DE", value=2)
    draft = strategy_revise(actor=world.coord_a, strategy=plan["strategy"])
    copy = KPI.objects.get(objective__strategy=draft)
    assert copy.breakdowns == kpi.breakdowns
    assert parts_of(copy.measurements.get()) == [("country", "DE", Decimal(2))]
    strategy_adopt(actor=world.coord_a, strategy=draft)
    assert Strategy.objects.get(pk=draft.pk).status == "adopted"
    assert parts_of(copy.measurements.get()) == [("country", "DE", Decimal(2))]
