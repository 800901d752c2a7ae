import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from partnerships.models import ClusterOrganisation, Partner

pytestmark = pytest.mark.django_db


def edit_data(partnership, **changes):
    data = {
        "name": partnership.name,
        "status": partnership.status,
        "start_date": partnership.start_date.isoformat(),
        "end_date": partnership.end_date.isoformat(),
        "sme_count": "",
        "objectives": partnership.objectives,
        "website": partnership.website,
    }
    data.update(changes)
    return data


def test_public_directory_lists_published_partnerships_only(client, world):
    page = client.get(reverse("partnerships:partnership_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "ALPHA" in html and "BETA" in html and "DRAFTY" not in html
    assert (
        client.get(reverse("partnerships:partnership_detail", args=[world.draft.pk])).status_code
        == 404
    )


def test_directory_filters_and_shows_errors_for_bad_values(client, world):
    html = client.get(reverse("partnerships:partnership_list"), {"country": "IT"}).content.decode()
    assert "BETA" in html and "ALPHA" not in html
    bad = client.get(reverse("partnerships:partnership_list"), {"phase": "nope"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()


def test_partnership_page_lists_partners_by_country(client, world):
    html = client.get(
        reverse("partnerships:partnership_detail", args=[world.a.pk])
    ).content.decode()
    assert "Alpha Cluster" in html and "Germany" in html and "France" in html
    assert "2 partners" in html and "in 2 countries" in html
    assert "Edit partnership" not in html


def test_coordinator_edits_own_partnership_on_the_page(client, world):
    client.force_login(world.coord_a)
    url = reverse("partnerships:partnership_edit", args=[world.a.pk])
    response = client.post(url, edit_data(world.a, website="https://alpha.example.eu"), follow=True)
    assert "The partnership was saved." in response.content.decode()
    world.a.refresh_from_db()
    assert world.a.website == "https://alpha.example.eu"
    history = client.get(reverse("partnerships:partnership_history", args=[world.a.pk]))
    assert "https://alpha.example.eu" in history.content.decode()
    assert "coord-a@example.org" in history.content.decode()


def test_edit_page_rejects_end_before_start_with_a_message(client, world):
    client.force_login(world.coord_a)
    url = reverse("partnerships:partnership_edit", args=[world.a.pk])
    response = client.post(url, edit_data(world.a, start_date="2026-01-01", end_date="2025-01-01"))
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()
    world.a.refresh_from_db()
    assert world.a.end_date.year == 2027


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 302), ("coord_b", 403), ("manager_a", 403), ("officer", 403), ("coord_a", 200)],
)
def test_who_may_open_the_edit_page(client, world, who, status):
    if who:
        client.force_login(getattr(world, who))
    response = client.get(reverse("partnerships:partnership_edit", args=[world.a.pk]))
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("accounts:login"))


def test_hidden_partnership_edit_page_answers_404(client, world):
    client.force_login(world.coord_b)
    assert (
        client.get(reverse("partnerships:partnership_edit", args=[world.draft.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("partnerships:partnership_history", args=[world.draft.pk])).status_code
        == 404
    )


def test_second_coordinator_on_the_page_shows_the_rule(client, world):
    client.force_login(world.staff)  # staff record programme data directly
    response = client.post(
        reverse("partnerships:partner_add", args=[world.a.pk]),
        {"cluster": world.cluster_x.pk, "role": "coordinator", "joined_on": "", "left_on": ""},
    )
    assert response.status_code == 200
    assert "The partnership already has a coordinator." in response.content.decode()
    assert not Partner.objects.filter(cluster=world.cluster_x).exists()


def test_staff_record_and_coordinator_edits_and_removes_a_partner_on_pages(client, world):
    client.force_login(world.staff)
    client.post(
        reverse("partnerships:partner_add", args=[world.a.pk]),
        {
            "cluster": world.cluster_x.pk,
            "role": "partner",
            "joined_on": "2024-03-01",
            "left_on": "",
        },
    )
    partner = Partner.objects.get(partnership=world.a, cluster=world.cluster_x)
    client.force_login(world.coord_a)
    bad = client.post(
        reverse("partnerships:partner_edit", args=[partner.pk]),
        {"role": "partner", "joined_on": "2024-03-01", "left_on": "2024-01-01"},
    )
    assert "cannot be before the date of joining" in bad.content.decode()
    client.post(reverse("partnerships:partner_remove", args=[partner.pk]))
    assert not Partner.objects.filter(pk=partner.pk).exists()
    removed = LogEntry.objects.filter(action=LogEntry.Action.DELETE, object_pk=str(partner.pk))
    assert removed.get().actor == world.coord_a


def test_other_coordinator_cannot_remove_a_partner(client, world):
    partner = Partner.objects.get(partnership=world.a, cluster=world.cluster_a)
    client.force_login(world.coord_b)
    assert client.post(reverse("partnerships:partner_remove", args=[partner.pk])).status_code == 403
    assert Partner.objects.filter(pk=partner.pk).exists()


def test_cluster_manager_edits_own_cluster_profile(client, world):
    client.force_login(world.manager_a)
    url = reverse("partnerships:cluster_edit", args=[world.cluster_a.pk])
    response = client.post(
        url, {"name": "Alpha Cluster", "country": "DE", "nuts_region": "DE21", "city": "München"}
    )
    assert response.status_code == 302
    world.cluster_a.refresh_from_db()
    assert world.cluster_a.city == "München"
    assert (
        client.get(reverse("partnerships:cluster_edit", args=[world.cluster_b.pk])).status_code
        == 403
    )


def test_invalid_country_on_the_cluster_page(client, world):
    client.force_login(world.coord_a)
    response = client.post(reverse("partnerships:cluster_add"), {"name": "Gamma", "country": "XX"})
    assert response.status_code == 200
    assert "No country matches “XX”." in response.content.decode()
    assert not ClusterOrganisation.objects.filter(name="Gamma").exists()


def test_home_answers_each_role(client, world):
    assert "Find a partnership" in client.get("/").content.decode()
    client.force_login(world.coord_a)
    html = client.get("/").content.decode()
    assert "Partnerships you coordinate" in html and "DRAFTY" in html
    client.force_login(world.manager_a)
    assert "Cluster organisations you manage" in client.get("/").content.decode()
    client.force_login(world.officer)
    html = client.get("/").content.decode()
    assert "Programme overview" in html and "Partnerships you coordinate" not in html


def test_removing_a_hidden_partner_answers_404(client, world):
    hidden = Partner.objects.get(partnership=world.draft)
    client.force_login(world.coord_b)
    assert client.get(reverse("partnerships:partner_remove", args=[hidden.pk])).status_code == 404
    assert client.post(reverse("partnerships:partner_remove", args=[hidden.pk])).status_code == 404


@pytest.mark.parametrize("page", ["999", "abc", "0", "-1"])
def test_bad_page_numbers_show_the_nearest_page(client, world, page):
    response = client.get(reverse("partnerships:partnership_list"), {"page": page})
    assert response.status_code == 200
    assert "ALPHA" in response.content.decode()


def test_overlong_login_is_refused_with_a_message(client, world):
    response = client.post(
        reverse("accounts:login"), {"username": "x" * 1000 + "@example.org", "password": "x"}
    )
    assert response.status_code == 200
    assert "at most 254 characters" in response.content.decode()
