"""The programme pages and their exports read every partnership's rows through a subquery of
the partnerships the reader sees, not a list of their ids: a list of a thousand ids costs Django
a conversion per id and PostgreSQL a thousand parameters (the statistics page at programme
scale: 428 → 308 M instructions). Swept over the programme pages, their exports and their
API."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluation.tasks import recompute_all_scoreboards
from tests import factories

pytestmark = pytest.mark.django_db

MANY = 30
URLS = [
    "/statistics/",
    "/statistics/core-indicators/",
    "/statistics/core-indicators/?by=partner_country",
    "/statistics/core-indicators/?by=target_country",
    "/statistics/core-indicators/?by=generation",
    "/statistics/core-indicators/?by=year",
    "/statistics/core-indicators.xlsx",
    "/oversight/",
    "/oversight/?phase=implementation&silent=1",
    "/oversight.xlsx",
    "/oversight.csv",
    "/api/v1/statistics/",
    "/api/v1/core-indicators/?by=partner_country",
    "/api/v1/oversight/",
]


def longest_in_list(sql: str) -> int:
    """The most values any ``IN (…)`` of the statement lists (a subquery counts as none)."""
    lists = re.findall(r"\bIN \(([^()]*)\)", sql)
    return max((len(values.split(",")) for values in lists if "SELECT" not in values), default=0)


@pytest.mark.parametrize("url", URLS)
def test_a_programme_page_lists_no_partnership_ids(client, world, url):
    home = factories.cluster("Gamma Cluster", "FR")
    for _ in range(MANY):
        factories.partnership(coordinator=home)
    recompute_all_scoreboards()  # the stored figures the pages read
    client.force_login(world.officer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    longest = max(longest_in_list(query["sql"]) for query in queries.captured_queries)
    assert longest < MANY, f"{url} lists {longest} values in one IN"
