"""Query budgets: what every page, endpoint and export of the access matrix may cost in database
queries, counting everything a request does (session, user, role assignments, the page itself).

Each GET is asked by every role the matrix lets in (with a session, and for the API also with a
token) and must stay within its budget. Then ``grow`` adds 30 more of everything (members,
partners, KPIs with measurements, missions with participants and outcomes, history...) and
every URL is asked again: none may cost more, so the budgets hold at any scale. A URL that is
not in the table fails the test, as a URL missing from the access matrix does.
"""

from functools import partial

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse

from evaluation.tasks import recompute_all_scoreboards
from tests.query_growth import derived_kpi, grow
from tests.security.conftest import ROLES, two_of_everything
from tests.security.test_access_matrix import MATRIX, OK, _client_for, _names, kw

pytestmark = pytest.mark.django_db

# The target for every list and detail, counting the session, the user and their roles
# (3 queries of every signed-in page; a token costs 2: the token with its user and scope, the
# roles; expired tokens are swept by a job, not on every request).
TARGET = 10
# Above the target, with the reason.
ABOVE_TARGET: dict[str, str] = {
    "home": "not a list or a detail but the role dashboard: one query per panel (reports late, "
    "values to review, tasks, missions without outcomes, reviews, next missions; member "
    "freshness, open registrations; the oversight's three for partnerships silent or at risk), "
    "each flat as the data grows; ended partnerships' items come in the same queries; the funding "
    "calls that fit the coordinator's partnerships (their partnerships, the open calls and their "
    "sectors, the sectors, clusters' countries and NACE codes, target markets and objectives "
    "they are matched on: seven queries for any number of partnerships and calls)",
    "strategy:value_chain": "the chain's page, and for the stages nobody covers who could cover "
    "them (matchmaking's section): the findable members and the clusters of other partnerships "
    "that fit, two queries for every such stage at once (three when a stage of several words "
    "has too few members holding two of them)",
    "strategy:balance": "one grouped query per column of the balance (tasks, reports on time, "
    "missions organised, missions joined, outcomes; the missions' own columns map clusters to "
    "partners with one more each), flat as the data grows",
    "api:balance": "the balance page's queries (strategy:balance), as JSON",
}
POST_ONLY = None

