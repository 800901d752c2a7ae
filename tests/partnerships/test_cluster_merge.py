"""One record per real cluster organisation: aliases, and the staff merge tool that keeps every
link and audit entry (issue #20, "Numbers that mean what they say")."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from escp_portal.accounts.models import Role, RoleAssignment
from matchmaking.models import FindableProfile
from partnerships.models import ClusterAlias, ClusterOrganisation, Partner
from partnerships.services.merge import cluster_links, cluster_merge
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_table_pointing_to_clusters_is_moved():
    # Found from the model registry: a new foreign key to clusters is covered without a change.
    found = {(model._meta.label, field) for model, field in cluster_links()}
    every = {
        (rel.related_model._meta.label, rel.field.name)
        for rel in ClusterOrganisation._meta.related_objects
        if not rel.many_to_many
    }
    assert every <= found
    assert {
        ("partnerships.Partner", "cluster"),
        ("partnerships.ClusterMembership", "cluster"),
        ("accounts.RoleAssignment", "cluster"),
        ("missions.Participation", "cluster"),
        ("matchmaking.FindableProfile", "cluster"),
    } <= found


def test_merging_keeps_every_link_and_the_trail(world):
    keep = world.cluster_a
    drop = factories.cluster("Cluster A e.V.", country=str(keep.country))
    partnership = factories.partnership("GAMMA", partners=[drop])
    member = factories.member(drop, "Shared Member")
    both = factories.member(keep, "In both")
    factories.member(drop, "Other")
    from partnerships.models import ClusterMembership

    ClusterMembership.objects.create(member=both, cluster=drop)
    manager = factories.user("drop-manager@example.org", role=Role.CLUSTER_MANAGER, scope=drop)
    mission = factories.mission(partnership)
    factories.participation(mission, member, cluster=drop)
    factories.findable(member, drop)
    cluster_type = ContentType.objects.get_for_model(ClusterOrganisation)
    drop_entries = LogEntry.objects.filter(content_type=cluster_type, object_pk=str(drop.pk))
    before = drop_entries.count()
    assert before >= 1
    moved = cluster_merge(actor=world.staff, keep=keep, drop=drop)
    assert not ClusterOrganisation.objects.filter(pk=drop.pk).exists()
    assert Partner.objects.get(partnership=partnership).cluster == keep
    assert set(keep.memberships.values_list("member__name", flat=True)) >= {
        "Shared Member",
        "In both",
        "Other",
    }
    assert both.memberships.count() == 1  # the same link twice is one
    assert RoleAssignment.objects.get(user=manager).cluster == keep
    assert mission.participations.get().cluster == keep
    member.refresh_from_db()
    assert FindableProfile.objects.get(member=member).cluster == keep
    assert moved["partnerships.Partner"] == 1
    trail = LogEntry.objects.filter(content_type=cluster_type, object_pk=str(keep.pk))
    assert trail.count() >= before + 1
    assert trail.filter(changes__merged__0="Cluster A e.V.").exists()
    assert ClusterAlias.objects.get(cluster=keep).name == "Cluster A e.V."


def test_only_staff_merge_and_only_two_records_of_one_country(world):
    other = factories.cluster("Look-alike", country=str(world.cluster_a.country))
    with pytest.raises(PermissionDenied):
        cluster_merge(actor=world.coord_a, keep=world.cluster_a, drop=other)
    with pytest.raises(ValidationError):
        cluster_merge(actor=world.staff, keep=other, drop=other)
    foreign = factories.cluster("Abroad", country="FR" if str(other.country) != "FR" else "DE")
    with pytest.raises(ValidationError):
        cluster_merge(actor=world.staff, keep=other, drop=foreign)


def test_the_admin_action_asks_which_record_to_keep(client, world):
    drop = factories.cluster("Cluster A GmbH", country=str(world.cluster_a.country))
    operator = factories.user("ops@example.eu", is_staff=True, is_superuser=True)
    client.force_login(operator)
    url = "/admin/partnerships/clusterorganisation/"
    chosen = {"action": "merge_clusters", "_selected_action": [world.cluster_a.pk, drop.pk]}
    page = client.post(url, chosen)
    assert page.status_code == 200 and "Keep this record" in page.content.decode()
    done = client.post(url, {**chosen, "keep": world.cluster_a.pk}, follow=True)
    assert "was merged into" in done.content.decode()
    assert not ClusterOrganisation.objects.filter(pk=drop.pk).exists()
