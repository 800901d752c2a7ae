"""Brokers and the opportunity pipeline: who names brokers and follows opportunities, what an EC
officer reads (figures, no names), and an agreement that becomes an outcome."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from missions.models import Outcome
from opportunities.models import Broker, Opportunity
from opportunities.services import brokers as services
from strategy.models import TargetMarket
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_partner_cluster_manager_names_a_broker_and_an_officer_cannot(world):
    partner = world.a.partners.get(cluster=world.cluster_a)
    broker = services.broker_save(
        actor=world.manager_a,
        partnership=world.a,
        name="Hanna Lind",
        kind=Broker.Kind.PERSON,
        country="SE",
        named_by=partner,
        email="hanna@example.org",
    )
    assert broker.created_by == world.manager_a and broker.named_by == partner
    with pytest.raises(PermissionDenied):
        services.broker_save(actor=world.officer, partnership=world.a, name="X", country="SE")
    with pytest.raises(PermissionDenied):
        services.broker_save(actor=world.manager_x, partnership=world.a, name="X", country="SE")


def test_a_broker_in_a_target_market_is_based_in_its_country(world):
    canada = TargetMarket.objects.create(partnership=world.a, country="CA")
    with pytest.raises(ValidationError) as refused:
        services.broker_save(
            actor=world.coord_a,
            partnership=world.a,
            name="Maple",
            country="US",
            target_market=canada,
        )
    assert "country" in refused.value.error_dict
    broker = services.broker_save(
        actor=world.coord_a, partnership=world.a, name="Maple", country="CA", target_market=canada
    )
    assert broker.target_market == canada
    other = TargetMarket.objects.create(partnership=world.b, country="CA")
    with pytest.raises(ValidationError):
        services.broker_save(
            actor=world.coord_a, partnership=world.a, name="B", country="CA", target_market=other
        )


def test_an_opportunity_moves_along_but_reaches_an_agreement_only_with_its_outcome(world):
    broker = factories.broker(world.a, created_by=world.coord_a)
    opportunity = services.opportunity_save(
        actor=world.coord_a,
        partnership=world.a,
        title="Compostable film",
        broker=broker,
        counterpart="Norrmejeri",
        counterpart_country="SE",
        next_follow_up=date.today() + timedelta(days=30),
    )
    assert opportunity.stage == Opportunity.Stage.LEAD and opportunity.owner == world.coord_a
    services.opportunity_save(
        actor=world.coord_a, partnership=world.a, opportunity=opportunity, stage="meeting"
    )
    with pytest.raises(ValidationError):
        services.opportunity_save(
            actor=world.coord_a, partnership=world.a, opportunity=opportunity, stage="agreement"
        )
    agreed = services.opportunity_agree(
        actor=world.coord_a,
        opportunity=opportunity,
        kind=Outcome.Kind.MOU,
        date=date(2025, 3, 1),
        value=None,
    )
    outcome = agreed.outcome
    assert agreed.stage == Opportunity.Stage.AGREEMENT and agreed.next_follow_up is None
    assert (outcome.kind, outcome.counterpart, outcome.counterpart_country.code) == (
        "mou",
        "Norrmejeri",
        "SE",
    )
    assert outcome.partnership == world.a
    with pytest.raises(ValidationError):
        services.opportunity_agree(
            actor=world.coord_a, opportunity=agreed, kind="contract", date=date(2025, 3, 2)
        )
    assert Outcome.objects.count() == 1


def test_a_broker_of_another_partnership_or_a_stranger_as_follower_is_refused(world):
    other = factories.broker(world.b, created_by=world.coord_b)
    with pytest.raises(ValidationError):
        services.opportunity_save(actor=world.coord_a, partnership=world.a, title="X", broker=other)
    with pytest.raises(ValidationError):
        services.opportunity_save(
            actor=world.coord_a, partnership=world.a, title="X", owner=world.manager_x
        )
    follower = services.opportunity_save(
        actor=world.coord_a, partnership=world.a, title="X", owner=world.manager_a
    )
    assert follower.owner == world.manager_a


def test_the_pipeline_page_shows_stages_to_insiders_and_figures_to_officers(client, world):
    broker = factories.broker(world.a, "Bruno Broker", created_by=world.coord_a)
    factories.opportunity(world.a, "Lead one", owner=world.coord_a, broker=broker)
    factories.opportunity(world.a, "Met them", owner=world.coord_a, stage="meeting")
    url = reverse("opportunities:opportunities", args=[world.a.pk])

    client.force_login(world.manager_a)
    page = client.get(url)
    stages = {code: [o.title for o in items] for code, _label, items in page.context["stages"]}
    assert stages["lead"] == ["Lead one"] and stages["meeting"] == ["Met them"]
    assert "Bruno Broker" in page.content.decode()

    client.force_login(world.officer)
    page = client.get(url)
    assert "Lead one" not in page.content.decode() and "Bruno Broker" not in page.content.decode()
    assert dict(page.context["figures"]["stages"])["Lead"] == 1

    client.force_login(world.manager_x)
    assert client.get(url).status_code == 404


def test_the_pipeline_filters_overdue_follow_ups(client, world):
    factories.opportunity(world.a, "Late", owner=world.coord_a, next_follow_up=date(2020, 1, 1))
    factories.opportunity(world.a, "Soon", owner=world.coord_a, next_follow_up=date(2099, 1, 1))
    client.force_login(world.coord_a)
    url = reverse("opportunities:opportunities", args=[world.a.pk])
    page = client.get(url, {"overdue": "true"})
    assert [o.title for o in page.context["rows"]] == ["Late"]
    assert client.get(url, {"overdue": "maybe"}).status_code == 200


def test_recording_the_agreement_on_its_page_leads_to_the_outcomes(client, world):
    opportunity = factories.opportunity(world.a, owner=world.manager_a, stage="meeting")
    client.force_login(world.manager_a)
    url = reverse("opportunities:opportunity_agree", args=[opportunity.pk])
    form = client.get(url).context["form"]
    data = {
        "kind": "contract",
        "date": "2025-05-02",
        "value": "120000",
        "once_token": form.initial["once_token"],
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("missions:outcomes", args=[world.a.pk])
    opportunity.refresh_from_db()
    assert opportunity.outcome.kind == "contract" and opportunity.outcome.value == 120000
    # Sent again (a double click), it saves once.
    client.post(url, data)
    assert Outcome.objects.count() == 1
    bad = client.post(url, {"kind": "contract", "date": "31/31/2025"})
    assert bad.status_code in (200, 302)


def test_an_officer_may_not_post_a_broker(client, world):
    client.force_login(world.officer)
    url = reverse("opportunities:brokers", args=[world.a.pk])
    assert client.post(url, {"name": "X", "country": "DE", "kind": "person"}).status_code == 403
    assert not Broker.objects.exists()
