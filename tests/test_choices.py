"""Searchable fields (``escp_portal.choices``) and their suggestions endpoint (``/choices/``):
what a user types resolves to the same codes the selects sent, and the endpoint suggests only
what the user may see."""

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from escp_portal.accounts import policy
from escp_portal.choices import LIMIT, NaceField, SearchableChoiceField
from tests import factories


def clean(field, value):
    try:
        return field.clean(value)
    except forms.ValidationError as error:
        return error.messages


def country(multiple=False, **kwargs):
    return SearchableChoiceField(kind="country", multiple=multiple, **kwargs)


@pytest.mark.parametrize(
    "typed", ["DE", "de", " De ", "Germany", "GERMANY", "germany", "Germany (DE)"]
)
def test_a_country_by_its_code_or_its_name(typed):
    with translation.override("en"):
        assert clean(country(), typed) == "DE"


def test_a_country_in_the_active_language_and_in_english():
    with translation.override("de"):
        assert clean(country(), "deutschland") == "DE"
        assert clean(country(), "Frankreich") == "FR"
        assert clean(country(), "France") == "FR"  # the English name is understood too
    with translation.override("fr"):
        assert clean(country(), "Allemagne") == "DE"
        assert clean(country(), "cote d'ivoire") == "CI"


def test_the_lists_kept_between_requests_follow_the_active_language():
    """Each language's country names are kept once read; switching back and forth answers in
    the language of the moment, and a name of another language (not English) is not taken."""
    from escp_portal.choices.kinds import KINDS

    kind = KINDS["country"]
    for language, name in [("en", "Germany"), ("fr", "Allemagne"), ("de", "Deutschland")] * 2:
        with translation.override(language):
            assert kind.label("DE") == f"{name} (DE)"
            assert kind.search(name)[0] == ("DE", f"{name} (DE)")
            assert clean(country(), name) == "DE"
    with translation.override("fr"):
        assert clean(country(), "Deutschland") != "DE"  # German, while French is active


def test_accents_and_case_do_not_matter():
    with translation.override("en"):
        assert clean(country(), "aland islands") == "AX"  # Åland Islands


def test_an_ambiguous_country_names_the_candidates():
    with translation.override("en"):
        [message] = clean(country(), "Korea")
    assert "North Korea (KP)" in message and "South Korea (KR)" in message
    assert message.startswith("“Korea” is not one country. Did you mean:")


def test_an_unknown_country_is_an_error_not_a_guess():
    with translation.override("en"):
        assert clean(country(), "Atlantis") == ["No country matches “Atlantis”."]
        [message] = clean(country(), "Germny")
    # No name contains the misspelling: nothing to offer, and nothing chosen.
    assert "Germny" in message


def test_several_countries_separated_by_semicolons_or_commas():
    field = country(multiple=True)
    with translation.override("en"):
        assert clean(field, "DE; France, it") == ["DE", "FR", "IT"]
        assert clean(field, "Germany (DE); de") == ["DE"]  # once each
        # A name with a comma stays whole between semicolons.
        assert clean(field, "Bonaire, Sint Eustatius and Saba; DE") == ["BQ", "DE"]
        assert clean(field, ["DE", "FR"]) == ["DE", "FR"]  # as a multiple select sent them
        errors = clean(field, "DE; Atlantis; Narnia")
    assert errors == ["No country matches “Atlantis”.", "No country matches “Narnia”."]


def test_a_required_field_without_a_value():
    assert clean(country(required=True), "  ") == ["This field is required."]
    assert clean(country(required=False), "") == ""


def test_a_very_long_text_is_refused_before_any_search():
    assert clean(country(multiple=True), "DE; " * 1000) == ["At most 2000 characters."]


@pytest.mark.parametrize(
    "typed",
    [
        "62.01",
        "6201",
        "J62.01",
        "Computer programming activities",
        "computer PROGRAMMING activities",
        "62.01 Computer programming activities",
    ],
)
def test_a_nace_code_by_its_code_or_its_title(typed):
    assert clean(NaceField(), typed) == "62.01"


def test_a_nace_section_division_and_unknown_title():
    assert clean(NaceField(), "j") == "J"
    assert clean(NaceField(), "62") == "62"
    [message] = clean(NaceField(), "programming")
    assert message.startswith("“programming” is not one NACE code. Did you mean: ")
    assert "62 Computer programming, consultancy and related activities" in message
    assert clean(NaceField(), "Underwater basket weaving") == [
        "No NACE code matches “Underwater basket weaving”."
    ]


def test_the_widget_shows_the_label_of_the_value():
    with translation.override("en"):
        field = country()
        rendered = field.widget.render("country", "DE")
        several = country(multiple=True).widget.render("markets", ["DE", "FR"])
    assert 'value="Germany (DE)"' in rendered
    assert 'data-choices="/choices/country/?lang=en"' in rendered
    assert 'value="Germany (DE); France (FR)"' in several
    assert "<select" not in rendered + several


