"""A GET never writes: every page, endpoint and export of the access matrix, asked by every
role (with a session, and for the API also with a token), runs no INSERT, UPDATE or DELETE.

The only writes a GET may cause are those of being signed in, on the tables that keep that
state (the session, knox's token expiry, axes' login records); the session is opened before the
queries are captured. Reads that compute something (a scoreboard never computed, say) compute
it without saving it: saving is for the jobs and for an explicit POST.
"""

import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.security.conftest import ROLES, two_of_everything
from tests.security.test_access_matrix import MATRIX, _client_for, kw

pytestmark = pytest.mark.django_db

WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?',
    re.IGNORECASE,
)
# The state of being signed in: written by the login, and by a request that refreshes it.
SIGNED_IN_STATE = {
    "django_session",
    "knox_authtoken",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
}
# URLs the matrix asks with a made-up key, which no role gets: here also with a real one, so
# that the answer with the data is swept too (the calendar feeds, the evidence file).
REAL_KEYS = {
    "missions:feed": kw(token=lambda s: s.world.coord_a.calendar_token),
    "missions:partnership_feed": kw(
        token=lambda s: s.world.coord_a.calendar_token, pk=lambda s: s.world.a.pk
    ),
}


def _forget_scoreboard(partnership):
    from evaluation.models import KPIStatus, ScoreboardSnapshot

    KPIStatus.objects.filter(partnership=partnership).delete()
    ScoreboardSnapshot.objects.filter(partnership=partnership).delete()


def _gets(s):
    """(name, url) of every GET of the matrix, and of the real-key variants."""
    for name, (make_kwargs, answers) in sorted(MATRIX.items()):
        if not answers:
            continue
        yield name, reverse(name, kwargs=make_kwargs(s))
        if name in REAL_KEYS:
            yield f"{name} (real key)", reverse(name, kwargs=REAL_KEYS[name](s))


def _writes(queries) -> list[str]:
    found = []
    for query in queries:
        match = WRITE.match(query["sql"])
        if match and match.group(1).lower() not in SIGNED_IN_STATE:
            found.append(query["sql"][:160])
    return found


@pytest.mark.parametrize("scoreboard", ["computed", "never computed"])
def test_no_get_writes(client, s, scoreboard):
    if scoreboard == "never computed":
        # Partnership A's scoreboard pages and endpoint then compute what they show.
        _forget_scoreboard(s.world.a)
    asked, offenders = 0, {}
    for name, url in _gets(s):
        for role in ROLES:
            tokens = [False, True] if name.startswith("api:") and role != "anonymous" else [False]
            for token in tokens:
                headers = _client_for(client, s, role, token)
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url, **headers)
                    if response.streaming:
                        b"".join(response.streaming_content)
                asked += 1
                writes = _writes(queries.captured_queries)
                if writes:
                    offenders[f"{name} as {role}{' (token)' if token else ''}"] = writes
    assert asked > 800, f"only {asked} GETs were asked"
    assert not offenders, "GETs that write:\n" + "\n".join(
        f"{who}: {sql}" for who, sql in offenders.items()
    )


def test_a_scoreboard_never_computed_is_shown_without_being_saved(client, s):
    """The case the sweep above is after: a partnership whose scoreboard was never computed."""
    from evaluation.models import KPIStatus, ScoreboardSnapshot

    _forget_scoreboard(s.world.a)
    _client_for(client, s, "coord_a", token=False)
    urls = [
        reverse("evaluation:scoreboard", args=[s.world.a.pk]),
        reverse("evaluation:scoreboard_export", args=[s.world.a.pk, "xlsx"]),
        reverse("evaluation:scoreboard_export", args=[s.world.a.pk, "pdf"]),
        reverse("api:scoreboard", args=[s.world.a.pk]),
    ]
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        assert not _writes(queries.captured_queries), url
    assert not KPIStatus.objects.filter(partnership=s.world.a).exists()
    assert not ScoreboardSnapshot.objects.filter(partnership=s.world.a).exists()
    page = client.get(urls[0])
    assert [row.kpi_id for row in page.context["statuses"]] == [s.a.kpi.pk]
    assert "No scoreboard computed yet." in page.content.decode()
    api = client.get(urls[-1]).json()
    assert [row["name"] for row in api["kpis"]] == ["KPI ALPHA"] and api["history"] == []


@pytest.fixture
def s(world):
    """The access matrix's data, with an evidence file behind the measurement."""
    data = two_of_everything(world)
    data.a.measurement.evidence_file.save("evidence.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return data
