"""List pages and endpoints read a fixed number of queries whatever the number of rows."""

import pytest
from django.urls import reverse

from escp_portal.accounts.models import Role
from partnerships.models import Partner
from tests import factories
from tests.test_query_budgets import BUDGETS

pytestmark = pytest.mark.django_db

# The same budget for 5 rows and for 200: a query per row would break it at once. The largest
# page today reads 10 (session, user, roles, count, rows, prefetches, filter choices).
LIST_BUDGET = 10
# The home page is the role dashboard: its budget and the reason are in test_query_budgets.
HOME_BUDGET = BUDGETS["home"]


def build(n: int):
    countries = ["DE", "FR", "IT", "ES", "PL", "SE"]
    clusters = [factories.cluster(f"C{i}", countries[i % len(countries)]) for i in range(n)]
    first = None
    for i in range(n):
        p = factories.partnership(
            f"Q{i:03d}", coordinator=clusters[i], partners=[clusters[(i + 1) % n]]
        )
        first = first or p
    return first


def viewers():
    return {
        "anonymous": None,
        "coordinator": lambda p: factories.user(role=Role.COORDINATOR, scope=p),
        "officer": lambda p: factories.user(role=Role.EC_OFFICER),
    }


@pytest.mark.parametrize("rows", [5, 200])
@pytest.mark.parametrize("viewer", ["anonymous", "coordinator", "officer"])
@pytest.mark.parametrize(
    "url",
    [
        reverse("partnerships:partnership_list"),
        reverse("partnerships:cluster_list"),
        reverse("home"),
        "/api/v1/partnerships/?page_size=200",
        "/api/v1/clusters/?page_size=200",
        "/api/v1/partners/?page_size=200",
        "/api/v1/programmes/",
    ],
)
def test_list_query_count_is_flat(client, django_assert_max_num_queries, rows, viewer, url):
    first = build(rows)
    make = viewers()[viewer]
    if make is not None:
        client.force_login(make(first))
    with django_assert_max_num_queries(HOME_BUDGET if url == "/" else LIST_BUDGET):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [5, 200])
def test_detail_page_query_count_is_flat(client, django_assert_max_num_queries, rows):
    first = build(2)
    for i in range(rows):
        Partner.objects.create(partnership=first, cluster=factories.cluster(f"Extra {i}", "NL"))
    with django_assert_max_num_queries(LIST_BUDGET):
        assert client.get(first.get_absolute_url()).status_code == 200


def build_members(n: int, cluster):
    from partnerships.models import ClusterMembership, Competence, Member

    tags = [Competence.objects.create(name=f"Skill {i}", slug=f"skill-{i}") for i in range(3)]
    members = Member.objects.bulk_create(
        [
            Member(name=f"M{i:04d}", country="DE", employees=i, export_markets=["US"])
            for i in range(n)
        ]
    )
    ClusterMembership.objects.bulk_create(
        [ClusterMembership(member=m, cluster=cluster) for m in members]
    )
    Member.competences.through.objects.bulk_create(
        [
            Member.competences.through(member=m, competence=tags[i % 3])
            for i, m in enumerate(members)
        ]
    )


@pytest.mark.parametrize("rows", [5, 500])
@pytest.mark.parametrize("viewer", ["manager", "coordinator"])
@pytest.mark.parametrize("kind", ["page", "api", "export"])
def test_member_lists_query_count_is_flat(
    client, django_assert_max_num_queries, world, rows, viewer, kind
):
    build_members(rows, world.cluster_a)
    client.force_login(world.manager_a if viewer == "manager" else world.coord_a)
    url = {
        "page": reverse("partnerships:member_list", args=[world.cluster_a.pk]),
        "api": "/api/v1/members/?page_size=200&sme=true",
        "export": reverse("partnerships:member_export", args=[world.cluster_a.pk, "csv"]),
    }[kind]
    with django_assert_max_num_queries(LIST_BUDGET):
        response = client.get(url)
    assert response.status_code == 200
