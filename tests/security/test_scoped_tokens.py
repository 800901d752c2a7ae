"""Requirement (issue #18): scoped API tokens. A token can be read only, or limited to chosen
partnerships or clusters; the access policy (``policy.TokenLimit``) narrows every rule by it.

The sweeps walk the API router: every list endpoint with a token limited to partnership A
shows nothing of another partnership (compared with the same user's full token), every detail
outside the limit answers 404, and every unsafe method with a read-only token answers 403
``read_only_token`` and writes nothing."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from knox.models import AuthToken

from escp_portal.accounts.models import TokenScope
from escp_portal.accounts.policy import partnership_id_of, visible_to
from escp_portal.api.urls import router
from tests import factories

pytestmark = pytest.mark.django_db
TOKENS = "/api/v1/auth/tokens/"


def scoped_token(user, *, read_only=False, partnerships=(), clusters=(), name="integration"):
    instance, token = AuthToken.objects.create(user=user)
    scope = TokenScope.objects.create(token=instance, name=name, read_only=read_only)
    scope.partnerships.set(partnerships)
    scope.clusters.set(clusters)
    return token


def call(client, method, url, token, data=None):
    kwargs = {"HTTP_AUTHORIZATION": f"Token {token}"}
    if method not in ("get", "delete") or data is not None:
        kwargs.update(data=data or {}, content_type="application/json")
    return getattr(client, method)(url, **kwargs)


def rows(client, url, token):
    response = call(client, "get", f"{url}?page_size=200", token)
    assert response.status_code == 200, (url, response.content)
    body = response.json()
    return body["results"] if isinstance(body, dict) and "results" in body else body


def _list_endpoints():
    for _prefix, viewset, basename in router.registry:
        yield pytest.param(viewset, basename, id=basename)


def _fixture_objects(value, seen=None):
    """Every model instance reachable from the fixture's namespaces."""
    seen = set() if seen is None else seen
    if isinstance(value, Model):
        key = (type(value), value.pk)
        if key not in seen:
            seen.add(key)
            yield value
    elif isinstance(value, SimpleNamespace):
        for item in vars(value).values():
            yield from _fixture_objects(item, seen)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _fixture_objects(item, seen)


def outside_a(s):
    """The fixture's objects of other partnerships, of clusters not partnering in A, and of
    A's coordinator's draft partnership: model -> pks."""
    world = s.world
    roots = SimpleNamespace(
        b=s.b,
        mb=s.mb,
        coordination_b=s.coordination.b,
        scheme_b=s.fund.scheme_b,
        voucher_b=s.fund.voucher_b,
        partner_b=s.partner_b,
        member_b=s.member_b,
        member_x=s.member_x,
        yew=s.find.yew,
        yew_profile=s.find.profile,
        partnership_b=world.b,
        draft=world.draft,
        draft_partners=list(world.draft.partners.all()),
        cluster_b=world.cluster_b,
        cluster_x=world.cluster_x,
    )
    found: dict[type, set] = {}
    for obj in _fixture_objects(roots):
        found.setdefault(type(obj), set()).add(obj.pk)
    for partner in world.draft.partners.all():
        found.setdefault(type(partner), set()).add(partner.pk)
    return found


def _ids(viewset, body_rows):
    key = "token_key" if viewset.lookup_field == "token_key" else "id"
    return {row[key] for row in body_rows if isinstance(row, dict) and key in row}


@pytest.fixture
def a_only(s):
    """A's coordinator's token limited to partnership A, and their full token."""
    return SimpleNamespace(
        limited=scoped_token(s.world.coord_a, partnerships=[s.world.a]),
        full=s.tokens["coord_a"],
    )


@pytest.mark.parametrize(("viewset", "basename"), list(_list_endpoints()))
def test_a_token_limited_to_a_partnership_lists_nothing_of_another(
    client, s, a_only, viewset, basename
):
    url = reverse(f"api:{basename}-list")
    limited = _ids(viewset, rows(client, url, a_only.limited))
    full = _ids(viewset, rows(client, url, a_only.full))
    model = viewset.queryset.model
    assert limited <= full, f"{basename}: the limited token sees more than its user"
    assert not limited & outside_a(s).get(model, set()), f"{basename}: another partnership's"
    for pk in limited:
        obj = model._base_manager.get(**{viewset.lookup_field: pk})
        owner = partnership_id_of(obj)
        assert owner in (None, s.world.a.pk), f"{basename} {pk} belongs to partnership {owner}"
    # What belongs to A stays visible: the limit narrows, it does not blind.
    inside = {
        getattr(obj, viewset.lookup_field)
        for obj in _fixture_objects(s)
        if isinstance(obj, model) and partnership_id_of(obj) == s.world.a.pk
    }
    assert (inside & full) <= limited, f"{basename}: A's data hidden from A's token"


