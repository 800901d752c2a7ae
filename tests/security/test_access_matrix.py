"""The access matrix: every page, endpoint and export of the URL conf and the API router, for
every role (and, for the API, each role's token), against what the access policy promises.

Each cell asserts the answer (200 / 302 to login / 401 / 403 / 404), and every answer is
searched for what the role must never see: another scope's companies, contacts, KPIs, missions,
draft partnerships. A URL that is not in the matrix fails the test, so a new endpoint cannot
slip in unchecked.
"""

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.conftest import ROLES

pytestmark = pytest.mark.django_db

# What each role must never find in any answer (bodies of pages, API responses and exports).
# Finding partners (matchmaking): a findable member's contacts reach nobody through the search or
# a contact request (only B's coordinator, through its cluster's member list); an answer to a post
# reaches only its poster; a contact request only its requester and the cluster's managers.
YEW = ["yew@member.example", "Yrjö Yew", "+358 40 111 2222"]
ROWAN = ["rowan@member.example"]
REQUEST = ["We look for laser cladding for turbine parts."]
ANSWER = ["Our members do that."]
SECRETS = {
    "anonymous": [
        *YEW,
        *ROWAN,
        *REQUEST,
        *ANSWER,
        "Yew Works Oy",
        "Rowan Tools SA",
        "Alder GmbH",
        "Birch SA",
        "Cedar AB",
        "Xylo Oy",
        "a@member.example",
        "b@member.example",
        "KPI ALPHA",
        "KPI BETA",
        "Voyage Alpha",
        "Voyage Beta",
        "DRAFTY",
    ],
    "coord_a": ["Birch SA", "b@member.example", "KPI BETA", "Task BETA", "Xylo Oy", *YEW],
    "coord_b": [
        *ROWAN,
        *REQUEST,
        *ANSWER,
        "Alder GmbH",
        "a@member.example",
        "KPI ALPHA",
        "Task ALPHA",
        "DRAFTY",
        "Cedar AB",
        "Xylo Oy",
    ],
    "manager_a": [
        *YEW,
        *REQUEST,
        *ANSWER,
        "Birch SA",
        "Cedar AB",  # a member of a partner cluster, not of theirs
        "b@member.example",
        "KPI BETA",
        "Task BETA",
        "Voyage Beta",
        "DRAFTY",
        "Xylo Oy",
    ],
    "manager_x": [
        *YEW,
        *ROWAN,
        *REQUEST,
        "Alder GmbH",
        "a@member.example",
        "Birch SA",
        "b@member.example",
        "KPI ALPHA",
        "KPI BETA",
        "Voyage Alpha",
        "Voyage Beta",
        "DRAFTY",
        "Cedar AB",
    ],
    "officer": [
        *YEW,
        *ROWAN,
        *REQUEST,
        *ANSWER,
        "Yew Works Oy",
        "Rowan Tools SA",
        "a@member.example",
        "b@member.example",
        "Alder GmbH",
        "Birch SA",
        "Cedar AB",
        "Xylo Oy",
    ],
}
# --- B2B meetings: a mission's local counterparts and its participants' offers stay with its
# partnership (EC officers read the figures); a counterpart's contact with the organiser's side.
B2B_A = ["Maplewood Foods", "buyer@maplewood.example", "Offers of A"]
B2B_B = ["Pinewood Foods", "buyer@pinewood.example", "Offers of B"]
for _role, _secrets in {
    "anonymous": B2B_A + B2B_B,
    "coord_a": B2B_B,
    "coord_b": B2B_A,
    "manager_a": ["buyer@maplewood.example", *B2B_B],  # sees A's counterpart, not its contact
    "manager_x": B2B_A + B2B_B,
    "officer": B2B_A + B2B_B,
}.items():
    SECRETS[_role] = SECRETS[_role] + _secrets

# --- vouchers and EU funding: a voucher's purpose (its project, naming the companies) stays with
# those who see the voucher; EC officers read the ledger's figures without it.
from tests.security.conftest import VOUCHER_A, VOUCHER_B  # noqa: E402

for _role, _secrets in {
    "anonymous": [VOUCHER_A, VOUCHER_B],
    "coord_a": [VOUCHER_B],
    "coord_b": [VOUCHER_A],
    "manager_a": [VOUCHER_B],
    "manager_x": [VOUCHER_A, VOUCHER_B],
    "officer": [VOUCHER_A, VOUCHER_B],
}.items():
    SECRETS[_role] = SECRETS[_role] + _secrets
# --- brokers and investment (opportunities): people (brokers, investors) and the pipeline stay
# with A's insiders who work with names (EC officers read figures); A's projects with A's insiders.
from tests.security.conftest import OPPS_NAMED, OPPS_PIPELINE, OPPS_PROJECT  # noqa: E402

for _role in ("anonymous", "coord_b", "manager_x", "officer"):
    SECRETS[_role] = SECRETS[_role] + OPPS_NAMED + OPPS_PIPELINE
for _role in ("anonymous", "coord_b", "manager_x"):
    SECRETS[_role] = SECRETS[_role] + OPPS_PROJECT
# --- inclusive coordination, balance, collective trademark (the coordination block, issue #20):
# a partnership's meetings, decisions, comments on its strategy, partners' expectations and marks
# stay with its insiders.
COORD_A = ["Minutes ALPHA", "Decided ALPHA", "Said ALPHA", "Hopes ALPHA", "Mark ALPHA"]
COORD_B = ["Minutes BETA", "Decided BETA", "Said BETA", "Hopes BETA", "Mark BETA"]
for _role, _secrets in {
    "anonymous": COORD_A + COORD_B,
    "coord_a": COORD_B,
    "coord_b": COORD_A,
    "manager_a": COORD_B,
    "manager_x": COORD_A + COORD_B,
    "officer": [],
}.items():
    SECRETS[_role] = SECRETS[_role] + _secrets

# --- webhooks: a subscription's signing secret is its owner's alone.
from tests.security.conftest import WEBHOOK_SECRET  # noqa: E402

for _role in ("anonymous", "coord_b", "manager_a", "manager_x", "officer"):
    SECRETS[_role] = [*SECRETS[_role], WEBHOOK_SECRET]

# Where each secret above is shown to a role that may see it: were one shown nowhere, the
# searches for it would pass whatever the policy did.
SHOWN_AT = [
    ("manager_a", "partnerships:member_detail"),  # Alder GmbH, a@member.example
    ("coord_a", "missions:mission_detail"),  # Cedar AB, among the members to register
    ("coord_b", "api:member-list"),  # Birch SA, b@member.example
    ("manager_x", "api:member-list"),  # Xylo Oy
    ("officer", "api:kpi-list"),  # KPI ALPHA, KPI BETA
    ("officer", "api:task-list"),  # Task ALPHA, Task BETA
    ("officer", "api:mission-list"),  # Voyage Alpha, Voyage Beta
    ("coord_a", "partnerships:partnership_list"),  # DRAFTY
    ("coord_a", "missions:meetings"),  # Maplewood Foods, its contact, Offers of A
    ("coord_b", "api:counterpart-list"),  # Pinewood Foods, its contact
    ("coord_b", "api:meetingprofile-list"),  # Offers of B
    # --- finding partners ---
    ("coord_a", "api:member-list"),  # rowan@member.example (Alpha Cluster shares contacts)
    ("coord_a", "matchmaking:contact_request_detail"),  # the request's message
    ("coord_a", "matchmaking:partner_request_detail"),  # manager_x's answer
    # --- vouchers and EU funding ---
    ("coord_a", "funding:scheme_detail"),  # the purpose of A's vouchers
    ("coord_b", "api:voucher-list"),  # the purpose of B's voucher
    # --- brokers and investment ---
    ("coord_a", "opportunities:brokers"),  # Bruno Broker, his email
    ("manager_a", "opportunities:investors"),  # Ines Investor, her email
    ("manager_a", "opportunities:opportunities"),  # the opportunity's title
    ("officer", "opportunities:projects"),  # the project's title
    # --- the coordination block ---
    ("officer", "api:partnershipmeeting-list"),  # Minutes and Decided, ALPHA and BETA
    ("officer", "api:strategyfeedback-list"),  # Said ALPHA, Said BETA
    ("officer", "api:partnerexpectation-list"),  # Hopes ALPHA, Hopes BETA
    ("officer", "api:trademark-list"),  # Mark ALPHA, Mark BETA
    ("coord_a", "webhooks:detail"),  # the signing secret of A's coordinator's webhook
]