# name -> the most queries any role that gets it may spend (POST_ONLY: no GET to measure).
BUDGETS = {
    "home": 21,  # +7: the funding calls that fit the coordinator's partnerships
    "health": 5,
    "favicon": 3,  # a redirect: the session's reads of a signed-in reader at most
    "choices": 3,  # the suggestions endpoint, asked without a search (tests/test_choices.py)
    "set_language": POST_ONLY,
    "accounts:login": 0,
    "accounts:logout": POST_ONLY,
    "accounts:password_reset": 3,
    "accounts:password_reset_done": 3,
    "accounts:password_reset_confirm": 4,
    "accounts:password_reset_complete": 3,
    "accounts:tokens": 5,  # + the partnerships (or clusters) a new token may be limited to
    "webhooks:list": 6,
    "webhooks:detail": 6,
    "webhooks:action": POST_ONLY,
    "webhooks:redeliver": POST_ONLY,
    "accounts:preferences": 3,
    "accounts:token_revoke": POST_ONLY,
    "accounts:invitations": 10,
    "accounts:invite": 10,
    "accounts:invitation_action": POST_ONLY,
    "accounts:invitation": 10,
    "partnerships:invitations": 10,
    "partnerships:partner_invitation_action": POST_ONLY,
    "partnerships:partner_end_sharing": POST_ONLY,
    "partnerships:partnership_list": 8,
    "partnerships:partnership_detail": 8,  # +1: missions and outcomes by country (its world map)
    "partnerships:partnership_edit": 6,
    "partnerships:partnership_history": 8,
    "partnerships:partner_add": 5,
    "partnerships:partner_edit": 6,
    "partnerships:partner_remove": 4,
    "partnerships:cluster_list": 7,  # +1: the clusters by country (its map)
    "partnerships:cluster_add": 4,
    "partnerships:cluster_detail": 10,
    "partnerships:cluster_edit": 6,
    "partnerships:member_list": 9,
    "partnerships:member_export": 8,
    "partnerships:member_template": 4,
    "partnerships:member_add": 4,
    "partnerships:member_import": 5,
    "partnerships:member_import_detail": 4,
    "partnerships:member_import_status": 4,
    "partnerships:member_detail": 8,
    "partnerships:member_edit": 10,
    "partnerships:member_remove": POST_ONLY,
    "partnerships:member_join": POST_ONLY,
    "partnerships:member_erase": 8,
    "partnerships:member_personal_data": 9,
    "strategy:overview": 10,
    "strategy:strategy_create": POST_ONLY,
    "strategy:strategy_edit": 5,
    "strategy:strategy_action": POST_ONLY,
    "strategy:objective_add": 6,
    "strategy:objective_detail": 9,
    "strategy:objective_edit": 6,
    "strategy:kpi_add": 7,  # +1: the core indicators to choose from
    "strategy:task_add": 5,
    "strategy:kpi_detail": 10,
    "strategy:kpi_edit": 7,  # +1: the core indicators to choose from
    "strategy:kpi_report": 10,
    "strategy:kpi_milestones": POST_ONLY,
    "strategy:measurement_review": POST_ONLY,
    "strategy:task_edit": 7,
    "strategy:evidence": 4,
    "strategy:reporting": 8,
    "strategy:indicators": 8,
    "strategy:value_chains": 6,
    "strategy:value_chain": 13,  # +2 or 3: suggestions for the uncovered stages (ABOVE_TARGET)
    "strategy:markets": 6,
    "strategy:market": 6,
    "missions:calendar": 6,
    "missions:overlaps": 4,
    "missions:mission_detail": 7,
    "missions:mission_edit": 5,
    "missions:mission_ics": 4,
    "missions:mission_add": 5,
    "missions:outcomes": 8,
    "missions:export_groups": 7,
    "missions:participation_action": POST_ONLY,
    "missions:feed": 3,
    "missions:partnership_feed": 4,
    # --- B2B meetings at missions (the B2B block) ---
    "missions:meetings": 8,  # mission, figures, participants, competences, counterparts, meetings
    "missions:meetings_schedule": POST_ONLY,
    "missions:meeting_settings_edit": 5,
    "missions:counterpart_add": 4,
    "missions:counterpart_edit": 5,
    "missions:offers_edit": 8,
    "missions:agenda": 5,
    "missions:agenda_pdf": 5,
    "missions:agenda_ics": 5,
    "missions:meeting_action": POST_ONLY,
    "missions:meeting_follow_up_edit": 7,
    "missions:meeting_outcome": POST_ONLY,
    "evaluation:scoreboard": 10,
    "evaluation:scoreboard_export": 6,
    "evaluation:targets": 10,
    "evaluation:targets_export": 10,
    "evaluation:statistics": 10,
    "evaluation:core_indicators": 10,
    "evaluation:core_indicators_export": 10,
    "evaluation:oversight": 7,
    "evaluation:oversight_export": 6,
    "evaluation:review_create": POST_ONLY,
    "api:api-root": 2,
    "api:schema": 3,
    "api:docs": 3,
    "api:auth-token": POST_ONLY,
    "api:me": 3,
    "api:scoreboard": 6,
    "api:statistics": 9,
    "api:core-indicators": 4,
    "api:oversight": 6,
    "api:programme-list": 5,
    "api:programme-detail": 4,
    "api:partnership-list": 7,
    "api:partnership-detail": 7,  # +1: its many-to-many choices for the ETag
    "api:cluster-list": 6,
    "api:cluster-detail": 6,  # +1: its many-to-many choices for the ETag
    "api:partner-list": 5,
    "api:partner-detail": 4,
    "api:partner-end-sharing": POST_ONLY,
    "api:partnerinvitation-list": 10,
    "api:partnerinvitation-detail": 10,
    "api:partnerinvitation-accept": POST_ONLY,
    "api:partnerinvitation-decline": POST_ONLY,
    "api:partnerinvitation-revoke": POST_ONLY,
    "api:invitation-list": 10,
    "api:invitation-detail": 10,
    "api:invitation-revoke": POST_ONLY,
    "api:invitation-confirm": POST_ONLY,
    "api:invitation-refuse": POST_ONLY,
    "api:invitation-accept": POST_ONLY,
    "api:invitation-decline": POST_ONLY,
    "api:member-list": 8,
    "api:member-bulk": POST_ONLY,
    "api:member-detail": 8,  # +1: its many-to-many choices for the ETag
    "api:member-erase": POST_ONLY,
    "api:member-personal-data": 8,
    "api:strategy-list": 5,
    "api:strategy-detail": 4,
    "api:strategy-adopt": POST_ONLY,
    "api:strategy-revise": POST_ONLY,
    "api:objective-list": 5,
    "api:objective-detail": 4,
    "api:kpi-list": 8,
    "api:kpi-detail": 6,
    "api:measurement-list": 7,  # +1: the parts of the values (breakdowns)
    "api:measurement-bulk": POST_ONLY,
    "api:measurement-detail": 6,  # +1: the parts of the value (breakdowns)
    "api:measurement-approve": POST_ONLY,
    "api:measurement-return-": POST_ONLY,
    "api:task-list": 6,
    "api:task-detail": 6,  # +1: its many-to-many choices for the ETag
    "api:targetmarket-list": 5,
    "api:targetmarket-detail": 4,
    "api:marketstudy-list": 5,
    "api:marketstudy-detail": 4,
    "api:valuechain-list": 8,
    "api:valuechain-detail": 7,
    "api:mission-list": 5,
    "api:mission-overlaps": 4,
    "api:mission-detail": 4,
    "api:participation-list": 5,
    "api:participation-detail": 4,
    "api:participation-cancel": POST_ONLY,
    "api:participation-confirm": POST_ONLY,
    "api:outcome-list": 6,
    "api:outcome-detail": 6,  # +1: its many-to-many choices for the ETag
    "api:exportgroup-list": 6,
    "api:exportgroup-detail": 6,  # +1: its many-to-many choices for the ETag
    # --- B2B meetings (the B2B block) ---
    "api:meetingprofile-list": 6,
    "api:meetingprofile-detail": 6,  # +1: its competences for the ETag
    "api:counterpart-list": 5,
    "api:counterpart-detail": 4,
    "api:meeting-list": 5,
    "api:meeting-detail": 4,
    "api:meeting-accept": POST_ONLY,
    "api:meeting-decline": POST_ONLY,
    "api:meeting-withdraw": POST_ONLY,
    "api:meeting-outcome": POST_ONLY,
    "api:mission-schedule-meetings": POST_ONLY,
    "api:participation-agenda": 5,
    "api:token-list": 5,
    "api:webhook-list": 5,
    "api:webhook-detail": 4,
    "api:webhook-deliveries": 6,
    "api:webhook-resume": POST_ONLY,
    "api:webhook-ping": POST_ONLY,
    "api:webhook-redeliver": POST_ONLY,
    "api:token-detail": 4,
    "api:roleassignment-list": 5,
    "api:deletion-list": 6,
    "api:roleassignment-detail": 4,
    # --- finding partners (matchmaking) ---
    "matchmaking:search": 10,
    "matchmaking:findability": 10,
    "matchmaking:profile_edit": 10,
    "matchmaking:contact_request_create": 10,
    "matchmaking:contact_requests": 10,
    "matchmaking:contact_requests_received": 10,
    "matchmaking:contact_request_detail": 10,
    "matchmaking:partner_requests": 10,
    "matchmaking:partner_request_add": 10,
    "matchmaking:partner_request_detail": 10,
    "matchmaking:partner_request_edit": 10,
    "matchmaking:partner_request_close": POST_ONLY,
    "matchmaking:gap_action": POST_ONLY,
    "matchmaking:export_group_suggestions": 10,
    # --- brokers and investment (opportunities) ---
    "opportunities:brokers": 10,
    "opportunities:broker_edit": 10,
    "opportunities:broker_erase": POST_ONLY,
    "opportunities:opportunities": 10,
    "opportunities:opportunity_add": 10,
    "opportunities:opportunity_edit": 10,
    "opportunities:opportunity_agree": 10,
    "opportunities:investors": 10,
    "opportunities:investor_edit": 10,
    "opportunities:investor_erase": POST_ONLY,
    "opportunities:projects": 10,
    "opportunities:project_edit": 10,
    "api:broker-list": 10,
    "api:broker-detail": 10,
    "api:broker-erase": POST_ONLY,
    "api:opportunity-list": 10,
    "api:opportunity-detail": 10,
    "api:opportunity-agree": POST_ONLY,
    "api:investorcontact-list": 10,
    "api:investorcontact-detail": 10,
    "api:investorcontact-erase": POST_ONLY,
    "api:investmentproject-list": 10,
    "api:investmentproject-detail": 10,
    "api:partner-search": 10,
    "api:findableprofile-list": 10,
    "api:findableprofile-detail": 10,
    "api:contactrequest-list": 10,
    "api:contactrequest-detail": 10,
    "api:contactrequest-forward": POST_ONLY,
    "api:contactrequest-decline": POST_ONLY,
    "api:contactrequest-withdraw": POST_ONLY,
    "api:partnerrequest-list": 10,
    "api:partnerrequest-detail": 10,
    "api:partnerrequest-close": POST_ONLY,
    "api:partnerrequest-answers": 10,
    # --- vouchers and EU funding (the funding block) ---
    "funding:schemes": 5,
    "funding:scheme_detail": 6,
    "funding:scheme_edit": 5,
    "funding:ledger_export": 5,
    "funding:voucher_status": POST_ONLY,
    "funding:calls": 7,
    "funding:call_add": 4,
    "funding:call_detail": 5,
    "funding:call_edit": 7,
    "funding:partnership_calls": 10,
    "api:voucherscheme-list": 5,
    "api:voucherscheme-detail": 4,
    "api:voucher-list": 5,
    "api:voucher-detail": 4,
    "api:voucher-status": POST_ONLY,
    "api:voucher-bulk": POST_ONLY,
    "api:fundingcall-list": 6,
    "api:fundingcall-detail": 6,
    "api:funding-call-matching": 10,
    # --- inclusive coordination, balance, collective trademark (the coordination block) ---
    "strategy:strategy_feedback": 10,
    "strategy:coordination_meetings": 10,
    "strategy:coordination_meeting_add": 10,
    "strategy:coordination_meeting": 10,
    "strategy:coordination_meeting_edit": 10,
    "strategy:decision_add": 10,
    "strategy:balance": 14,
    "strategy:trademarks": 10,
    "strategy:trademark_start": 10,
    "strategy:trademark": 10,
    "strategy:licence_add": 10,
    "partnerships:expectations": 10,
    "partnerships:expectation_add": 10,
    "partnerships:expectation_edit": 10,
    "api:strategy-share": POST_ONLY,
    "api:strategyfeedback-list": 10,
    "api:strategyfeedback-detail": 10,
    "api:partnershipmeeting-list": 10,
    "api:partnershipmeeting-detail": 10,
    "api:decision-list": 10,
    "api:decision-detail": 10,
    "api:partnerexpectation-list": 10,
    "api:partnerexpectation-detail": 10,
    "api:trademark-list": 10,
    "api:trademark-detail": 10,
    "api:trademarklicence-list": 10,
    "api:trademarklicence-detail": 10,
    "api:balance": 14,
}