@pytest.mark.parametrize(("viewset", "basename"), list(_list_endpoints()))
def test_an_object_outside_the_limit_answers_404(client, s, a_only, viewset, basename):
    model = viewset.queryset.model
    for pk in sorted(outside_a(s).get(model, set())):
        url = reverse(f"api:{basename}-detail", args=[pk])
        if call(client, "get", url, a_only.full).status_code != 200:
            continue  # not the user's to see anyway
        response = call(client, "get", url, a_only.limited)
        assert response.status_code == 404, (basename, pk, response.content)
        assert response.json()["code"] == "not_found"


def test_the_sweep_finds_objects_outside_the_limit_that_the_full_token_sees(client, s, a_only):
    """The 404 sweep is not vacuous: the full token reads B's missions (the common database)
    and A's draft partnership; the limited one reads neither."""
    mission_b = reverse("api:mission-detail", args=[s.mb.mission.pk])
    draft = reverse("api:partnership-detail", args=[s.world.draft.pk])
    for url in (mission_b, draft):
        assert call(client, "get", url, a_only.full).status_code == 200
        assert call(client, "get", url, a_only.limited).status_code == 404


def test_a_limited_token_reads_no_scoreboard_outside_its_limit(client, s, a_only):
    own = reverse("api:scoreboard", args=[s.world.a.pk])
    other = reverse("api:scoreboard", args=[s.world.draft.pk])
    assert call(client, "get", own, a_only.limited).status_code == 200
    assert call(client, "get", other, a_only.full).status_code == 200
    assert call(client, "get", other, a_only.limited).status_code == 404


def test_a_limited_token_cannot_write_outside_its_limit(client, s, a_only):
    """A's coordinator edits the draft partnership with the full token, not the limited one."""
    url = reverse("api:partnership-detail", args=[s.world.draft.pk])
    response = call(client, "patch", url, a_only.limited, {"name": "Renamed"})
    assert response.status_code == 404
    s.world.draft.refresh_from_db()
    assert s.world.draft.name != "Renamed"
    objective = reverse("api:objective-detail", args=[s.a.objective.pk])
    assert call(client, "patch", objective, a_only.limited, {}).status_code == 200


# --- read-only tokens ----------------------------------------------------------------------------


def _assert_read_only(response):
    assert response.status_code == 403, response.content
    body = response.json()
    assert body["status"] == 403
    assert body["code"] == "read_only_token"
    assert body["detail"]


@pytest.mark.parametrize(("viewset", "basename"), list(_list_endpoints()))
def test_a_read_only_token_writes_nothing_anywhere(client, s, viewset, basename):
    """Staff (who may write everything) with a read-only token: every POST to a list, every
    PATCH, PUT and DELETE of an object it reads, answers 403 read_only_token; nothing moves."""
    staff = s.world.staff
    token = scoped_token(staff, read_only=True)
    model = viewset.queryset.model
    before = model._base_manager.count()
    _assert_read_only(call(client, "post", reverse(f"api:{basename}-list"), token, {}))
    candidates = model._default_manager.all()
    if model is AuthToken:  # not the read-only token itself, which it may revoke
        candidates = candidates.exclude(pk__in=TokenScope.objects.values("pk"))
    obj = visible_to(candidates, staff).order_by("pk").first()
    if obj is not None:
        url = reverse(f"api:{basename}-detail", args=[getattr(obj, viewset.lookup_field)])
        assert call(client, "get", url, token).status_code == 200
        for method in ("patch", "put", "delete"):
            _assert_read_only(call(client, method, url, token, {}))
    if basename != "token":  # the read-only token is itself a new row of its model
        assert model._base_manager.count() == before


def test_a_read_only_token_cannot_post_to_an_action_or_issue_a_token(client, s):
    token = scoped_token(s.world.coord_a, read_only=True)
    invitation = reverse("api:invitation-revoke", args=[s.invitation.pk])
    _assert_read_only(call(client, "post", invitation, token))
    _assert_read_only(call(client, "post", TOKENS, token, {"name": "wider"}))
    _assert_read_only(call(client, "post", "/api/v1/measurements/bulk/", token, {"rows": []}))
    assert AuthToken.objects.filter(user=s.world.coord_a).count() == 2


def test_a_read_only_token_reads_what_its_user_reads(client, s):
    token = scoped_token(s.world.coord_a, read_only=True)
    for name in ("api:partnership-list", "api:member-list", "api:kpi-list"):
        assert rows(client, reverse(name), token) == rows(
            client, reverse(name), s.tokens["coord_a"]
        )


