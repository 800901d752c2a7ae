"""No page renders a long list of choices (issue #19): every select of every page of the access
matrix, for every role, has at most 100 options; countries, NACE codes and cluster
organisations are searchable fields (``escp_portal.choices``)."""

import re

import pytest

from tests.security.conftest import ROLES, two_of_everything
from tests.security.test_access_matrix import _client_for
from tests.security.test_get_writes_nothing import _gets

pytestmark = pytest.mark.django_db

MAX_OPTIONS = 100
SELECT = re.compile(r"<select\b[^>]*\bname=\"([^\"]+)\"[^>]*>(.*?)</select>", re.S)


def test_no_page_has_a_select_of_more_than_100_options(client, world):
    s = two_of_everything(world)
    pages, long = 0, {}
    for name, url in _gets(s):
        if name.startswith("api:"):
            continue
        for role in ROLES:
            _client_for(client, s, role, token=False)
            response = client.get(url)
            if response.streaming or "html" not in response.get("Content-Type", ""):
                continue
            pages += 1
            for field, options in SELECT.findall(response.content.decode()):
                count = options.count("<option")
                if count > MAX_OPTIONS:
                    long.setdefault(f"{name} {field}", f"{count} options ({role}, {url})")
    assert pages > 300, f"only {pages} pages were rendered"
    assert long == {}