# URLs the matrix asks with a made-up key, which no role gets: here with a real one. The
# calendar feeds anonymously (the key is the credential), the evidence file by insiders.
OVERRIDES = {
    "missions:feed": (kw(token=lambda s: s.world.coord_a.calendar_token), {"anonymous": OK}),
    "missions:partnership_feed": (
        kw(token=lambda s: s.world.coord_a.calendar_token, pk=lambda s: s.world.a.pk),
        {"anonymous": OK},
    ),
    "strategy:evidence": (
        kw(pk=lambda s: s.a.measurement.pk),
        {"coord_a": OK, "manager_a": OK, "officer": OK},
    ),
}
GETS = sorted(name for name, budget in BUDGETS.items() if budget is not POST_ONLY)


@pytest.fixture
def s(world):
    """The access matrix's data, with an evidence file and a KPI derived from a source."""
    data = two_of_everything(world)
    data.a.measurement.evidence_file.save("evidence.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    derived_kpi(data.a.objective, "Members of the partners")
    return data


def test_every_url_has_a_budget():
    names = set(_names(get_resolver().url_patterns))
    missing = sorted(names - set(BUDGETS))
    assert not missing, f"give these a query budget: {missing}"
    assert not sorted(set(BUDGETS) - names), "the budgets name URLs that do not exist"
    for name, budget in BUDGETS.items():
        gets = bool(MATRIX[name][1]) or name in OVERRIDES
        assert (budget is POST_ONLY) == (not gets), f"{name}: a GET has a budget, a POST none"
        if budget is not POST_ONLY and name not in ABOVE_TARGET:
            assert budget <= TARGET, f"{name}: {budget} queries, more than {TARGET}"


def _callers(name):
    """(role, token) of every caller that gets the URL with a 200."""
    answers = (
        OVERRIDES[name][1] if name in OVERRIDES else dict(zip(ROLES, MATRIX[name][1], strict=True))
    )
    for role, answer in answers.items():
        if answer == OK:
            yield role, False
            if name.startswith("api:") and role != "anonymous":
                yield role, True


def _url(name, s):
    make_kwargs = OVERRIDES[name][0] if name in OVERRIDES else MATRIX[name][0]
    return reverse(name, kwargs=make_kwargs(s))


def _get(client, s, url, role, token, counter):
    headers = _client_for(client, s, role, token)
    with counter() as queries:
        response = client.get(url, **headers)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == OK, (url, role, token, response.status_code)
    return queries


def _caller(role, token):
    return f"{role} (token)" if token else role


@pytest.mark.parametrize("name", GETS)
def test_query_budget(client, s, name, django_assert_max_num_queries):
    url = _url(name, s)
    for role, token in _callers(name):
        counter = partial(
            django_assert_max_num_queries, BUDGETS[name], info=f"{name} as {_caller(role, token)}"
        )
        _get(client, s, url, role, token, counter)


def _counts(client, s):
    counter = partial(CaptureQueriesContext, connection)
    counts = {}
    for name in GETS:
        url = _url(name, s)
        for role, token in _callers(name):
            queries = _get(client, s, url, role, token, counter)
            counts[name, _caller(role, token)] = [q["sql"] for q in queries.captured_queries]
    return counts


def test_query_counts_do_not_grow_with_the_data(client, s, monkeypatch):
    # The programme pages read the figures the recompute jobs keep (the live fallback for a
    # partnership without them has its own budget above). The members reached are cached for a
    # few minutes; counted on every call here, so that both rounds pay for them alike (whether a
    # page finds them cached depends on which page asked first, not on the data).
    monkeypatch.setattr("evaluation.selectors.statistics.REACHED_SECONDS", 0)
    recompute_all_scoreboards()
    before = _counts(client, s)
    grow(s)
    recompute_all_scoreboards()
    after = _counts(client, s)
    grew = {
        key: f"{len(before[key])} -> {len(queries)}"
        for key, queries in after.items()
        if len(queries) > len(before[key])
    }
    details = "\n\n".join(f"{key}:\n" + "\n".join(after[key]) for key in list(grew)[:3])
    assert not grew, f"more queries with more data: {grew}\n\n{details}"


def _counting_queries(sqls):
    return [sql for sql in sqls if sql.lstrip().upper().startswith("SELECT COUNT(")]


def test_a_list_counts_its_rows_without_joining_what_it_sums(client, s):
    """A list's page count (the paginator's ``count()``) reads the rows it lists, not the
    registrations, values or members its rows are annotated with: an aggregate annotation
    turns the count into a grouped subquery over every joined row, which at programme scale
    costs more than the page itself."""
    grow(s)
    grouped = {
        key: sql
        for key, sqls in _counts(client, s).items()
        for sql in _counting_queries(sqls)
        if "GROUP BY" in sql.upper()
    }
    assert not grouped, "\n\n".join(f"{key}:\n{sql}" for key, sql in grouped.items())
