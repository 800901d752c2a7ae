"""Consent in a browser: a coordinator invites a cluster; its manager accepts on the
"Invitations" page and the coordinator then sees the cluster's members — or declines, and the
members stay out of the partnership's reach."""

import pytest
from playwright.sync_api import expect

from escp_portal.accounts.models import Role
from tests import factories
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def consent_world(transactional_db):
    lone = factories.cluster("Lone Cluster", "PL")
    factories.member(lone, "Xylo Oy", employees=10)
    home = factories.cluster("Alpha Two", "FR")
    alpha = factories.partnership("ALPHA", coordinator=home)
    factories.user("coord-a@example.org", role=Role.COORDINATOR, scope=alpha)
    factories.user("manager-x@example.org", role=Role.CLUSTER_MANAGER, scope=lone)
    return alpha, lone


def log_in(page, base, email):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("form[action$='/logout/'] button")).to_be_visible()


def invite(page, base, alpha):
    log_in(page, base, "coord-a@example.org")
    page.goto(f"{base}/partnerships/{alpha.pk}/")
    page.get_by_role("link", name="Invite a partner").click()
    page.get_by_label("Cluster organisation").fill("Lone Cluster")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Lone Cluster was invited")


def members_page(page, base, lone):
    return page.goto(f"{base}/clusters/{lone.pk}/members/")


def test_manager_accepts_and_the_coordinator_sees_the_members(page, live_server, consent_world):
    alpha, lone = consent_world
    base = live_server.url
    invite(page, base, alpha)
    assert members_page(page, base, lone).status == 404  # pending: the public profile only

    log_in(page, base, "manager-x@example.org")
    page.get_by_role("link", name="Invitations", exact=True).click()
    expect(page.get_by_text("Lone Cluster is invited to ALPHA")).to_be_visible()
    page.get_by_role("button", name="Accept ALPHA").click()
    expect(page.get_by_role("status")).to_contain_text("The invitation was accepted")

    log_in(page, base, "coord-a@example.org")
    assert members_page(page, base, lone).status == 200
    expect(page.get_by_role("link", name="Xylo Oy")).to_be_visible()


def test_manager_declines_and_the_members_stay_hidden(page, live_server, consent_world):
    alpha, lone = consent_world
    base = live_server.url
    invite(page, base, alpha)

    log_in(page, base, "manager-x@example.org")
    page.get_by_role("link", name="Invitations", exact=True).click()
    page.get_by_role("button", name="Decline ALPHA").click()
    expect(page.get_by_role("status")).to_contain_text("The invitation was declined")

    log_in(page, base, "coord-a@example.org")
    assert members_page(page, base, lone).status == 404
    page.goto(f"{base}/clusters/{lone.pk}/")
    expect(page.get_by_role("heading", name="Lone Cluster")).to_be_visible()
    expect(page.get_by_text("Xylo Oy")).to_have_count(0)
