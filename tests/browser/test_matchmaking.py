"""Finding partners in a browser: a cluster's manager makes a member findable; a coordinator of
another partnership finds it by competence and asks for a contact; the manager forwards the
email; the coordinator reads it (and nothing else of the member's record). Then, on a value
chain with a stage nobody covers, the coordinator invites the suggested cluster in one click."""

import pytest
from playwright.sync_api import expect

from escp_portal.accounts.models import Role
from partnerships.models import Competence, PartnerInvitation
from strategy.models import ValueChain, ValueChainStage
from tests import factories
from tests.browser.test_partner_consent import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def find_world(transactional_db):
    beta_cluster = factories.cluster(
        "Beta Cluster", "IT", description="Laser cladding and wear-resistant coatings."
    )
    factories.partnership("BETA", coordinator=beta_cluster)
    yew = factories.member(
        beta_cluster,
        "Yew Works Oy",
        country="FI",
        nace_code="25.62",
        employees=30,
        contact_name="Yrjö Yew",
        contact_email="yew@member.example",
        contact_phone="+358 40 000 0000",
    )
    yew.competences.add(Competence.objects.create(name="Laser cladding", slug="laser-cladding"))
    alpha = factories.partnership("ALPHA", coordinator=factories.cluster("Alpha Two", "FR"))
    chain = ValueChain.objects.create(partnership=alpha, name="Pumps")
    ValueChainStage.objects.create(chain=chain, name="Laser cladding of pump shafts", order=1)
    factories.user("coord-a@example.org", role=Role.COORDINATOR, scope=alpha)
    factories.user("manager-b@example.org", role=Role.CLUSTER_MANAGER, scope=beta_cluster)
    return beta_cluster, chain


def test_search_ask_forward_and_read_the_released_contact(page, live_server, find_world):
    beta_cluster, _chain = find_world
    base = live_server.url

    log_in(page, base, "manager-b@example.org")
    page.goto(f"{base}/find/clusters/{beta_cluster.pk}/findable/")
    page.get_by_label("Yew Works Oy").check()
    page.get_by_role("button", name="Apply to the chosen members").click()
    expect(page.get_by_role("status")).to_contain_text("1 members made findable")

    log_in(page, base, "coord-a@example.org")
    page.get_by_role("link", name="Find partners").click()
    page.get_by_label("Competence").fill("laser cladding")
    page.get_by_role("button", name="Apply filters").click()
    result = page.get_by_role("listitem").filter(has_text="Yew Works Oy")
    expect(result).to_contain_text("competence: Laser cladding")
    expect(page.get_by_text("yew@member.example")).to_have_count(0)
    result.get_by_role("link", name="Ask for a contact").click()
    page.get_by_label("Purpose").select_option(label="Supplier or subcontractor")
    page.get_by_label("Message").fill("We need laser cladding for pump shafts.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("status")).to_contain_text("Your request was sent")

    log_in(page, base, "manager-b@example.org")
    page.get_by_role("link", name="Find partners").click()
    page.get_by_role("link", name="Requests to my cluster").click()
    page.get_by_role("link", name="Yew Works Oy").click()
    page.get_by_label("Release the contact email").check()
    page.get_by_label("Note to the requester").fill("Yrjö's team expects you.")
    page.get_by_role("button", name="Forward", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("The request was forwarded")

    log_in(page, base, "coord-a@example.org")
    page.goto(f"{base}/find/requests/sent/")
    page.get_by_role("link", name="Yew Works Oy").click()
    released = page.get_by_role("region", name="Contact released by the cluster")
    expect(released).to_contain_text("yew@member.example")
    expect(released).to_contain_text("Yrjö's team expects you.")
    expect(page.get_by_text("+358 40 000 0000")).to_have_count(0)
    expect(page.get_by_text("Yrjö Yew")).to_have_count(0)


def test_a_gap_suggestion_sends_an_invitation(page, live_server, find_world):
    beta_cluster, chain = find_world
    base = live_server.url
    log_in(page, base, "coord-a@example.org")
    page.goto(f"{base}/value-chains/{chain.pk}/")
    suggestions = page.get_by_role("region", name="Who could cover the stages nobody covers")
    expect(suggestions).to_contain_text("Beta Cluster")
    suggestions.get_by_role("button", name="Invite to the partnership — Beta Cluster").click()
    expect(page.get_by_role("status").first).to_contain_text("Beta Cluster is invited")
    invitation = PartnerInvitation.objects.get()
    assert invitation.cluster == beta_cluster and invitation.state == "pending"
