"""The demo shows the three actions of issue #20 on AdPack2: a shared draft with comments and
endorsements, a meeting log, the partners' expectations and commitments, a balance view that
names an imbalance, and a collective trademark project with licensed members."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from escp_portal.accounts.models import User
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def test_the_demo_shows_coordination_balance_and_the_collective_mark():
    call_command("load_demo", stdout=io.StringIO())
    adpack2 = Partnership.objects.get(acronym="AdPack2")
    client = Client()
    client.force_login(User.objects.get(email="coordinator@demo.escp.eu"))
    draft = client.get(f"/partnerships/{adpack2.pk}/strategy/?version=2").content.decode()
    assert "2 of 6 partners endorsed it" in draft and "recyclable trays too" in draft
    meetings = client.get(f"/partnerships/{adpack2.pk}/meetings/").content.decode()
    assert "Steering committee: the collective mark (demo)" in meetings
    balance = client.get(f"/partnerships/{adpack2.pk}/balance/").context
    assert any(i.key == "tasks" and i.direction == "high" for i in balance["imbalances"])
    expectations = client.get(f"/partnerships/{adpack2.pk}/expectations/").content.decode()
    assert "Meet packaging buyers in North America. (demo)" in expectations
    trademark = adpack2.trademarks.get()
    assert trademark.licences.count() == 3
    client.force_login(User.objects.get(email="manager@demo.escp.eu"))
    page = client.get(trademark.get_absolute_url()).content.decode()
    # Two licensed members of the manager's cluster by name; the coordinator's one is not theirs.
    assert page.count("A member company (not shown to you)") == 1
