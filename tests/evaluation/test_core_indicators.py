"""The programme's core indicators: KPIs link to them (in the same unit; derived ones through
their source), and the roll-up adds the linked values up across partnerships, by programme,
generation, partner and target country and year, on a page, as XLSX and in the API."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from evaluation import selectors, services
from evaluation.models import PartnershipFigures
from partnerships.models import Partnership
from strategy import services as strategy_services
from strategy.models import CoreIndicator, Measurement, TargetMarket
from tests import factories

pytestmark = pytest.mark.django_db


def indicator(code):
    return CoreIndicator.objects.get(code=code)


def test_the_programme_indicators_are_seeded():
    codes = set(CoreIndicator.objects.values_list("code", flat=True))
    assert {
        "smes_involved",
        "clusters_involved",
        "c2c_events",
        "b2b_meetings",
        "missions",
        "agreements",
        "contracts",
        "joint_projects",
        "investment",
    } <= codes
    assert indicator("investment").unit == "EUR"


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_the_missing_indicators_back_and_keeps_edited_ones():
    """The seed is not only the migration's: after ``flush`` (an emptied database, a restore
    into a new one) the indicators the roll-up and the demo rely on are there again; an edited
    one is left as staff wrote it."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    assert CoreIndicator.objects.count() == 9
    CoreIndicator.objects.filter(code="missions").update(name="Missions abroad")
    CoreIndicator.objects.filter(code="investment").delete()
    call_command("migrate", verbosity=0)
    assert CoreIndicator.objects.get(code="missions").name == "Missions abroad"
    assert CoreIndicator.objects.get(code="investment").unit == "EUR"


def test_a_kpi_links_only_to_an_indicator_of_its_unit(world):
    plan = factories.make_strategy_with_kpi(world.a, status="draft")
    with pytest.raises(ValidationError) as error:
        strategy_services.kpi_update(
            actor=world.coord_a, kpi=plan.kpi, core_indicator=indicator("contracts")
        )
    assert "contracts" in str(error.value)
    kpi = strategy_services.kpi_update(
        actor=world.coord_a, kpi=plan.kpi, core_indicator=indicator("smes_involved")
    )
    kpi.refresh_from_db()
    assert kpi.core_indicator.code == "smes_involved"


def test_a_retired_indicator_takes_no_new_link_but_keeps_its_own(world):
    plan = factories.make_strategy_with_kpi(world.a, status="draft", unit="SMEs")
    smes = indicator("smes_involved")
    strategy_services.kpi_update(actor=world.coord_a, kpi=plan.kpi, core_indicator=smes)
    CoreIndicator.objects.filter(pk=smes.pk).update(active=False)
    smes.refresh_from_db()
    strategy_services.kpi_update(actor=world.coord_a, kpi=plan.kpi, name="Renamed")
    other = factories.kpi(plan.objective, name="Other SMEs")
    with pytest.raises(ValidationError):
        strategy_services.kpi_update(actor=world.coord_a, kpi=other, core_indicator=smes)


def test_a_derived_kpi_counts_towards_its_sources_indicator(world):
    plan = factories.make_strategy_with_kpi(world.a, status="draft")
    kpi = strategy_services.kpi_create(
        actor=world.coord_a,
        objective=plan.objective,
        name="Contracts signed",
        unit="contracts",
        baseline_date=date(2023, 12, 31),
        target_date=date(2027, 12, 31),
        target_value=Decimal(10),
        source="outcomes_contract",
        core_indicator=indicator("investment"),  # ignored: the source decides
    )
    assert kpi.core_indicator.code == "contracts"


