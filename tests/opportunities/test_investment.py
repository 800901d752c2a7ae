"""Investor contacts and joint investment projects: the rules of a project, the mobilised
investment as a KPI source of the investment core indicator, what officers read, erasure."""

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evaluation.selectors import core_indicator_rollup
from evaluation.services import recompute_scoreboard
from opportunities.models import InvestorContact
from opportunities.services import investment as services
from partnerships.models import Partnership
from strategy.models import CoreIndicator
from strategy.services import reporting
from strategy.sources import registry
from tests import factories

pytestmark = pytest.mark.django_db


def _project(world, **data):
    data.setdefault("title", "Battery second life")
    data.setdefault("s3_area", "Batteries")
    data.setdefault("regions", "Navarra, Västra Götaland")
    return services.investment_project_save(actor=world.coord_a, partnership=world.a, **data)


def test_a_joint_project_brings_two_regions_or_more(world):
    with pytest.raises(ValidationError) as refused:
        _project(world, regions="Navarra, navarra ,")
    assert "regions" in refused.value.error_dict
    assert _project(world, regions=" Navarra ,Bavaria,  Navarra").regions == "Navarra, Bavaria"


def test_mobilised_investment_is_dated_and_not_ahead(world):
    with pytest.raises(ValidationError) as refused:
        _project(world, investment_mobilised=Decimal(1000))
    assert "mobilised_on" in refused.value.error_dict
    with pytest.raises(ValidationError):
        _project(world, investment_mobilised=Decimal(1000), mobilised_on=date(2099, 1, 1))


def test_the_mobilised_investment_feeds_the_investment_core_indicator(world):
    source = registry()["investment_mobilised"]
    assert source.indicator == "investment"
    _project(world, investment_mobilised=Decimal(250000), mobilised_on=date(2025, 5, 1))
    _project(
        world, title="Second", investment_mobilised=Decimal(50000), mobilised_on=date(2025, 8, 1)
    )
    factories.investment_project(
        world.b, investment_mobilised=Decimal(7), mobilised_on=date(2025, 5, 1)
    )
    _plan, objective, _kpi = factories.make_strategy_with_kpi(world.a)
    kpi = factories.kpi(
        objective,
        "Investment mobilised",
        unit="EUR",
        source="investment_mobilised",
        target_value=1000000,
        baseline_date=date(2024, 1, 1),
        target_date=date(2026, 12, 31),
    )
    reporting.link_core_indicator(kpi)
    kpi.save()
    assert kpi.core_indicator == CoreIndicator.objects.get(code="investment")
    periods = [(date(2025, 1, 1), date(2025, 6, 30)), (date(2025, 7, 1), date(2025, 12, 31))]
    assert source.series(kpi, periods) == {date(2025, 6, 30): 250000, date(2025, 12, 31): 50000}
    recompute_scoreboard(world.a.pk)
    rollup = core_indicator_rollup(Partnership.objects.filter(pk=world.a.pk))
    total = next(t for t in rollup.totals if t.indicator.code == "investment")
    assert total.value == 300000


def test_officers_read_the_projects_and_figures_of_investors_not_their_names(client, world):
    _project(world, title="Shared test track")
    services.investor_contact_save(
        actor=world.coord_a,
        partnership=world.a,
        name="Ines Investor",
        organisation="Alpha Ventures",
        country="FR",
    )
    client.force_login(world.officer)
    projects = client.get(reverse("opportunities:projects", args=[world.a.pk]))
    assert "Shared test track" in projects.content.decode()
    assert projects.context["form"] is None
    investors = client.get(reverse("opportunities:investors", args=[world.a.pk]))
    assert "Ines Investor" not in investors.content.decode()
    assert dict(investors.context["figures"])["Venture capital"] == 1
    with pytest.raises(PermissionDenied):
        _project_by(world.officer, world)


def _project_by(user, world):
    return services.investment_project_save(
        actor=user, partnership=world.a, title="X", s3_area="Y", regions="A, B"
    )


def test_a_coordinator_erases_an_investors_data_and_the_trail_keeps_no_value(world):
    contact = services.investor_contact_save(
        actor=world.manager_a,
        partnership=world.a,
        name="Ines Investor",
        organisation="Alpha Ventures",
        email="ines@investor.example",
        country="FR",
    )
    with pytest.raises(PermissionDenied):
        services.investor_contact_erase(actor=world.manager_a, contact=contact)
    services.investor_contact_erase(actor=world.coord_a, contact=contact)
    contact = InvestorContact.objects.get(pk=contact.pk)
    assert contact.name == f"Erased person #{contact.pk}" and contact.email == ""
    assert contact.erased_at is not None and contact.country.code == "FR"
    trail = " ".join(
        str(e.changes) + e.object_repr for e in LogEntry.objects.get_for_object(contact)
    )
    assert "Ines" not in trail and "Alpha Ventures" not in trail
    with pytest.raises(ValidationError):
        services.investor_contact_save(
            actor=world.coord_a, partnership=world.a, contact=contact, name="Back"
        )