OK = 200
# Answers per role, in ROLES order: anonymous, coord_a, coord_b, manager_a, manager_x, officer.
PUBLIC = (OK, OK, OK, OK, OK, OK)
LOGGED_IN = ("login", OK, OK, OK, OK, OK)
INSIDER_A = ("login", OK, 404, OK, 404, OK)
COORD_A_PUBLIC = ("login", OK, 403, 403, 403, 403)  # an object anyone sees, A's coordinator edits
HISTORY_A = ("login", OK, 403, 403, 403, OK)
COORD_A_INSIDE = ("login", OK, 404, 403, 404, 403)  # inside A: outsiders do not even see it
MEMBERS_A = ("login", OK, 404, OK, 404, 404)
MEMBER_EDIT_A = ("login", 403, 404, OK, 404, 404)
MANAGER_A = ("login", 404, 404, OK, 404, 404)
CLUSTER_EDIT_A = ("login", 403, 403, OK, 403, 403)
CLUSTER_ADD = ("login", OK, OK, 403, 403, 403)
OFFICER = ("login", 403, 403, 403, 403, OK)
MISSION_A = ("login", OK, OK, OK, 404, OK)  # every coordinator sees every mission
FEED = (404, OK, OK, OK, OK, OK)
# B2B meetings at A's mission: the insiders who may name members see names (officers: figures,
# or nothing); a participant's side (A's coordinator, its cluster's manager) and the organiser's.
B2B_NAMED_A = ("login", OK, 404, OK, 404, 404)
B2B_SIDE_A = ("login", OK, 404, OK, 404, 403)  # the officer sees the registration, not this
B2B_ORGANISER_A = ("login", OK, 404, 403, 404, 404)
SEARCHERS = ("login", OK, OK, OK, OK, 403)  # coordinators and cluster managers look for partners
REQUESTER_A = ("login", OK, 404, 404, 404, 404)  # A's coordinator's contact request
# Brokers and investment: a record A's coordinator added, which A's cluster manager reads.
NAMED_A_COORD_EDITS = ("login", OK, 404, 403, 404, 404)
ADD_NAMED_A = ("login", OK, 404, OK, 404, 403)  # the officer reads figures, adds nothing
POST_ONLY = None
# A's coordinators and the managers of its partner clusters write (officers read).
PARTNER_SIDE_A = ("login", OK, 404, OK, 404, 403)


def kw(**values):
    return lambda s: {k: (v(s) if callable(v) else v) for k, v in values.items()}


A = kw(pk=lambda s: s.world.a.pk)
NONE = kw()

