"""The SME status counts only enterprises, with the figures of their partner and linked
enterprises (issue #20, "Numbers that mean what they say")."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from partnerships.models import Member, MemberLink
from partnerships.models.members import is_sme_of, size_class_of
from partnerships.services.groups import link_add, link_remove
from partnerships.services.members import member_remove, member_update
from tests import factories

pytestmark = pytest.mark.django_db
M = Decimal(1_000_000)


@pytest.mark.parametrize("kind", ["university", "research", "public_body", "other"])
def test_a_body_that_is_not_an_enterprise_is_never_an_sme(kind):
    body = factories.member(kind=kind, employees=120, annual_turnover=8 * M)
    assert body.is_sme is False
    assert body.size_class == ""
    assert is_sme_of(120, 8 * M, None, kind) is False
    assert size_class_of(120, 8 * M, None, kind) == ""
    assert Member.objects.filter(is_sme=True).count() == 0


def test_a_university_turned_enterprise_follows_its_figures(world):
    member = factories.member(world.cluster_a, kind="university", employees=120)
    member = member_update(actor=world.manager_a, member=member, kind="enterprise")
    assert (member.is_sme, member.size_class) == (True, "medium")
    member = member_update(actor=world.manager_a, member=member, kind="research")
    assert (member.is_sme, member.size_class) == (False, "")


def test_linked_enterprises_count_in_full_both_ways(world):
    small = factories.member(world.cluster_a, employees=140, annual_turnover=20 * M)
    parent = factories.member(world.cluster_a, employees=150, annual_turnover=30 * M)
    assert small.is_sme and parent.is_sme
    link_add(actor=world.manager_a, member=small, other=parent, relation="linked")
    small.refresh_from_db()
    parent.refresh_from_db()
    # 290 persons together: neither is an SME any longer.
    assert (small.is_sme, small.size_class) == (False, "large")
    assert parent.is_sme is False
    assert small.group_employees == 150 and parent.group_employees == 140
    link_remove(actor=world.manager_a, link=MemberLink.objects.get())
    small.refresh_from_db()
    assert (small.is_sme, small.group_employees) == (True, 0)


def test_partner_enterprises_count_in_proportion_to_the_share(world):
    firm = factories.member(world.cluster_a, employees=200, annual_turnover=40 * M)
    holder = factories.member(world.cluster_a, employees=100, annual_turnover=30 * M)
    link_add(actor=world.manager_a, member=firm, other=holder, relation="partner", share=40)
    firm.refresh_from_db()
    # 200 + 40 % of 100 = 240 persons, 40 + 12 = EUR 52 m turnover and no balance sheet.
    assert firm.group_employees == 40
    assert firm.group_turnover == 12 * M
    assert firm.is_sme is False
    # The partner's figures follow when they change.
    member_update(actor=world.manager_a, member=holder, annual_turnover=10 * M)
    firm.refresh_from_db()
    assert firm.group_turnover == 4 * M
    assert firm.is_sme is True
    # The holder goes: the firm is tested alone again.
    member_remove(actor=world.manager_a, member=holder, cluster=world.cluster_a)
    firm.refresh_from_db()
    assert (firm.group_employees, firm.is_sme) == (0, True)


def test_links_are_between_enterprises_and_partners_give_their_share(world):
    firm = factories.member(world.cluster_a, employees=20)
    university = factories.member(world.cluster_a, kind="university", employees=900)
    with pytest.raises(ValidationError) as error:
        link_add(actor=world.manager_a, member=firm, other=university, relation="linked")
    assert "Only enterprises" in str(error.value)
    other = factories.member(world.cluster_a, employees=20)
    for share in (None, 10, 60):
        with pytest.raises(ValidationError, match="25 % to 50 %"):
            link_add(
                actor=world.manager_a, member=firm, other=other, relation="partner", share=share
            )
    with pytest.raises(ValidationError):
        link_add(actor=world.manager_a, member=firm, other=firm, relation="linked")


def test_a_manager_links_only_members_they_may_edit(world):
    mine = factories.member(world.cluster_a, employees=20)
    theirs = factories.member(world.cluster_x, employees=20)
    with pytest.raises(Exception) as refused:
        link_add(actor=world.manager_a, member=mine, other=theirs, relation="linked")
    assert "Permission" in type(refused.value).__name__
    assert not MemberLink.objects.exists()


def test_the_api_and_the_import_cannot_make_a_university_an_sme(client, world):
    client.force_login(world.manager_a)
    response = client.post(
        "/api/v1/members/bulk/",
        {
            "cluster": world.cluster_a.pk,
            "rows": [
                {
                    "name": "Technical University",
                    "kind": "university",
                    "country": "DE",
                    "employees": "120",
                    "is_sme": True,
                    "size_class": "medium",
                }
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    university = Member.objects.get(name="Technical University")
    assert (university.is_sme, university.size_class) == (False, "")
    shown = client.get(f"/api/v1/members/{university.pk}/").json()
    assert (shown["is_sme"], shown["size_class"]) == (False, "")


def test_the_member_page_says_why_a_university_is_not_an_sme(client, world):
    university = factories.member(world.cluster_a, kind="university", employees=120)
    client.force_login(world.manager_a)
    page = client.get(university.get_absolute_url()).content.decode()
    assert "Only an enterprise can be an SME" in page
    assert "Medium" not in page