# --- pages --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_directory_filters_by_a_typed_country_name_or_its_code(client, world):
    url = reverse("partnerships:partnership_list")
    by_code = client.get(url, {"country": "IT"})
    by_name = client.get(url, {"country": "italy"})
    shown = [p.acronym for p in by_code.context["object_list"]]
    assert shown == ["BETA"]
    assert [p.acronym for p in by_name.context["object_list"]] == shown
    page = by_code.content.decode()
    assert 'value="Italy (IT)"' in page  # the code in the URL is shown by its name
    unknown = client.get(url, {"country": "Atlantis"})
    assert unknown.status_code == 200
    assert "No country matches “Atlantis”." in unknown.content.decode()


@pytest.mark.django_db
def test_the_member_list_filters_by_a_typed_export_market_and_sector(client, world):
    factories.member(world.cluster_a, "Alder GmbH", export_markets=["CA"], nace_code="62.01")
    factories.member(world.cluster_a, "Birch GmbH", export_markets=["US"], nace_code="10.11")
    client.force_login(world.manager_a)
    url = reverse("partnerships:member_list", args=[world.cluster_a.pk])
    for query in (
        {"export_market": "CA"},
        {"export_market": "Canada (CA)"},
        {"sector": "62.01"},
        {"sector": "Computer programming activities"},
        {"sector": "J"},
    ):
        response = client.get(url, query)
        assert [m.name for m in response.context["object_list"]] == ["Alder GmbH"], query


@pytest.mark.django_db
def test_the_api_filter_keeps_its_codes(client, world):
    client.force_login(world.officer)
    response = client.get("/api/v1/partnerships/", {"country": "IT"})
    assert [row["acronym"] for row in response.json()["results"]] == ["BETA"]
    assert client.get("/api/v1/partnerships/", {"country": "Atlantis"}).status_code == 400


# --- the endpoint -------------------------------------------------------------------------------


def suggestions(client, kind, **params):
    response = client.get(reverse("choices", args=[kind]), params)
    return response, response.json()


@pytest.mark.django_db
def test_countries_are_suggested_in_the_asked_language_to_anyone(client):
    response, rows = suggestions(client, "country", q="ger", lang="en")
    assert response.status_code == 200
    assert rows[0] == {"value": "DE", "label": "Germany (DE)"}  # a name that starts with it
    assert {"value": "DZ", "label": "Algeria (DZ)"} in rows  # "Algeria" contains it
    _response, rows = suggestions(client, "country", q="deutsch", lang="de")
    assert rows[0] == {"value": "DE", "label": "Deutschland (DE)"}
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]


@pytest.mark.django_db
def test_suggestions_are_few_and_nothing_for_nothing(client):
    _response, rows = suggestions(client, "country", q="a", lang="en")
    assert len(rows) == LIMIT
    _response, rows = suggestions(client, "nace", q="manufacture", lang="en")
    assert len(rows) == LIMIT and all("anufacture" in row["label"] for row in rows)
    assert suggestions(client, "country", q="  ", lang="en")[1] == []


@pytest.mark.django_db
def test_nace_codes_by_code_or_title(client):
    _response, rows = suggestions(client, "nace", q="62.01", lang="en")
    assert rows[0] == {"value": "62.01", "label": "62.01 Computer programming activities"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, params",
    [
        ("/choices/planets/", {"q": "mars"}),
        ("/choices/country/", {"q": "x" * 101}),
        ("/choices/country/", {"q": "de", "lang": "xx"}),
    ],
)
def test_bad_requests_answer_400_in_json(client, path, params):
    response = client.get(path, params)
    assert response.status_code == 400
    assert "detail" in response.json()


@pytest.mark.django_db
def test_only_get(client):
    assert client.post("/choices/country/", {"q": "de"}).status_code == 405


@pytest.mark.django_db
def test_clusters_are_those_the_user_may_see(client, world, monkeypatch):
    client.force_login(world.manager_a)
    response, rows = suggestions(client, "cluster", q="cluster")
    assert [row["label"] for row in rows] == [
        "Alpha Cluster (DE)",
        "Beta Cluster (IT)",
        "Lone Cluster (PL)",
    ]
    assert rows[0]["value"] == str(world.cluster_a.pk)
    assert "private" in response["Cache-Control"]
    # The endpoint asks the access policy: a cluster it hides is not suggested.
    label = "partnerships.ClusterOrganisation"
    everything = policy._visible[label]
    monkeypatch.setitem(
        policy._visible,
        label,
        lambda qs, scope: everything(qs, scope).exclude(pk=world.cluster_x.pk),
    )
    _response, rows = suggestions(client, "cluster", q="cluster")
    assert "Lone Cluster (PL)" not in [row["label"] for row in rows]