# name -> (kwargs, GET answers, query string)
MATRIX = {
    "home": (NONE, PUBLIC),
    "health": (NONE, PUBLIC),
    "favicon": (NONE, (301,) * 6),  # to the icon's static address, for anyone
    "choices": (kw(kind="country"), PUBLIC),
    "set_language": (NONE, POST_ONLY),
    "accounts:login": (NONE, (OK, 302, 302, 302, 302, 302)),  # logged in: on to the home page
    "accounts:logout": (NONE, POST_ONLY),
    "accounts:password_reset": (NONE, PUBLIC),
    "accounts:password_reset_done": (NONE, PUBLIC),
    "accounts:password_reset_confirm": (kw(uidb64="MQ", token="set-password"), PUBLIC),
    "accounts:password_reset_complete": (NONE, PUBLIC),
    "accounts:tokens": (NONE, LOGGED_IN),
    "accounts:preferences": (NONE, LOGGED_IN),
    "accounts:token_revoke": (kw(token_key=lambda s: s.token_key["coord_a"]), POST_ONLY),
    # --- consent and invitations ---
    "accounts:invitations": (NONE, LOGGED_IN),
    "accounts:invite": (NONE, ("login", OK, OK, OK, OK, 403)),
    "accounts:invitation_action": (kw(pk=lambda s: s.invitation.pk, action="revoke"), POST_ONLY),
    "accounts:invitation": (kw(token="not-a-real-invitation-token"), (404,) * 6),
    "partnerships:invitations": (NONE, LOGGED_IN),
    "partnerships:partner_invitation_action": (
        kw(pk=lambda s: s.partner_invitation.pk, action="accept"),
        POST_ONLY,
    ),
    "partnerships:partner_end_sharing": (kw(pk=lambda s: s.partner_a.pk), POST_ONLY),
    "partnerships:partnership_list": (NONE, PUBLIC),
    "partnerships:partnership_detail": (A, PUBLIC),
    "partnerships:partnership_edit": (A, COORD_A_PUBLIC),
    "partnerships:partnership_history": (A, HISTORY_A),
    "partnerships:partner_add": (A, COORD_A_PUBLIC),
    "partnerships:partner_edit": (kw(pk=lambda s: s.partner_a.pk), COORD_A_PUBLIC),
    "partnerships:partner_remove": (kw(pk=lambda s: s.partner_a.pk), COORD_A_PUBLIC),
    "partnerships:cluster_list": (NONE, PUBLIC),
    "partnerships:cluster_add": (NONE, CLUSTER_ADD),
    "partnerships:cluster_detail": (kw(pk=lambda s: s.world.cluster_a.pk), PUBLIC),
    "partnerships:cluster_edit": (kw(pk=lambda s: s.world.cluster_a.pk), CLUSTER_EDIT_A),
    "partnerships:member_list": (kw(cluster_pk=lambda s: s.world.cluster_a.pk), MEMBERS_A),
    "partnerships:member_export": (
        kw(cluster_pk=lambda s: s.world.cluster_a.pk, fmt="csv"),
        MEMBERS_A,
    ),
    "partnerships:member_template": (
        kw(cluster_pk=lambda s: s.world.cluster_a.pk, fmt="csv"),
        MANAGER_A,
    ),
    "partnerships:member_add": (kw(cluster_pk=lambda s: s.world.cluster_a.pk), MANAGER_A),
    "partnerships:member_import": (kw(cluster_pk=lambda s: s.world.cluster_a.pk), MANAGER_A),
    "partnerships:member_import_detail": (kw(pk=lambda s: s.upload.pk), MANAGER_A),
    "partnerships:member_import_status": (kw(pk=lambda s: s.upload.pk), MANAGER_A),
    "partnerships:member_detail": (kw(pk=lambda s: s.member_a.pk), MEMBERS_A),
    "partnerships:member_edit": (kw(pk=lambda s: s.member_a.pk), MEMBER_EDIT_A),
    "partnerships:member_remove": (kw(pk=lambda s: s.member_a.pk), POST_ONLY),
    "partnerships:member_join": (kw(pk=lambda s: s.member_a.pk), POST_ONLY),
    "partnerships:member_erase": (kw(pk=lambda s: s.member_a.pk), MEMBER_EDIT_A),
    "partnerships:member_personal_data": (kw(pk=lambda s: s.member_a.pk), MEMBER_EDIT_A),
    "strategy:overview": (A, INSIDER_A),
    "strategy:strategy_create": (A, POST_ONLY),
    "strategy:strategy_edit": (kw(pk=lambda s: s.a.strategy.pk), COORD_A_INSIDE),
    "strategy:strategy_action": (kw(pk=lambda s: s.a.strategy.pk, action="revise"), POST_ONLY),
    "strategy:objective_add": (kw(pk=lambda s: s.a.strategy.pk), COORD_A_INSIDE),
    "strategy:objective_detail": (kw(pk=lambda s: s.a.objective.pk), INSIDER_A),
    "strategy:objective_edit": (kw(pk=lambda s: s.a.objective.pk), COORD_A_INSIDE),
    "strategy:kpi_add": (kw(pk=lambda s: s.a.objective.pk), COORD_A_INSIDE),
    "strategy:task_add": (kw(pk=lambda s: s.a.objective.pk), COORD_A_INSIDE),
    "strategy:kpi_detail": (kw(pk=lambda s: s.a.kpi.pk), INSIDER_A),
    "strategy:kpi_edit": (kw(pk=lambda s: s.a.kpi.pk), COORD_A_INSIDE),
    "strategy:kpi_report": (kw(pk=lambda s: s.a.kpi.pk), INSIDER_A),
    "strategy:kpi_milestones": (kw(pk=lambda s: s.a.kpi.pk), POST_ONLY),
    "strategy:measurement_review": (kw(pk=lambda s: s.a.measurement.pk), POST_ONLY),
    # A task's page is its update form: its coordinators and the responsible partner's manager.
    "strategy:task_edit": (kw(pk=lambda s: s.a.task.pk), ("login", OK, 404, OK, 404, 403)),
    "strategy:evidence": (kw(pk=lambda s: s.a.measurement.pk), ("login", 404, 404, 404, 404, 404)),
    "strategy:reporting": (A, INSIDER_A),
    "strategy:indicators": (A, INSIDER_A),
    "strategy:value_chains": (A, INSIDER_A),
    "strategy:value_chain": (kw(pk=lambda s: s.a.chain.pk), INSIDER_A),
    "strategy:markets": (A, INSIDER_A),
    "strategy:market": (kw(pk=lambda s: s.a.market.pk), INSIDER_A),
    "missions:calendar": (NONE, LOGGED_IN),
    "missions:overlaps": (NONE, LOGGED_IN),
    "missions:mission_detail": (kw(pk=lambda s: s.ma.mission.pk), MISSION_A),
    "missions:mission_edit": (kw(mission_pk=lambda s: s.ma.mission.pk), COORD_A_INSIDE),
    "missions:mission_ics": (kw(pk=lambda s: s.ma.mission.pk), MISSION_A),
    "missions:mission_add": (A, COORD_A_INSIDE),
    "missions:outcomes": (A, INSIDER_A),
    "missions:export_groups": (A, INSIDER_A),
    "missions:participation_action": (
        kw(pk=lambda s: s.ma.participation.pk, action="confirm"),
        POST_ONLY,
    ),
    "missions:feed": (kw(token="not-a-real-calendar-token-000000"), (404,) * 6),
    "missions:partnership_feed": (
        kw(token="not-a-real-calendar-token-000000", pk=lambda s: s.world.a.pk),
        (404,) * 6,
    ),
    # --- B2B meetings at missions (the B2B block) ---
    "missions:meetings": (kw(pk=lambda s: s.ma.mission.pk), INSIDER_A),  # officers: figures
    "missions:meetings_schedule": (kw(pk=lambda s: s.ma.mission.pk), POST_ONLY),
    "missions:meeting_settings_edit": (kw(pk=lambda s: s.ma.mission.pk), COORD_A_INSIDE),
    "missions:counterpart_add": (kw(pk=lambda s: s.ma.mission.pk), COORD_A_INSIDE),
    "missions:counterpart_edit": (kw(pk=lambda s: s.ma.b2b.counterpart.pk), B2B_ORGANISER_A),
    "missions:offers_edit": (kw(pk=lambda s: s.ma.participation.pk), B2B_SIDE_A),
    "missions:agenda": (kw(pk=lambda s: s.ma.participation.pk), B2B_SIDE_A),
    "missions:agenda_pdf": (kw(pk=lambda s: s.ma.participation.pk), B2B_SIDE_A),
    "missions:agenda_ics": (kw(pk=lambda s: s.ma.participation.pk), B2B_SIDE_A),
    "missions:meeting_action": (
        kw(pk=lambda s: s.ma.b2b.meeting.pk, action="withdraw"),
        POST_ONLY,
    ),
    "missions:meeting_follow_up_edit": (kw(pk=lambda s: s.ma.b2b.meeting.pk), B2B_NAMED_A),
    "missions:meeting_outcome": (kw(pk=lambda s: s.ma.b2b.meeting.pk), POST_ONLY),
    "api:meetingprofile-list": (NONE, LOGGED_IN),
    "api:meetingprofile-detail": (kw(pk=lambda s: s.ma.b2b.profile.pk), B2B_NAMED_A),
    "api:counterpart-list": (NONE, LOGGED_IN),
    "api:counterpart-detail": (kw(pk=lambda s: s.ma.b2b.counterpart.pk), B2B_NAMED_A),
    "api:meeting-list": (NONE, LOGGED_IN),
    "api:meeting-detail": (kw(pk=lambda s: s.ma.b2b.meeting.pk), B2B_NAMED_A),
    "api:meeting-accept": (kw(pk=lambda s: s.ma.b2b.meeting.pk), POST_ONLY),
    "api:meeting-decline": (kw(pk=lambda s: s.ma.b2b.meeting.pk), POST_ONLY),
    "api:meeting-withdraw": (kw(pk=lambda s: s.ma.b2b.meeting.pk), POST_ONLY),
    "api:meeting-outcome": (kw(pk=lambda s: s.ma.b2b.meeting.pk), POST_ONLY),
    "api:mission-schedule-meetings": (kw(pk=lambda s: s.ma.mission.pk), POST_ONLY),
    "api:participation-agenda": (kw(pk=lambda s: s.ma.participation.pk), B2B_SIDE_A),
    # --- inclusive coordination, balance, collective trademark (the coordination block) ---
    # A's strategy is adopted, not a shared draft: nobody comments on it any more.
    "strategy:strategy_feedback": (
        kw(pk=lambda s: s.a.strategy.pk),
        ("login", 403, 404, 403, 404, 403),
    ),
    "strategy:coordination_meetings": (A, INSIDER_A),
    "strategy:coordination_meeting_add": (A, COORD_A_INSIDE),
    "strategy:coordination_meeting": (kw(pk=lambda s: s.coordination.a.meeting.pk), INSIDER_A),
    "strategy:coordination_meeting_edit": (
        kw(pk=lambda s: s.coordination.a.meeting.pk),
        COORD_A_INSIDE,
    ),
    "strategy:decision_add": (kw(pk=lambda s: s.coordination.a.meeting.pk), COORD_A_INSIDE),
    "strategy:balance": (A, INSIDER_A),
    "strategy:trademarks": (A, INSIDER_A),
    "strategy:trademark_start": (A, COORD_A_INSIDE),
    "strategy:trademark": (kw(pk=lambda s: s.coordination.a.trademark.pk), INSIDER_A),
    "strategy:licence_add": (kw(pk=lambda s: s.coordination.a.trademark.pk), PARTNER_SIDE_A),
    "partnerships:expectations": (A, INSIDER_A),
    "partnerships:expectation_add": (kw(pk=lambda s: s.partner_a.pk), PARTNER_SIDE_A),
    "partnerships:expectation_edit": (
        kw(pk=lambda s: s.coordination.a.expectation.pk),
        PARTNER_SIDE_A,
    ),
    "api:strategy-share": (kw(pk=lambda s: s.a.strategy.pk), POST_ONLY),
    "api:strategyfeedback-list": (NONE, LOGGED_IN),
    "api:strategyfeedback-detail": (kw(pk=lambda s: s.coordination.a.feedback.pk), INSIDER_A),
    "api:partnershipmeeting-list": (NONE, LOGGED_IN),
    "api:partnershipmeeting-detail": (
        kw(pk=lambda s: s.coordination.a.meeting.pk),
        INSIDER_A,
    ),
    "api:decision-list": (NONE, LOGGED_IN),
    "api:decision-detail": (kw(pk=lambda s: s.coordination.a.decision.pk), INSIDER_A),
    "api:partnerexpectation-list": (NONE, LOGGED_IN),
    "api:partnerexpectation-detail": (
        kw(pk=lambda s: s.coordination.a.expectation.pk),
        INSIDER_A,
    ),
    "api:trademark-list": (NONE, LOGGED_IN),
    "api:trademark-detail": (kw(pk=lambda s: s.coordination.a.trademark.pk), INSIDER_A),
    "api:trademarklicence-list": (NONE, LOGGED_IN),
    "api:trademarklicence-detail": (kw(pk=lambda s: s.coordination.a.licence.pk), INSIDER_A),
    "api:balance": (kw(partnership_id=lambda s: s.world.a.pk), INSIDER_A),
    "evaluation:scoreboard": (A, INSIDER_A),
    "evaluation:scoreboard_export": (kw(pk=lambda s: s.world.a.pk, fmt="xlsx"), INSIDER_A),
    "evaluation:targets": (A, INSIDER_A),
    "evaluation:targets_export": (A, INSIDER_A),
    "evaluation:statistics": (NONE, OFFICER),
    "evaluation:core_indicators": (NONE, OFFICER),
    "evaluation:core_indicators_export": (kw(fmt=lambda s: "xlsx"), OFFICER),
    "evaluation:oversight": (NONE, OFFICER),
    "evaluation:oversight_export": (kw(fmt="xlsx"), OFFICER),
    "evaluation:review_create": (kw(pk=lambda s: s.a.kpi.pk), POST_ONLY),
    # --- finding partners (matchmaking) ---
    "matchmaking:search": (NONE, SEARCHERS),
    "matchmaking:findability": (kw(cluster_pk=lambda s: s.world.cluster_a.pk), MANAGER_A),
    "matchmaking:profile_edit": (kw(pk=lambda s: s.find.rowan_profile.pk), MANAGER_A),
    "matchmaking:contact_request_create": (kw(member_pk=lambda s: s.find.yew.pk), SEARCHERS),
    "matchmaking:contact_requests": (NONE, LOGGED_IN),
    "matchmaking:contact_requests_received": (NONE, LOGGED_IN),
    "matchmaking:contact_request_detail": (
        kw(pk=lambda s: s.find.contact_request.pk),
        REQUESTER_A,
    ),
    "matchmaking:partner_requests": (NONE, LOGGED_IN),
    "matchmaking:partner_request_add": (NONE, SEARCHERS),
    "matchmaking:partner_request_detail": (kw(pk=lambda s: s.find.post.pk), LOGGED_IN),
    "matchmaking:partner_request_edit": (kw(pk=lambda s: s.find.post.pk), COORD_A_PUBLIC),
    "matchmaking:partner_request_close": (kw(pk=lambda s: s.find.post.pk), POST_ONLY),
    "matchmaking:gap_action": (kw(pk=lambda s: s.a.chain.stages.first().pk), POST_ONLY),
    "matchmaking:export_group_suggestions": (A, COORD_A_INSIDE),
    "api:partner-search": (NONE, SEARCHERS),
    "api:findableprofile-list": (NONE, LOGGED_IN),
    "api:findableprofile-detail": (kw(pk=lambda s: s.find.rowan_profile.pk), MANAGER_A),
    "api:contactrequest-list": (NONE, LOGGED_IN),
    "api:contactrequest-detail": (kw(pk=lambda s: s.find.contact_request.pk), REQUESTER_A),
    "api:contactrequest-forward": (kw(pk=lambda s: s.find.contact_request.pk), POST_ONLY),
    "api:contactrequest-decline": (kw(pk=lambda s: s.find.contact_request.pk), POST_ONLY),
    "api:contactrequest-withdraw": (kw(pk=lambda s: s.find.contact_request.pk), POST_ONLY),
    "api:partnerrequest-list": (NONE, LOGGED_IN),
    "api:partnerrequest-detail": (kw(pk=lambda s: s.find.post.pk), LOGGED_IN),
    "api:partnerrequest-close": (kw(pk=lambda s: s.find.post.pk), POST_ONLY),
    "api:partnerrequest-answers": (kw(pk=lambda s: s.find.post.pk), LOGGED_IN),
    # --- vouchers and EU funding (the funding block) ---
    "funding:schemes": (A, INSIDER_A),
    "funding:scheme_detail": (kw(pk=lambda s: s.fund.scheme_a.pk), INSIDER_A),
    "funding:scheme_edit": (kw(pk=lambda s: s.fund.scheme_a.pk), COORD_A_INSIDE),
    "funding:ledger_export": (kw(pk=lambda s: s.fund.scheme_a.pk, fmt="xlsx"), INSIDER_A),
    "funding:voucher_status": (kw(pk=lambda s: s.fund.voucher_a.pk), POST_ONLY),
    "funding:calls": (NONE, LOGGED_IN),
    "funding:call_add": (NONE, OFFICER),
    "funding:call_detail": (kw(pk=lambda s: s.fund.call.pk), LOGGED_IN),
    "funding:call_edit": (kw(pk=lambda s: s.fund.call.pk), OFFICER),
    "funding:partnership_calls": (A, INSIDER_A),
    "api:voucherscheme-list": (NONE, LOGGED_IN),
    "api:voucherscheme-detail": (kw(pk=lambda s: s.fund.scheme_a.pk), INSIDER_A),
    "api:voucher-list": (NONE, LOGGED_IN),
    "api:voucher-detail": (kw(pk=lambda s: s.fund.voucher_a.pk), INSIDER_A),
    "api:voucher-status": (kw(pk=lambda s: s.fund.voucher_a.pk), POST_ONLY),
    "api:voucher-bulk": (NONE, POST_ONLY),
    "api:fundingcall-list": (NONE, LOGGED_IN),
    "api:fundingcall-detail": (kw(pk=lambda s: s.fund.call.pk), LOGGED_IN),
    "api:funding-call-matching": (kw(partnership_id=lambda s: s.world.a.pk), INSIDER_A),
    # --- brokers and investment (opportunities) ---
    "opportunities:brokers": (A, INSIDER_A),  # officers: figures
    "opportunities:broker_edit": (kw(pk=lambda s: s.opps.broker.pk), NAMED_A_COORD_EDITS),
    "opportunities:broker_erase": (kw(pk=lambda s: s.opps.broker.pk), POST_ONLY),
    "opportunities:opportunities": (A, INSIDER_A),  # officers: figures
    "opportunities:opportunity_add": (A, ADD_NAMED_A),
    "opportunities:opportunity_edit": (kw(pk=lambda s: s.opps.opportunity.pk), B2B_NAMED_A),
    "opportunities:opportunity_agree": (kw(pk=lambda s: s.opps.opportunity.pk), B2B_NAMED_A),
    "opportunities:investors": (A, INSIDER_A),  # officers: figures
    "opportunities:investor_edit": (kw(pk=lambda s: s.opps.investor.pk), NAMED_A_COORD_EDITS),
    "opportunities:investor_erase": (kw(pk=lambda s: s.opps.investor.pk), POST_ONLY),
    "opportunities:projects": (A, INSIDER_A),
    "opportunities:project_edit": (kw(pk=lambda s: s.opps.project.pk), COORD_A_INSIDE),
    "api:broker-list": (NONE, LOGGED_IN),
    "api:broker-detail": (kw(pk=lambda s: s.opps.broker.pk), B2B_NAMED_A),
    "api:broker-erase": (kw(pk=lambda s: s.opps.broker.pk), POST_ONLY),
    "api:opportunity-list": (NONE, LOGGED_IN),
    "api:opportunity-detail": (kw(pk=lambda s: s.opps.opportunity.pk), B2B_NAMED_A),
    "api:opportunity-agree": (kw(pk=lambda s: s.opps.opportunity.pk), POST_ONLY),
    "api:investorcontact-list": (NONE, LOGGED_IN),
    "api:investorcontact-detail": (kw(pk=lambda s: s.opps.investor.pk), B2B_NAMED_A),
    "api:investorcontact-erase": (kw(pk=lambda s: s.opps.investor.pk), POST_ONLY),
    "api:investmentproject-list": (NONE, LOGGED_IN),
    "api:investmentproject-detail": (kw(pk=lambda s: s.opps.project.pk), INSIDER_A),
    # --- the API (anonymous answers 401 instead of a redirect) ---
    "api:api-root": (NONE, PUBLIC),
    "api:schema": (NONE, PUBLIC),
    "api:docs": (NONE, PUBLIC),
    "api:auth-token": (NONE, POST_ONLY),
    "api:me": (NONE, LOGGED_IN),
    "api:scoreboard": (kw(partnership_id=lambda s: s.world.a.pk), INSIDER_A),
    "api:statistics": (NONE, OFFICER),
    "api:core-indicators": (NONE, LOGGED_IN),
    "api:oversight": (NONE, OFFICER),
    "api:programme-list": (NONE, PUBLIC),
    "api:programme-detail": (kw(pk=lambda s: s.world.a.programme_id), PUBLIC),
    "api:partnership-list": (NONE, PUBLIC),
    "api:partnership-detail": (A, PUBLIC),
    "api:cluster-list": (NONE, PUBLIC),
    "api:cluster-detail": (kw(pk=lambda s: s.world.cluster_a.pk), PUBLIC),
    "api:partner-list": (NONE, PUBLIC),
    "api:partner-detail": (kw(pk=lambda s: s.partner_a.pk), PUBLIC),
    "api:partner-end-sharing": (kw(pk=lambda s: s.partner_a.pk), POST_ONLY),
    "api:partnerinvitation-list": (NONE, LOGGED_IN),
    "api:partnerinvitation-detail": (
        kw(pk=lambda s: s.partner_invitation.pk),
        ("login", OK, 404, 404, OK, 404),
    ),
    "api:partnerinvitation-accept": (kw(pk=lambda s: s.partner_invitation.pk), POST_ONLY),
    "api:partnerinvitation-decline": (kw(pk=lambda s: s.partner_invitation.pk), POST_ONLY),
    "api:partnerinvitation-revoke": (kw(pk=lambda s: s.partner_invitation.pk), POST_ONLY),
    "api:invitation-list": (NONE, LOGGED_IN),
    "api:invitation-detail": (kw(pk=lambda s: s.invitation.pk), ("login", OK, 404, 404, 404, 404)),
    "api:invitation-revoke": (kw(pk=lambda s: s.invitation.pk), POST_ONLY),
    "api:invitation-confirm": (kw(pk=lambda s: s.invitation.pk), POST_ONLY),
    "api:invitation-refuse": (kw(pk=lambda s: s.invitation.pk), POST_ONLY),
    "api:invitation-accept": (NONE, POST_ONLY),
    "api:invitation-decline": (NONE, POST_ONLY),
    "api:member-list": (NONE, LOGGED_IN),
    "api:member-bulk": (NONE, POST_ONLY),
    "api:member-detail": (kw(pk=lambda s: s.member_a.pk), MEMBERS_A),
    "api:member-erase": (kw(pk=lambda s: s.member_a.pk), POST_ONLY),
    "api:member-personal-data": (kw(pk=lambda s: s.member_a.pk), MEMBER_EDIT_A),
    "api:strategy-list": (NONE, LOGGED_IN),
    "api:strategy-detail": (kw(pk=lambda s: s.a.strategy.pk), INSIDER_A),
    "api:strategy-adopt": (kw(pk=lambda s: s.a.strategy.pk), POST_ONLY),
    "api:strategy-revise": (kw(pk=lambda s: s.a.strategy.pk), POST_ONLY),
    "api:objective-list": (NONE, LOGGED_IN),
    "api:objective-detail": (kw(pk=lambda s: s.a.objective.pk), INSIDER_A),
    "api:kpi-list": (NONE, LOGGED_IN),
    "api:kpi-detail": (kw(pk=lambda s: s.a.kpi.pk), INSIDER_A),
    "api:measurement-list": (NONE, LOGGED_IN),
    "api:measurement-bulk": (NONE, POST_ONLY),
    "api:measurement-detail": (kw(pk=lambda s: s.a.measurement.pk), INSIDER_A),
    "api:measurement-approve": (kw(pk=lambda s: s.a.measurement.pk), POST_ONLY),
    "api:measurement-return-": (kw(pk=lambda s: s.a.measurement.pk), POST_ONLY),
    "api:task-list": (NONE, LOGGED_IN),
    "api:task-detail": (kw(pk=lambda s: s.a.task.pk), INSIDER_A),
    "api:targetmarket-list": (NONE, LOGGED_IN),
    "api:targetmarket-detail": (kw(pk=lambda s: s.a.market.pk), INSIDER_A),
    "api:marketstudy-list": (NONE, LOGGED_IN),
    "api:marketstudy-detail": (kw(pk=lambda s: s.a.study.pk), INSIDER_A),
    "api:valuechain-list": (NONE, LOGGED_IN),
    "api:valuechain-detail": (kw(pk=lambda s: s.a.chain.pk), INSIDER_A),
    "api:mission-list": (NONE, LOGGED_IN),
    "api:mission-overlaps": (NONE, LOGGED_IN),
    "api:mission-detail": (kw(pk=lambda s: s.ma.mission.pk), MISSION_A),
    "api:participation-list": (NONE, LOGGED_IN),
    "api:participation-detail": (kw(pk=lambda s: s.ma.participation.pk), INSIDER_A),
    "api:participation-cancel": (kw(pk=lambda s: s.ma.participation.pk), POST_ONLY),
    "api:participation-confirm": (kw(pk=lambda s: s.ma.participation.pk), POST_ONLY),
    "api:outcome-list": (NONE, LOGGED_IN),
    "api:outcome-detail": (kw(pk=lambda s: s.ma.outcome.pk), INSIDER_A),
    "api:exportgroup-list": (NONE, LOGGED_IN),
    "api:exportgroup-detail": (kw(pk=lambda s: s.ma.group.pk), INSIDER_A),
    "api:token-list": (NONE, LOGGED_IN),
    "api:token-detail": (
        kw(token_key=lambda s: s.token_key["coord_a"]),
        ("login", OK, 404, 404, 404, 404),
    ),
    # --- webhooks: a user's own subscriptions only ---
    "webhooks:list": (NONE, LOGGED_IN),
    "webhooks:detail": (kw(pk=lambda s: s.webhook.pk), ("login", OK, 404, 404, 404, 404)),
    "webhooks:action": (kw(pk=lambda s: s.webhook.pk, action="resume"), POST_ONLY),
    "webhooks:redeliver": (
        kw(pk=lambda s: s.webhook.pk, delivery_id=lambda s: s.webhook_delivery.pk),
        POST_ONLY,
    ),
    "api:webhook-list": (NONE, LOGGED_IN),
    "api:webhook-detail": (kw(pk=lambda s: s.webhook.pk), ("login", OK, 404, 404, 404, 404)),
    "api:webhook-deliveries": (
        kw(pk=lambda s: s.webhook.pk),
        ("login", OK, 404, 404, 404, 404),
    ),
    "api:webhook-resume": (kw(pk=lambda s: s.webhook.pk), POST_ONLY),
    "api:webhook-ping": (kw(pk=lambda s: s.webhook.pk), POST_ONLY),
    "api:webhook-redeliver": (
        kw(pk=lambda s: s.webhook.pk, delivery_id=lambda s: s.webhook_delivery.pk),
        POST_ONLY,
    ),
    "api:roleassignment-list": (NONE, LOGGED_IN),
    # What was deleted: each sees the deletions of what they could see (the public: the
    # directory's), an empty list being an answer too.
    "api:deletion-list": (NONE, PUBLIC),
    "api:roleassignment-detail": (
        kw(pk=lambda s: s.world.coord_a.role_assignments.first().pk),
        ("login", OK, 404, 404, 404, 404),
    ),
}

