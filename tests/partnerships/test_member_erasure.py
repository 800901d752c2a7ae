"""Erasure on request: the person and identifying data go (the audit trail and import records
included), the counts stay, and an import cannot bring them back."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_erasure_keeps_the_counts_and_drops_the_person(client, world, members):
    client.force_login(world.manager_a)
    acme = members["acme"]
    exported = client.get(reverse("partnerships:member_personal_data", args=[acme.pk])).json()
    assert exported["contact_email"] == "ada@acme.example"
    assert exported["clusters"][0]["cluster"] == "Alpha Cluster"
    figures_before = client.get(world.cluster_a.get_absolute_url()).context["figures"]
    client.post(reverse("partnerships:member_erase", args=[acme.pk]))
    acme.refresh_from_db()
    assert acme.erased_at and acme.contact_email == "" and acme.name.startswith("Erased member")
    assert acme.is_sme is True and str(acme.country) == "DE"
    figures_after = client.get(world.cluster_a.get_absolute_url()).context["figures"]
    assert figures_after == figures_before
    assert client.get(reverse("partnerships:member_edit", args=[acme.pk])).status_code == 403


def test_erasure_scrubs_the_audit_trail_and_import_records(client, world, members):
    from auditlog.models import LogEntry

    client.force_login(world.manager_a)
    acme = members["acme"]
    client.patch(
        f"/api/v1/members/{acme.pk}/",
        {"city": "Secretville", "contact_email": "new@acme.example"},
        content_type="application/json",
    )
    entry = LogEntry.objects.get_for_object(acme).latest("timestamp")
    assert "Secretville" in str(entry.changes) and "new@acme.example" not in str(entry.changes)
    client.post(reverse("partnerships:member_erase", args=[acme.pk]))
    trail = " ".join(str(e.changes) + e.object_repr for e in LogEntry.objects.get_for_object(acme))
    assert "Secretville" not in trail and "Acme" not in trail
    assert LogEntry.objects.get_for_object(acme).filter(actor=world.manager_a).exists()


def test_an_erased_member_cannot_be_brought_back_by_import(client, world, members):
    client.force_login(world.manager_a)
    acme = members["acme"]
    client.post(f"/api/v1/members/{acme.pk}/erase/")
    response = client.post(
        "/api/v1/members/bulk/",
        {
            "cluster": world.cluster_a.pk,
            "rows": [
                {
                    "id": acme.pk,
                    "name": "Acme Robotics",
                    "country": "DE",
                    "contact_name": "Jane Restored",
                }
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    acme.refresh_from_db()
    assert acme.contact_name == ""