def test_a_read_only_token_revokes_itself_and_nothing_else(client, s):
    user = s.world.coord_a
    token = scoped_token(user, read_only=True)
    other = AuthToken.objects.filter(user=user).exclude(token_key=token[:15]).get()
    _assert_read_only(call(client, "delete", f"{TOKENS}{other.token_key}/", token))
    assert call(client, "delete", f"{TOKENS}{token[:15]}/", token).status_code == 204
    assert call(client, "get", "/api/v1/me/", token).status_code == 401

    second = scoped_token(user, read_only=True)
    assert call(client, "delete", "/api/v1/auth/token/", second).status_code == 204
    assert list(AuthToken.objects.filter(user=user)) == [other]


# --- tokens limited to a cluster ---------------------------------------------------------------


def test_a_cluster_limited_token_reads_its_cluster_and_the_partnerships_it_partners(client, s):
    world = s.world
    token = scoped_token(world.manager_a, clusters=[world.cluster_a])
    full = s.tokens["manager_a"]
    partnerships = {row["id"] for row in rows(client, reverse("api:partnership-list"), token)}
    assert partnerships == {world.a.pk}  # not B's, nor any other published partnership
    clusters = {row["id"] for row in rows(client, reverse("api:cluster-list"), token)}
    assert world.cluster_a.pk in clusters
    assert not clusters & {world.cluster_b.pk, world.cluster_x.pk}
    members = {row["id"] for row in rows(client, reverse("api:member-list"), token)}
    assert members == {row["id"] for row in rows(client, reverse("api:member-list"), full)}
    assert s.member_a.pk in members
    missions = {row["id"] for row in rows(client, reverse("api:mission-list"), token)}
    assert missions == {s.ma.mission.pk}
    kpis = {row["id"] for row in rows(client, reverse("api:kpi-list"), token)}
    assert kpis == {s.a.kpi.pk}
    mission_b = reverse("api:mission-detail", args=[s.mb.mission.pk])
    assert call(client, "get", mission_b, token).status_code == 404


def test_a_coordinator_limited_to_a_partnership_sees_its_partner_clusters_members(client, s):
    token = scoped_token(s.world.coord_a, partnerships=[s.world.a])
    members = {row["id"] for row in rows(client, reverse("api:member-list"), token)}
    assert s.member_a.pk in members and s.member_a2.pk in members
    assert s.member_b.pk not in members and s.member_x.pk not in members


def test_a_token_limited_to_another_partnership_of_the_user_loses_a(client, s):
    """coord_a limited to the draft partnership: A's data is out of reach."""
    token = scoped_token(s.world.coord_a, partnerships=[s.world.draft])
    kpi_a = reverse("api:kpi-detail", args=[s.a.kpi.pk])
    assert call(client, "get", kpi_a, token).status_code == 404
    ids = {row["id"] for row in rows(client, reverse("api:partnership-list"), token)}
    assert ids == {s.world.draft.pk}


def test_a_limit_never_widens_the_users_rights(client, s):
    """A scope row naming a partnership the user has no role in (written in the database by
    hand) gives nothing: the limit is intersected with the user's roles."""
    token = scoped_token(s.world.manager_x, partnerships=[s.world.b])
    assert rows(client, reverse("api:kpi-list"), token) == []
    assert rows(client, reverse("api:member-list"), token) == []
    assert rows(client, reverse("api:outcome-list"), token) == []


# --- EC officers ---------------------------------------------------------------------------------