# Writes: (method, name, kwargs, body, roles allowed). Allowed roles get an answer below 400
# or a 400 about the data; anonymous gets 401 (API) or a redirect to the login (page); the
# others 404 when they may not see the object (as the GET of the same URL, or of SEEN_AT's for
# a URL that only takes POST, answers them) and 403 when they see it but may not change it.
WRITES = [
    ("post", "partnerships:partnership_edit", A, {"name": ""}, {"coord_a"}),
    ("post", "partnerships:partner_remove", kw(pk=lambda s: s.partner_a.pk), {}, {"coord_a"}),
    (
        "post",
        "partnerships:cluster_edit",
        kw(pk=lambda s: s.world.cluster_a.pk),
        {"name": ""},
        {"manager_a"},
    ),
    ("post", "partnerships:member_erase", kw(pk=lambda s: s.member_a.pk), {}, {"manager_a"}),
    (
        "post",
        "partnerships:member_remove",
        kw(pk=lambda s: s.member_a.pk),
        {"cluster": "CLUSTER_A"},
        {"manager_a"},
    ),
    (
        "post",
        "strategy:strategy_action",
        kw(pk=lambda s: s.a.strategy.pk, action="revise"),
        {},
        {"coord_a"},
    ),
    (
        "post",
        "strategy:measurement_review",
        kw(pk=lambda s: s.a.measurement.pk),
        {"action": "approve"},
        {"coord_a"},
    ),
    ("post", "strategy:reporting", A, {"period_end": "2025-03-31"}, {"coord_a"}),
    (
        "post",
        "strategy:kpi_milestones",
        kw(pk=lambda s: s.a.kpi.pk),
        {"action": "save", "new-date": "2025-06-30", "new-value": "5"},
        {"coord_a"},
    ),
    (
        "post",
        "missions:participation_action",
        kw(pk=lambda s: s.ma.participation.pk, action="cancel"),
        {},
        {"coord_a", "manager_a"},
    ),
    ("post", "evaluation:scoreboard", A, {"action": "recompute"}, {"coord_a"}),
    (
        "post",
        "evaluation:review_create",
        kw(pk=lambda s: s.a.kpi.pk),
        {"flag": "other", "comment": "x"},
        {"officer"},
    ),
    ("patch", "api:partnership-detail", A, {"website": "https://x.example"}, {"coord_a"}),
    (
        "patch",
        "api:cluster-detail",
        kw(pk=lambda s: s.world.cluster_a.pk),
        {"city": "X"},
        {"manager_a"},
    ),
    ("delete", "api:partner-detail", kw(pk=lambda s: s.partner_a.pk), None, {"coord_a"}),
    ("post", "api:partner-end-sharing", kw(pk=lambda s: s.partner_a.pk), None, {"manager_a"}),
    (
        "post",
        "partnerships:partner_end_sharing",
        kw(pk=lambda s: s.partner_a.pk),
        {},
        {"manager_a"},
    ),
    (
        "post",
        "api:partnerinvitation-accept",
        kw(pk=lambda s: s.partner_invitation.pk),
        None,
        {"manager_x"},
    ),
    (
        "post",
        "api:partnerinvitation-revoke",
        kw(pk=lambda s: s.partner_invitation.pk),
        None,
        {"coord_a"},
    ),
    (
        "post",
        "partnerships:partner_invitation_action",
        kw(pk=lambda s: s.partner_invitation.pk, action="decline"),
        {},
        {"manager_x"},
    ),
    ("post", "api:invitation-revoke", kw(pk=lambda s: s.invitation.pk), None, {"coord_a"}),
    ("patch", "api:member-detail", kw(pk=lambda s: s.member_a.pk), {"city": "X"}, {"manager_a"}),
    ("post", "api:member-erase", kw(pk=lambda s: s.member_a.pk), None, {"manager_a"}),
    (
        "patch",
        "api:strategy-detail",
        kw(pk=lambda s: s.a.strategy.pk),
        {"vision": "V"},
        {"coord_a"},
    ),
    ("post", "api:strategy-revise", kw(pk=lambda s: s.a.strategy.pk), None, {"coord_a"}),
    ("patch", "api:objective-detail", kw(pk=lambda s: s.a.objective.pk), {"order": 2}, {"coord_a"}),
    ("delete", "api:kpi-detail", kw(pk=lambda s: s.a.kpi.pk), None, {"coord_a"}),
    (
        "patch",
        "api:measurement-detail",
        kw(pk=lambda s: s.a.measurement.pk),
        {"value": "4"},
        {"coord_a", "manager_a"},
    ),
    ("post", "api:measurement-approve", kw(pk=lambda s: s.a.measurement.pk), None, {"coord_a"}),
    (
        "patch",
        "api:task-detail",
        kw(pk=lambda s: s.a.task.pk),
        {"status": "in_progress"},
        {"coord_a", "manager_a"},
    ),
    ("delete", "api:targetmarket-detail", kw(pk=lambda s: s.a.market.pk), None, {"coord_a"}),
    (
        "patch",
        "api:marketstudy-detail",
        kw(pk=lambda s: s.a.study.pk),
        {"trends": "Up"},
        {"coord_a"},
    ),
    ("patch", "api:mission-detail", kw(pk=lambda s: s.ma.mission.pk), {"city": "X"}, {"coord_a"}),
    (
        "post",
        "api:participation-cancel",
        kw(pk=lambda s: s.ma.participation.pk),
        None,
        {"coord_a", "manager_a"},
    ),
    (
        "patch",
        "api:outcome-detail",
        kw(pk=lambda s: s.ma.outcome.pk),
        {"counterpart": "Y"},
        {"coord_a"},
    ),
    # --- B2B meetings (the B2B block) ---
    ("post", "missions:meetings_schedule", kw(pk=lambda s: s.ma.mission.pk), {}, {"coord_a"}),
    (
        "post",
        "missions:meeting_action",
        kw(pk=lambda s: s.ma.b2b.meeting.pk, action="withdraw"),
        {},
        {"coord_a", "manager_a"},
    ),
    (
        "post",
        "missions:meeting_outcome",
        kw(pk=lambda s: s.ma.b2b.meeting.pk),
        {},
        {"coord_a", "manager_a"},
    ),
    (
        "patch",
        "api:meetingprofile-detail",
        kw(pk=lambda s: s.ma.b2b.profile.pk),
        {"offers": "X"},
        {"coord_a", "manager_a"},
    ),
    (
        "patch",
        "api:counterpart-detail",
        kw(pk=lambda s: s.ma.b2b.counterpart.pk),
        {"offers": "X"},
        {"coord_a"},
    ),
    (
        "post",
        "api:meeting-withdraw",
        kw(pk=lambda s: s.ma.b2b.meeting.pk),
        None,
        {"coord_a", "manager_a"},
    ),
    (
        "post",
        "api:mission-schedule-meetings",
        kw(pk=lambda s: s.ma.mission.pk),
        None,
        {"coord_a"},
    ),
    (
        "delete",
        "api:token-detail",
        kw(token_key=lambda s: s.token_key["coord_a"]),
        None,
        {"coord_a"},
    ),
    # --- webhooks ---
    ("post", "webhooks:action", kw(pk=lambda s: s.webhook.pk, action="ping"), {}, {"coord_a"}),
    (
        "post",
        "webhooks:redeliver",
        kw(pk=lambda s: s.webhook.pk, delivery_id=lambda s: s.webhook_delivery.pk),
        {},
        {"coord_a"},
    ),
    ("post", "api:webhook-resume", kw(pk=lambda s: s.webhook.pk), None, {"coord_a"}),
    ("post", "api:webhook-ping", kw(pk=lambda s: s.webhook.pk), None, {"coord_a"}),
    (
        "post",
        "api:webhook-redeliver",
        kw(pk=lambda s: s.webhook.pk, delivery_id=lambda s: s.webhook_delivery.pk),
        None,
        {"coord_a"},
    ),
    ("patch", "api:webhook-detail", kw(pk=lambda s: s.webhook.pk), {"active": True}, {"coord_a"}),
    ("delete", "api:webhook-detail", kw(pk=lambda s: s.webhook.pk), None, {"coord_a"}),
    # --- the coordination block ---
    ("post", "api:strategy-share", kw(pk=lambda s: s.a.strategy.pk), None, {"coord_a"}),
    (
        "patch",
        "api:partnershipmeeting-detail",
        kw(pk=lambda s: s.coordination.a.meeting.pk),
        {"notes": "X"},
        {"coord_a"},
    ),
    (
        "patch",
        "api:decision-detail",
        kw(pk=lambda s: s.coordination.a.decision.pk),
        {"text": "X"},
        {"coord_a"},
    ),
    (
        "patch",
        "api:partnerexpectation-detail",
        kw(pk=lambda s: s.coordination.a.expectation.pk),
        {"review_note": "X"},
        {"coord_a", "manager_a"},
    ),
    (
        "patch",
        "api:trademark-detail",
        kw(pk=lambda s: s.coordination.a.trademark.pk),
        {"name": "X"},
        {"coord_a"},
    ),
    (
        "patch",
        "api:trademarklicence-detail",
        kw(pk=lambda s: s.coordination.a.licence.pk),
        {"scope": "X"},
        {"coord_a", "manager_a"},
    ),
    (
        "post",
        "strategy:decision_add",
        kw(pk=lambda s: s.coordination.a.meeting.pk),
        {"text": "X"},
        {"coord_a"},
    ),
    # --- finding partners (matchmaking) ---
    (
        "post",
        "matchmaking:partner_request_close",
        kw(pk=lambda s: s.find.post.pk),
        {},
        {"coord_a"},
    ),
    (
        "post",
        "matchmaking:contact_request_detail",
        kw(pk=lambda s: s.find.contact_request.pk),
        {"action": "withdraw"},
        {"coord_a"},
    ),
    (
        "post",
        "matchmaking:gap_action",
        kw(pk=lambda s: s.a.chain.stages.first().pk),
        {"kind": "cluster", "target": "CLUSTER_A"},
        {"coord_a"},
    ),
    (
        "patch",
        "api:findableprofile-detail",
        kw(pk=lambda s: s.find.rowan_profile.pk),
        {"show_region": True},
        {"manager_a"},
    ),
    # The requester cannot answer their own request: only the member's cluster's managers.
    (
        "post",
        "api:contactrequest-forward",
        kw(pk=lambda s: s.find.contact_request.pk),
        {"release_email": True},
        set(),
    ),
    (
        "post",
        "api:contactrequest-withdraw",
        kw(pk=lambda s: s.find.contact_request.pk),
        None,
        {"coord_a"},
    ),
    ("post", "api:partnerrequest-close", kw(pk=lambda s: s.find.post.pk), None, {"coord_a"}),
    # --- vouchers and EU funding (the funding block) ---
    (
        "post",
        "funding:voucher_status",
        kw(pk=lambda s: s.fund.voucher_a.pk),
        {"status": "paid"},
        {"coord_a"},
    ),
    (
        "post",
        "funding:scheme_detail",
        kw(pk=lambda s: s.fund.scheme_a.pk),
        {"amount": "1", "purpose": "x"},
        {"coord_a"},
    ),
    ("post", "funding:call_edit", kw(pk=lambda s: s.fund.call.pk), {"title": ""}, {"officer"}),
    (
        "post",
        "api:voucher-status",
        kw(pk=lambda s: s.fund.voucher_a.pk),
        {"status": "paid"},
        {"coord_a"},
    ),
    (
        "patch",
        "api:voucherscheme-detail",
        kw(pk=lambda s: s.fund.scheme_a.pk),
        {"name": "X"},
        {"coord_a"},
    ),
    (
        "patch",
        "api:fundingcall-detail",
        kw(pk=lambda s: s.fund.call.pk),
        {"title": "X"},
        {"officer"},
    ),
    # --- brokers and investment (opportunities) ---
    # Only A's coordinators erase a person's data.
    ("post", "opportunities:broker_erase", kw(pk=lambda s: s.opps.broker.pk), {}, {"coord_a"}),
    ("post", "api:investorcontact-erase", kw(pk=lambda s: s.opps.investor.pk), None, {"coord_a"}),
    # The follower (A's cluster's manager) and A's coordinator move the opportunity along.
    (
        "patch",
        "api:opportunity-detail",
        kw(pk=lambda s: s.opps.opportunity.pk),
        {"stage": "contact"},
        {"coord_a", "manager_a"},
    ),
    (
        "patch",
        "api:investmentproject-detail",
        kw(pk=lambda s: s.opps.project.pk),
        {"status": "seeking"},
        {"coord_a"},
    ),
]