@pytest.mark.django_db
def test_a_partner_is_added_by_typing_its_cluster(client, world):
    """Staff record a partner: the cluster is typed (no select of every cluster)."""
    client.force_login(world.staff)
    url = reverse("partnerships:partner_add", args=[world.b.pk])
    page = client.get(url).content.decode()
    assert 'name="cluster"' in page and "Lone Cluster" not in page
    response = client.post(url, {"cluster": "lone cluster", "role": "partner"})
    assert response.status_code == 302, response.context["form"].errors
    assert world.b.partners.filter(cluster=world.cluster_x).exists()
    response = client.post(url, {"cluster": "Cluster", "role": "partner"})
    [error] = response.context["form"].errors["cluster"]
    assert "Did you mean" in error and "Alpha Cluster (DE)" in error


@pytest.mark.django_db
def test_members_are_those_a_partnerships_records_may_name(client, world):
    factories.member(world.cluster_a, "Alder GmbH")
    factories.member(world.cluster_x, "Alder Oy")  # a cluster outside partnership A
    client.force_login(world.coord_a)
    response, rows = suggestions(client, "member", q="alder", partnership=world.a.pk)
    assert [row["label"] for row in rows] == ["Alder GmbH (DE)"]
    assert "private" in response["Cache-Control"]
    client.force_login(world.coord_b)  # sees partnership A, none of its members
    assert suggestions(client, "member", q="alder", partnership=world.a.pk)[1] == []
    for params in ({}, {"partnership": "x"}, {"partnership": world.draft.pk}):
        response, body = suggestions(client, "member", q="alder", **params)
        assert response.status_code == 400 and body["detail"], params
        assert body["status"] == 400 and body["code"] == "invalid", body  # the API's error shape


@pytest.mark.django_db
def test_an_outcome_names_its_members_by_typing_them(client, world):
    from missions.models import Outcome

    alder = factories.member(world.cluster_a, "Alder GmbH")
    cedar = factories.member(world.cluster_a2, "Cedar AB")
    client.force_login(world.coord_a)
    url = reverse("missions:outcomes", args=[world.a.pk])
    page = client.get(url).content.decode()
    assert f"/choices/member/?lang=en&amp;partnership={world.a.pk}" in page
    body = {
        "kind": Outcome.Kind.CONTRACT,
        "counterpart": "Buyer Inc.",
        "counterpart_country": "Canada",
        "date": "2025-05-01",
        "members": "alder gmbh; Cedar AB (SE)",
    }
    response = client.post(url, body)
    assert response.status_code == 302, response.context["form"].errors
    outcome = Outcome.objects.get(partnership=world.a)
    assert outcome.counterpart_country == "CA"
    assert set(outcome.members.all()) == {alder, cedar}
    response = client.post(url, {**body, "members": "Xylo Oy"})
    assert response.context["form"].errors["members"] == ["No member matches “Xylo Oy”."]


@pytest.mark.django_db
def test_suggestions_cost_one_query_whatever_the_number_of_rows(
    client, world, django_assert_max_num_queries
):
    for n in range(30):
        factories.cluster(f"Cluster extra {n}", "SE")
    for n in range(30):
        factories.member(world.cluster_a, f"Member extra {n}")
    client.force_login(world.coord_a)
    client.get("/")  # the session is loaded once
    # Signed in: session, user, roles; then one query for the suggestions (two for members:
    # the partnership, then its members).
    with django_assert_max_num_queries(4):
        assert len(suggestions(client, "cluster", q="cluster")[1]) == LIMIT
    with django_assert_max_num_queries(5):
        assert len(suggestions(client, "member", q="extra", partnership=world.a.pk)[1]) == LIMIT
    with django_assert_max_num_queries(3):  # the session's only: countries are no table
        suggestions(client, "country", q="ger", lang="en")


def test_a_code_that_is_not_nace_says_so():
    assert clean(NaceField(), "99.99") == ["99.99 is not a NACE Rev. 2 code (e.g. 62.01)."]


@pytest.mark.django_db
def test_an_id_beyond_the_database_is_an_error_not_a_failure(client, world):
    client.force_login(world.staff)
    url = reverse("partnerships:partner_add", args=[world.b.pk])
    response = client.post(url, {"cluster": "9" * 40, "role": "partner"})
    assert response.status_code == 200 and response.context["form"].errors["cluster"]
    response, _body = suggestions(client, "member", q="x", partnership="9" * 40)
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_invitation_form_suggests_only_the_clusters_it_accepts(client, world):
    """A coordinator invites managers of their partnerships' clusters only: the cluster field
    asks for those (``?for=invitation``), and the suggestions leave out the clusters the
    coordinator sees but may not invite to."""
    client.force_login(world.coord_a)
    page = client.get(reverse("accounts:invite")).content.decode()
    assert "for=invitation" in page
    _response, seen = suggestions(client, "cluster", q="cluster")
    _response, offered = suggestions(client, "cluster", q="cluster", **{"for": "invitation"})
    seen, offered = [r["label"] for r in seen], [r["label"] for r in offered]
    assert "Lone Cluster (PL)" in seen and "Lone Cluster (PL)" not in offered
    assert "Alpha Cluster (DE)" in offered
    response = client.get("/choices/cluster/", {"q": "cluster", "for": "everything"})
    assert response.status_code == 400 and "detail" in response.json()