def test_an_officer_creates_a_read_only_token_that_reads_and_never_writes(client, s):
    world = s.world
    client.force_login(world.officer)
    response = client.post(
        TOKENS, {"name": "dashboard", "read_only": True}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["read_only"] is True and body["name"] == "dashboard"
    client.logout()
    token = body["token"]
    partnerships = {row["id"] for row in rows(client, reverse("api:partnership-list"), token)}
    assert {world.a.pk, world.b.pk, world.draft.pk} <= partnerships
    call_url = reverse("api:fundingcall-list")
    _assert_read_only(call(client, "post", call_url, token, {"title": "New call"}))
    review = reverse("api:kpi-detail", args=[s.a.kpi.pk])
    _assert_read_only(call(client, "patch", review, token, {}))


def test_an_officer_cannot_limit_a_token_to_a_partnership(client, s):
    client.force_login(s.world.officer)
    response = client.post(
        TOKENS, {"partnerships": [s.world.a.pk]}, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"partnerships"}


# --- creating tokens -----------------------------------------------------------------------------


def test_a_coordinator_creates_a_limited_token_shown_once_and_listed_with_its_limits(client, s):
    world = s.world
    client.force_login(world.coord_a)
    response = client.post(
        TOKENS,
        {"name": "CRM", "read_only": True, "partnerships": [world.a.pk]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["token"].startswith(body["token_key"])
    assert body["partnerships"] == [world.a.pk] and body["clusters"] == []
    listed = client.get(TOKENS).json()["results"]
    mine = next(row for row in listed if row["token_key"] == body["token_key"])
    assert mine == {**{k: v for k, v in body.items() if k != "token"}}
    assert all("token" not in row for row in listed)
    token = body["token"]
    client.logout()
    assert {row["id"] for row in rows(client, reverse("api:partnership-list"), token)} == {
        world.a.pk
    }


@pytest.mark.parametrize(
    ("who", "payload", "fields"),
    [
        ("coord_a", lambda w: {"partnerships": [w.b.pk]}, {"partnerships"}),
        ("coord_a", lambda w: {"clusters": [w.cluster_a.pk]}, {"clusters"}),
        ("manager_a", lambda w: {"clusters": [w.cluster_x.pk]}, {"clusters"}),
        ("manager_a", lambda w: {"partnerships": [w.a.pk]}, {"partnerships"}),
        ("coord_a", lambda w: {"partnerships": ["ALPHA"]}, {"partnerships"}),
        ("coord_a", lambda w: {"partnerships": [999999]}, {"partnerships"}),
        ("coord_a", lambda w: {"read_only": "maybe"}, {"read_only"}),
        ("coord_a", lambda w: {"name": "x" * 101}, {"name"}),
        ("staff", lambda w: {"partnerships": [w.a.pk]}, {"partnerships"}),
    ],
)
def test_choices_outside_what_the_user_acts_in_answer_400(client, s, who, payload, fields):
    user = getattr(s.world, who)
    client.force_login(user)
    before = AuthToken.objects.filter(user=user).count()
    response = client.post(TOKENS, payload(s.world), content_type="application/json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and set(body["errors"]) == fields
    assert AuthToken.objects.filter(user=user).count() == before


def test_an_unknown_id_and_a_forbidden_id_answer_alike(client, s):
    """Whether the partnership exists is not told."""
    client.force_login(s.world.coord_a)
    unknown = client.post(TOKENS, {"partnerships": [999999]}, content_type="application/json")
    other = client.post(TOKENS, {"partnerships": [s.world.b.pk]}, content_type="application/json")
    assert unknown.json() == other.json()


def test_a_limited_token_creates_no_token(client, s, a_only):
    response = call(client, "post", TOKENS, a_only.limited, {"name": "wider"})
    assert response.status_code == 403
    assert response.json()["code"] == "limited_token"
    full_response = call(client, "post", TOKENS, a_only.full, {"partnerships": [s.world.a.pk]})
    assert full_response.status_code == 201


def test_a_token_with_only_a_name_acts_with_its_users_rights(client, s):
    token = scoped_token(s.world.coord_a, name="plain")
    for name in ("api:partnership-list", "api:mission-list", "api:member-list"):
        assert rows(client, reverse(name), token) == rows(
            client, reverse(name), s.tokens["coord_a"]
        )
    objective = reverse("api:objective-detail", args=[s.a.objective.pk])
    assert call(client, "patch", objective, token, {}).status_code == 200


# --- the cost of a scope --------------------------------------------------------------------------


def _queries(client, url, token):
    with CaptureQueriesContext(connection) as queries:
        assert call(client, "get", url, token).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["api:kpi-list", "api:member-list", "api:partnership-list"])
def test_a_scoped_token_list_costs_the_same_whatever_the_rows(
    client, s, a_only, name, django_assert_max_num_queries
):
    """Loading the scope is one query; the limit is part of the list's query. More rows in A
    add no query."""
    url = reverse(name)
    full = _queries(client, url, a_only.full)
    limited = _queries(client, url, a_only.limited)
    assert limited <= full + 1
    for index in range(3):
        factories.member(s.world.cluster_a, f"More {index}")
        factories.partnership(f"MORE{index}", coordinator=s.world.cluster_a)
        goal = factories.objective(s.a.strategy, code=f"O{index + 2}")
        factories.kpi(goal, name=f"KPI {index}")
    with django_assert_max_num_queries(limited):
        assert call(client, "get", url, a_only.limited).status_code == 200


def test_the_schema_documents_the_token_and_its_scope(client, world):
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    body = schema.json()
    token_scheme = body["components"]["securitySchemes"]["apiToken"]
    assert token_scheme["type"] == "apiKey" and token_scheme["name"] == "Authorization"
    assert "Token <key>" in token_scheme["description"]
    create = body["paths"]["/api/v1/auth/tokens/"]["post"]
    assert {"apiToken": []} in create["security"]
    request = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    fields = body["components"]["schemas"][request.rsplit("/", 1)[1]]["properties"]
    assert {"name", "read_only", "partnerships", "clusters"} <= set(fields)