# The GET that tells who sees the object of a URL that only takes POST.
SEEN_AT = {
    "webhooks:action": "webhooks:detail",
    "webhooks:redeliver": "webhooks:detail",
    "api:webhook-resume": "api:webhook-detail",
    "api:webhook-ping": "api:webhook-detail",
    "api:webhook-redeliver": "api:webhook-detail",
    "api:partner-end-sharing": "api:partner-detail",
    "partnerships:partner_end_sharing": "api:partner-detail",
    "api:partnerinvitation-accept": "api:partnerinvitation-detail",
    "api:partnerinvitation-revoke": "api:partnerinvitation-detail",
    "partnerships:partner_invitation_action": "api:partnerinvitation-detail",
    "api:invitation-revoke": "api:invitation-detail",
    "partnerships:member_remove": "partnerships:member_detail",
    "strategy:strategy_action": "api:strategy-detail",
    "strategy:measurement_review": "api:measurement-detail",
    "missions:participation_action": "api:participation-detail",
    "evaluation:review_create": "strategy:kpi_detail",
    "strategy:kpi_milestones": "strategy:kpi_detail",
    "api:member-erase": "api:member-detail",
    "api:strategy-revise": "api:strategy-detail",
    "api:measurement-approve": "api:measurement-detail",
    "api:participation-cancel": "api:participation-detail",
    # B2B meetings (the B2B block)
    "missions:meetings_schedule": "missions:meetings",
    "missions:meeting_action": "api:meeting-detail",
    "missions:meeting_outcome": "api:meeting-detail",
    "api:meeting-withdraw": "api:meeting-detail",
    "api:mission-schedule-meetings": "api:mission-detail",
    "matchmaking:partner_request_close": "api:partnerrequest-detail",
    "matchmaking:gap_action": "strategy:value_chain",
    "api:contactrequest-forward": "api:contactrequest-detail",
    "api:contactrequest-withdraw": "api:contactrequest-detail",
    "api:partnerrequest-close": "api:partnerrequest-detail",
    # vouchers and EU funding
    "funding:voucher_status": "api:voucher-detail",
    "api:voucher-status": "api:voucher-detail",
    # brokers and investment (opportunities)
    "opportunities:broker_erase": "api:broker-detail",
    "opportunities:investor_erase": "api:investorcontact-detail",
    "api:broker-erase": "api:broker-detail",
    "api:investorcontact-erase": "api:investorcontact-detail",
    "api:opportunity-agree": "api:opportunity-detail",
    # the coordination block
    "api:strategy-share": "api:strategy-detail",
}


