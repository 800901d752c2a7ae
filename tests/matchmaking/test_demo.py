"""The demo shows every part of finding partners: members the demo manager made findable, a
value-chain stage nobody covers with suggestions, an open post with an answer, a forwarded
contact request; loaded twice, nothing changes."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from escp_portal.accounts.models import User
from matchmaking.demo import NOTE, POST, STAGE
from matchmaking.models import ContactRequest, FindableProfile, PartnerRequest
from strategy.models import ValueChainStage

pytestmark = pytest.mark.django_db


def test_the_demo_has_something_on_every_page_of_finding_partners():
    call_command("load_demo", stdout=io.StringIO())
    counts = [FindableProfile.objects.count(), PartnerRequest.objects.count()]
    call_command("load_demo", stdout=io.StringIO())
    assert [FindableProfile.objects.count(), PartnerRequest.objects.count()] == counts
    manager = User.objects.get(email="manager@demo.escp.eu")
    coordinator = User.objects.get(email="coordinator@demo.escp.eu")
    assert counts[0] >= 12
    assert set(FindableProfile.objects.values_list("set_by", flat=True)) == {manager.pk}

    client = Client()
    client.force_login(coordinator)
    search = client.get(reverse("matchmaking:search"), {"competence": "cybersecurity"})
    assert "(demo)" in search.content.decode() and search.context["results"]

    stage = ValueChainStage.objects.get(name=STAGE[0])
    assert not stage.assignments.exists()
    page = client.get(stage.chain.get_absolute_url())
    (section,) = page.context["chain_sections"]
    gap = next(g for g in section["gaps"] if g.stage == stage)
    assert gap.suggestions and any(s.is_member for s in gap.suggestions)

    post = PartnerRequest.objects.get(title=POST)
    assert post.is_open and post.answers.get().author == manager
    assert "we can introduce them" in client.get(post.get_absolute_url()).content.decode()

    request = ContactRequest.objects.get(requester=coordinator)
    assert request.status == "forwarded" and request.released_email
    assert NOTE in client.get(request.get_absolute_url()).content.decode()
    client.force_login(manager)
    received = client.get(reverse("matchmaking:contact_requests_received")).content.decode()
    assert "Forwarded" in received
