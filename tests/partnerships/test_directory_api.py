import pytest
from auditlog.models import LogEntry

from partnerships.models import ClusterOrganisation, Partner, Partnership

pytestmark = pytest.mark.django_db


def as_user(client, user):
    if user is not None:
        client.force_login(user)
    return client


def acronyms(response):
    return {row["acronym"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("who", "sees_draft"),
    [(None, False), ("coord_a", True), ("coord_b", False), ("manager_a", False), ("officer", True)],
)
def test_draft_partnership_is_visible_only_to_its_coordinator_and_officers(
    client, world, who, sees_draft
):
    as_user(client, getattr(world, who) if who else None)
    listed = acronyms(client.get("/api/v1/partnerships/"))
    assert ("DRAFTY" in listed) is sees_draft
    assert {"ALPHA", "BETA"} <= listed
    detail = client.get(f"/api/v1/partnerships/{world.draft.pk}/")
    assert detail.status_code == (200 if sees_draft else 404)
    partners = client.get("/api/v1/partners/", {"partnership": world.draft.pk}).json()
    assert (partners["count"] > 0) is sees_draft


def test_not_found_body_gives_nothing_away(client, world):
    response = client.get(f"/api/v1/partnerships/{world.draft.pk}/")
    assert response.json() == {"status": 404, "code": "not_found", "detail": "Not found."}


def test_coordinator_edits_own_partnership_and_the_change_is_audited(client, world):
    as_user(client, world.coord_a)
    refused = client.patch(
        f"/api/v1/partnerships/{world.a.pk}/",
        {"website": "https://alpha.example.eu", "acronym": "HIJACK"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "acronym" in refused.json()["errors"]
    response = client.patch(
        f"/api/v1/partnerships/{world.a.pk}/",
        {"website": "https://alpha.example.eu", "acronym": "ALPHA"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    world.a.refresh_from_db()
    assert world.a.website == "https://alpha.example.eu"
    assert world.a.acronym == "ALPHA"  # identity is the programme's, refused above
    entry = LogEntry.objects.get_for_object(world.a).latest("timestamp")
    assert entry.actor == world.coord_a
    assert entry.changes_dict["website"] == ["", "https://alpha.example.eu"]


@pytest.mark.parametrize(
    ("who", "status"), [(None, 401), ("coord_b", 403), ("manager_a", 403), ("officer", 403)]
)
def test_others_cannot_edit_a_partnership(client, world, who, status):
    as_user(client, getattr(world, who) if who else None)
    response = client.patch(
        f"/api/v1/partnerships/{world.a.pk}/",
        {"name": "Taken over"},
        content_type="application/json",
    )
    assert response.status_code == status
    assert response.json()["status"] == status
    world.a.refresh_from_db()
    assert world.a.name == "Test"


def test_only_staff_delete_a_partnership_not_even_its_coordinator(client, world):
    url = f"/api/v1/partnerships/{world.a.pk}/"
    for user in (world.coord_a, world.officer):
        as_user(client, user)
        assert client.delete(url).status_code == 403
    assert Partnership.objects.filter(pk=world.a.pk).exists()
    as_user(client, world.staff)
    assert client.delete(url).status_code == 204
    assert not Partnership.objects.filter(pk=world.a.pk).exists()


def test_token_of_another_coordinator_cannot_edit(client, world):
    from knox.models import AuthToken

    _, token = AuthToken.objects.create(user=world.coord_b)
    response = client.patch(
        f"/api/v1/partnerships/{world.a.pk}/",
        {"name": "Taken over"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code == 403
    draft = client.get(
        f"/api/v1/partnerships/{world.draft.pk}/", HTTP_AUTHORIZATION=f"Token {token}"
    )
    assert draft.status_code == 404


def test_end_before_start_is_refused_and_nothing_is_written(client, world):
    as_user(client, world.coord_a)
    response = client.patch(
        f"/api/v1/partnerships/{world.a.pk}/",
        {"start_date": "2025-06-01", "end_date": "2025-01-01", "website": "https://x.example"},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "end date cannot be before the start date" in str(body["errors"])
    world.a.refresh_from_db()
    assert world.a.website == ""


def test_second_coordinator_is_refused(client, world):
    as_user(client, world.staff)  # staff record programme data directly
    response = client.post(
        "/api/v1/partners/",
        {"partnership": world.a.pk, "cluster": world.cluster_x.pk, "role": "coordinator"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "already has a coordinator" in str(response.json()["errors"])
    assert not Partner.objects.filter(cluster=world.cluster_x).exists()


def test_coordinator_is_told_to_invite_and_staff_records_a_partner(client, world):
    as_user(client, world.coord_a)
    refused = client.post(
        "/api/v1/partners/",
        {"partnership": world.a.pk, "cluster": world.cluster_x.pk, "joined_on": "2024-02-01"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert "invite it instead" in refused.json()["detail"]
    assert not Partner.objects.filter(cluster=world.cluster_x).exists()
    as_user(client, world.staff)
    response = client.post(
        "/api/v1/partners/",
        {"partnership": world.a.pk, "cluster": world.cluster_x.pk, "joined_on": "2024-02-01"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["country"] == "PL"
    partner_id = response.json()["id"]
    assert client.delete(f"/api/v1/partners/{partner_id}/").status_code == 204
    assert not Partner.objects.filter(pk=partner_id).exists()


def test_coordinator_cannot_add_partners_to_another_partnership(client, world):
    as_user(client, world.coord_b)
    response = client.post(
        "/api/v1/partners/",
        {"partnership": world.a.pk, "cluster": world.cluster_x.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    hidden = client.post(
        "/api/v1/partners/",
        {"partnership": world.draft.pk, "cluster": world.cluster_x.pk},
        content_type="application/json",
    )
    assert hidden.status_code == 400  # an id they cannot see is, to them, no such id
    assert "partnership" in hidden.json()["errors"]


def test_invalid_country_is_refused(client, world):
    as_user(client, world.coord_a)
    response = client.post(
        "/api/v1/clusters/", {"name": "New", "country": "XX"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "country" in response.json()["errors"]
    assert not ClusterOrganisation.objects.filter(name="New").exists()


def test_cluster_manager_edits_own_cluster_only(client, world):
    as_user(client, world.manager_a)
    own = client.patch(
        f"/api/v1/clusters/{world.cluster_a.pk}/", {"city": "Köln"}, content_type="application/json"
    )
    assert own.status_code == 200
    other = client.patch(
        f"/api/v1/clusters/{world.cluster_b.pk}/", {"city": "Roma"}, content_type="application/json"
    )
    assert other.status_code == 403
    bad_nuts = client.patch(
        f"/api/v1/clusters/{world.cluster_a.pk}/",
        {"nuts_region": "FR10"},
        content_type="application/json",
    )
    assert bad_nuts.status_code == 400
    assert "nuts_region" in bad_nuts.json()["errors"]


def test_officer_reads_everything_and_writes_nothing(client, world):
    as_user(client, world.officer)
    assert client.get("/api/v1/partnerships/").json()["count"] == 3
    response = client.post(
        "/api/v1/clusters/", {"name": "New", "country": "DE"}, content_type="application/json"
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        "phase=nope",
        "country=XX",
        "programme=NOPE",
        "generation=two",
        "status=sleeping",
        "sector=none",
    ],
)
def test_unknown_filter_values_get_a_400(client, world, query):
    response = client.get(f"/api/v1/partnerships/?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_filters_narrow_the_list(client, world):
    assert acronyms(client.get("/api/v1/partnerships/?country=IT")) == {"BETA"}
    assert acronyms(client.get("/api/v1/partnerships/?q=alp")) == {"ALPHA"}
    assert acronyms(client.get(f"/api/v1/partnerships/?cluster={world.cluster_a.pk}")) == {"ALPHA"}
    clusters = client.get("/api/v1/clusters/?country=PL").json()["results"]
    assert [c["name"] for c in clusters] == ["Lone Cluster"]


def test_malformed_json_gets_a_400_json_body(client, world):
    as_user(client, world.coord_a)
    response = client.patch(
        f"/api/v1/partnerships/{world.a.pk}/", '{"name": ', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_schema_and_docs_are_served(client, world):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/partnerships/",
        "/api/v1/clusters/",
        "/api/v1/partners/",
        "/api/v1/programmes/",
        "/api/v1/auth/token/",
    ):
        assert path in paths
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()


def test_programmes_count_only_visible_partnerships(client, world):
    public = client.get("/api/v1/programmes/").json()["results"]
    assert public[0]["partnership_count"] == 2
    as_user(client, world.officer)
    assert client.get("/api/v1/programmes/").json()["results"][0]["partnership_count"] == 3


def test_partnership_acronym_is_unique_per_programme_and_generation(client, world):
    as_user(client, world.staff)
    data = {
        "acronym": "ALPHA",
        "name": "Again",
        "programme": "ESCP-4i",
        "generation": 1,
        "phase": "preparatory",
    }
    assert (
        client.post("/api/v1/partnerships/", data, content_type="application/json").status_code
        == 400
    )
    data["generation"] = 2
    assert (
        client.post("/api/v1/partnerships/", data, content_type="application/json").status_code
        == 201
    )
    assert Partnership.objects.filter(acronym="ALPHA").count() == 2


def test_draft_partners_do_not_leak_through_the_cluster_filter(client, world):
    listed = client.get(f"/api/v1/clusters/?partnership={world.draft.pk}").json()
    assert listed["count"] == 0
    page = client.get(f"/clusters/?partnership={world.draft.pk}")
    assert "Alpha Two" not in page.content.decode()
    client.force_login(world.coord_a)
    assert client.get(f"/api/v1/clusters/?partnership={world.draft.pk}").json()["count"] == 1


def test_role_assignment_filters_do_not_tell_which_ids_exist(client, world):
    client.force_login(world.manager_a)
    hidden = client.get(f"/api/v1/role-assignments/?partnership={world.draft.pk}")
    missing = client.get("/api/v1/role-assignments/?partnership=999999")
    assert hidden.status_code == missing.status_code == 200
    assert hidden.json()["count"] == missing.json()["count"] == 0


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/clusters/?partnership=99999999999999999999999",
        "/api/v1/partners/?partnership=99999999999999999999999",
        "/api/v1/partnerships/?page=abc",
        "/api/v1/partnerships/?generation=99999999999",
    ],
)
def test_out_of_range_numbers_get_a_400(client, world, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