def _names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from _names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_is_in_the_matrix():
    names = set(_names(get_resolver().url_patterns))
    missing = sorted(names - set(MATRIX))
    assert not missing, f"add these to the access matrix: {missing}"
    assert not sorted(set(MATRIX) - names), "the matrix names URLs that do not exist"


def _client_for(client, s, role, token):
    client.logout()
    headers = {}
    if role != "anonymous":
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Token {s.tokens[role]}"
        else:
            client.force_login(getattr(s.world, role))
    return headers


def _expected(answer, name):
    if answer == "login":
        return 401 if name.startswith("api:") else 302
    return answer


def _check_secrets(role, name, response):
    body = response.content.decode("utf-8", errors="replace")
    found = [secret for secret in SECRETS[role] if secret in body]
    assert not found, f"{role} sees {found} at {name}"


def test_every_secret_is_shown_to_someone_who_may_see_it(client, s):
    shown = ""
    for role, name in SHOWN_AT:
        headers = _client_for(client, s, role, token=False)
        response = client.get(reverse(name, kwargs=MATRIX[name][0](s)), **headers)
        assert response.status_code == OK, (role, name, response.status_code)
        _check_secrets(role, name, response)
        shown += response.content.decode()
    secrets = {secret for role_secrets in SECRETS.values() for secret in role_secrets}
    never = sorted(secret for secret in secrets if secret not in shown)
    assert not never, f"shown to no one, so never really searched for: {never}"