def test_the_kpi_form_offers_the_indicators_and_says_why_a_link_is_refused(client, world):
    plan = factories.make_strategy_with_kpi(world.a, status="draft", unit="SMEs")
    client.force_login(world.coord_a)
    url = reverse("strategy:kpi_edit", args=[plan.kpi.pk])
    page = client.get(url).content.decode()
    assert "Business contracts (contracts)" in page
    form = {
        "name": plan.kpi.name,
        "unit": "SMEs",
        "kind": "output",
        "aggregation": "sum",
        "direction": "increase",
        "baseline_value": "0",
        "baseline_date": "2023-12-31",
        "target_value": "40",
        "target_date": "2027-12-31",
        "frequency": "quarterly",
        "source": "manual",
        "core_indicator": indicator("contracts").pk,
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "Business contracts is counted in contracts" in response.content.decode()
    response = client.post(url, {**form, "core_indicator": indicator("smes_involved").pk})
    assert response.status_code == 302
    detail = client.get(reverse("strategy:kpi_detail", args=[plan.kpi.pk])).content.decode()
    assert "SMEs involved" in detail


def _linked(partnership, code, unit, values, *, target=None, partner=None):
    from strategy.models import Objective

    goal = Objective.objects.filter(strategy__partnership=partnership).first()
    if goal is None:
        goal = factories.objective(factories.strategy(partnership))
    kpi = factories.kpi(
        goal,
        name=f"{code} of {partnership.acronym}",
        unit=unit,
        target_value=target,
        core_indicator=indicator(code),
    )
    partner = partner or partnership.partners.first()
    for period_end, value in values:
        Measurement.objects.create(
            kpi=kpi, partner=partner, period_end=period_end, value=value, status="approved"
        )
    return kpi


@pytest.fixture
def programme_data(world):
    """A: 3 + 2 agreements (2024, 2025) of a target of 10, partners in FR and DE, targeting
    CA; B: 4 agreements (2025), partner in IT, targeting CA and US; and 120 SMEs in A."""
    _linked(
        world.a,
        "agreements",
        "agreements",
        [(date(2024, 3, 31), 3), (date(2025, 6, 30), 2)],
        target=Decimal(10),
    )
    _linked(world.b, "agreements", "Agreements", [(date(2025, 3, 31), 4)])
    kpi = _linked(world.a, "smes_involved", "SMEs", [(date(2025, 3, 31), 120)])
    kpi.aggregation = "latest"
    kpi.save()
    TargetMarket.objects.create(partnership=world.a, country="CA")
    TargetMarket.objects.create(partnership=world.b, country="CA")
    TargetMarket.objects.create(partnership=world.b, country="US")
    return world


def _total(rollup, code):
    return next(t for t in rollup.totals if t.indicator.code == code)


def _cells(rollup, code):
    cells = next(cells for total, cells in rollup.rows if total.indicator.code == code)
    return {column: value for column, value in zip(rollup.columns, cells, strict=True) if value}


def test_the_rollup_adds_up_the_linked_kpis_across_partnerships(programme_data):
    published = Partnership.objects.exclude(status="draft")
    rollup = selectors.core_indicator_rollup(published, dimension="partner_country")
    agreements = _total(rollup, "agreements")
    assert (agreements.value, agreements.partnerships, agreements.kpis) == (9, 2, 2)
    assert agreements.target == 10 and agreements.share == 90
    assert _total(rollup, "smes_involved").value == 120
    assert _total(rollup, "contracts").value is None
    # A counts in each of its partner countries.
    assert _cells(rollup, "agreements") == {"DE": 5, "FR": 5, "IT": 4}
    by_target = selectors.core_indicator_rollup(published, dimension="target_country")
    assert _cells(by_target, "agreements") == {"CA": 9, "US": 4}
    by_year = selectors.core_indicator_rollup(published, dimension="year")
    assert _cells(by_year, "agreements") == {2024: 3, 2025: 6}


def test_the_rollup_reads_the_stored_figures_and_falls_back_to_live(programme_data):
    world = programme_data
    published = Partnership.objects.exclude(status="draft")
    services.recompute_scoreboard(world.a.pk)
    assert PartnershipFigures.objects.filter(partnership=world.a).exists()
    assert not PartnershipFigures.objects.filter(partnership=world.b).exists()
    # A stored figure is what the page shows (kept current by the jobs)...
    figures = PartnershipFigures.objects.get(partnership=world.a)
    for entry in figures.core_values:
        if entry["current"] == "5.00":
            entry["current"] = "50.00"
    figures.save()
    assert _total(selectors.core_indicator_rollup(published), "agreements").value == 54
    # ...and the next recompute puts it right again; B is read live all along.
    services.recompute_scoreboard(world.a.pk)
    assert _total(selectors.core_indicator_rollup(published), "agreements").value == 9


def test_officers_read_the_rollup_page_and_xlsx_others_may_not(client, programme_data):
    world = programme_data
    url = reverse("evaluation:core_indicators")
    client.force_login(world.coord_a)
    assert client.get(url).status_code == 403
    client.force_login(world.officer)
    page = client.get(url, {"by": "partner_country"}).content.decode()
    assert "Agreements and MoUs" in page and "Italy" in page and "France" in page
    response = client.get(reverse("evaluation:core_indicators_export", args=["xlsx"]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    totals = {row[0]: row for row in book.worksheets[0].iter_rows(values_only=True)}
    assert totals["agreements"][3] == 9 and totals["agreements"][5] == 90
    assert len(book.worksheets) == 1 + len(selectors.DIMENSIONS)


def test_the_api_lists_the_indicators_and_gives_officers_the_rollup(client, programme_data):
    world = programme_data
    url = reverse("api:core-indicators")
    client.force_login(world.coord_a)
    listed = client.get(url).json()
    assert "agreements" in [i["code"] for i in listed["indicators"]]
    assert client.get(url, {"rollup": "1"}).status_code == 403
    client.force_login(world.officer)
    answer = client.get(url, {"rollup": "1", "by": "year"}).json()
    totals = {t["indicator"]: t for t in answer["totals"]}
    assert totals["agreements"]["value"] == "9.00"
    split = {row["indicator"]: row["values"] for row in answer["split"]}
    assert split["agreements"] == {"2024": "3.00", "2025": "6.00"}
    bad = client.get(url, {"rollup": "1", "by": "planet"})
    assert bad.status_code == 400 and "by" in bad.json()["errors"]