@pytest.mark.parametrize("name", sorted(n for n, (_k, answers) in MATRIX.items() if answers))
def test_get(client, s, name):
    make_kwargs, answers = MATRIX[name]
    url = reverse(name, kwargs=make_kwargs(s))
    cells = list(zip(ROLES, answers, strict=True))
    if not name.startswith("api:"):
        # The caches stay on (escp_portal/fragments.py): a page is read by the most privileged
        # role first, so a fragment cached for one role and served to another is found.
        cells = [*reversed(cells), *cells]
    for role, answer in cells:
        for token in [False, True] if name.startswith("api:") and role != "anonymous" else [False]:
            headers = _client_for(client, s, role, token)
            response = client.get(url, **headers)
            expected = _expected(answer, name)
            assert response.status_code == expected, (name, role, token, response.status_code)
            if answer == "login" and expected == 302:
                assert "/accounts/login/" in response.url
            _check_secrets(role, name, response)


LIST_FILTERS = [
    "/api/v1/members/?cluster={cluster_a}",
    "/api/v1/members/?partnership={a}",
    "/api/v1/kpis/?partnership={a}",
    "/api/v1/measurements/?partnership={a}",
    "/api/v1/participations/?partnership={a}",
    "/api/v1/outcomes/?partnership={a}",
    "/api/v1/clusters/?partnership={draft}",
    "/api/v1/partners/?partnership={draft}",
    "/api/v1/missions/?partnership={a}",
    "/api/v1/tasks/?partnership={b}",
    "/api/v1/role-assignments/?partnership={a}",
    "/clusters/?partnership={draft}",
    "/partnerships/?q=raft",
    "/clusters/{cluster_a}/members/export.xlsx",
    "/missions/?view=list",
    "/missions/overlaps/?all=1",
    "/find/?q=yew",
    "/find/?competence=laser+cladding&country=FI",
    "/api/v1/partner-search/?q=works",
    "/api/v1/partner-search/?nace=C&export_market=JP",
    "/api/v1/contact-requests/?box=received",
    "/api/v1/partner-requests/?state=open",
    # vouchers and EU funding
    "/api/v1/vouchers/?partnership={a}",
    "/api/v1/vouchers/?sme=true&status=granted",
    "/api/v1/voucher-schemes/?partnership={a}",
    "/funding-calls/?closed=1",
    "/partnerships/{a}/funding-calls/",
    # brokers and investment (opportunities)
    "/api/v1/brokers/?partnership={a}",
    "/api/v1/opportunities/?partnership={a}&overdue=true",
    "/api/v1/investor-contacts/?partnership={a}",
    "/api/v1/investment-projects/?partnership={a}",
    "/partnerships/{a}/brokers/?q=bruno",
    "/partnerships/{a}/opportunities/?overdue=true",
]


@pytest.mark.parametrize("template", LIST_FILTERS)
def test_filters_and_exports_leak_nothing(client, s, template):
    url = template.format(
        cluster_a=s.world.cluster_a.pk, a=s.world.a.pk, b=s.world.b.pk, draft=s.world.draft.pk
    )
    for role in ROLES:
        headers = _client_for(client, s, role, token=False)
        response = client.get(url, **headers)
        assert response.status_code in (200, 302, 400, 401, 403, 404), (url, role)
        if url.endswith(".xlsx") and response.status_code == 200:
            from io import BytesIO

            from openpyxl import load_workbook

            cells = " ".join(
                str(c.value)
                for row in load_workbook(BytesIO(response.content)).worksheets[0].iter_rows()
                for c in row
            )
            found = [secret for secret in SECRETS[role] if secret in cells]
            assert not found, (url, role, found)
        else:
            _check_secrets(role, url, response)


@pytest.mark.parametrize("write", WRITES, ids=[f"{w[0]} {w[1]}" for w in WRITES])
def test_write(client, s, write):
    method, name, make_kwargs, body, allowed = write
    url = reverse(name, kwargs=make_kwargs(s))
    seen = MATRIX[SEEN_AT.get(name, name)][1]
    assert seen, f"{name} only takes POST: name in SEEN_AT the GET that shows its object"
    if body:  # "CLUSTER_A" stands for the id of cluster A
        body = {k: s.world.cluster_a.pk if v == "CLUSTER_A" else v for k, v in body.items()}
    for role in ROLES:
        for token in [False, True] if name.startswith("api:") and role != "anonymous" else [False]:
            headers = _client_for(client, s, role, token)
            with transaction.atomic():
                if name.startswith("api:"):
                    response = getattr(client, method)(
                        url, body or {}, content_type="application/json", **headers
                    )
                else:
                    response = client.post(url, body or {}, **headers)
                transaction.set_rollback(True)
            code = response.status_code
            if role in allowed:
                assert code <= 400, (name, role, token, code)
            elif role == "anonymous":
                assert code == _expected("login", name), (name, role, code)
            else:
                sees = seen[ROLES.index(role)] != 404
                assert code == (403 if sees else 404), (name, role, token, code)


# --- which members: EC officers get the figures, never the names or ids ------------------------
# missions.rules.can_name_members: a partnership's registrations, outcomes and export groups name
# members to its insiders, but EC officers (who do not coordinate it) read how many, not which.
# The pages and the API apply it alike: every page and endpoint of that data, asked by an
# officer, holds no member's name, id or registration note, and asked by A's coordinator, does.

NAMING_PAGES = {
    "missions:mission_detail": kw(pk=lambda s: s.ma.mission.pk),
    "missions:outcomes": A,
    "missions:export_groups": A,
}
NAMING_API = {
    "api:participation-list": NONE,
    "api:participation-detail": kw(pk=lambda s: s.ma.participation.pk),
    "api:outcome-list": NONE,
    "api:outcome-detail": kw(pk=lambda s: s.ma.outcome.pk),
    "api:exportgroup-list": NONE,
    "api:exportgroup-detail": kw(pk=lambda s: s.ma.group.pk),
}
MEMBER_NAMES = ["Alder GmbH", "Cedar AB"]  # the members the data of A names


def _rows(body):
    return body.get("results", [body])


def _naming(rows):
    """The member ids, registration notes and counts of members (by row) in API rows."""
    ids, notes, counts = set(), set(), {}
    for row in rows:
        if row.get("member") is not None:
            ids.add(row["member"])
        ids.update(row.get("members", []))
        if row.get("note"):
            notes.add(row["note"])
        if "members_count" in row:
            counts[row["id"]] = row["members_count"]
    return ids, notes, counts


@pytest.mark.parametrize("name", sorted(NAMING_PAGES))
def test_officers_pages_name_no_member(client, s_naming, name):
    from tests.security.conftest import NOTE

    s = s_naming
    url = reverse(name, kwargs=NAMING_PAGES[name](s))
    bodies = {}
    for role in ("coord_a", "officer"):
        _client_for(client, s, role, token=False)
        response = client.get(url)
        assert response.status_code == OK, (name, role, response.status_code)
        bodies[role] = response.content.decode()
    assert "Alder GmbH" in bodies["coord_a"], name
    found = [secret for secret in [*MEMBER_NAMES, NOTE] if secret in bodies["officer"]]
    assert not found, f"officer sees {found} at {name}"


@pytest.mark.parametrize("name", sorted(NAMING_API))
def test_officers_api_names_no_member(client, s_naming, name):
    from tests.security.conftest import NOTE

    s = s_naming
    url = reverse(name, kwargs=NAMING_API[name](s))
    for token in (False, True):
        answers = {}
        for role in ("coord_a", "officer"):
            headers = _client_for(client, s, role, token)
            response = client.get(url, **headers)
            assert response.status_code == OK, (name, role, token, response.status_code)
            answers[role] = _naming(_rows(response.json()))
        named_ids, named_notes, coordinator_counts = answers["coord_a"]
        assert s.member_a.pk in named_ids, (name, token)
        if name.startswith("api:participation"):
            assert NOTE in named_notes, (name, token)
        else:
            assert coordinator_counts, (name, token)
        ids, notes, counts = answers["officer"]
        assert not ids and not notes, f"officer gets members {ids} and notes {notes} at {name}"
        # How many: the figures stay (the officer also sees B's rows).
        assert coordinator_counts.items() <= counts.items(), (name, token)
