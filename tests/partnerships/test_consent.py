"""Consent: a cluster's members reach a partnership only after one of the cluster's managers
accepts its invitation, and only until the cluster ends its sharing. Pending, declined and
withdrawn invitations give the partnership the public profile only — pages, API and exports,
through a published or a draft partnership alike."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from partnerships.models import Partner, PartnerInvitation
from tests import factories

pytestmark = pytest.mark.django_db

SECRET_NAME = "Xylo Oy"
SECRET_CONTACT = "x@member.example"


@pytest.fixture
def member_x(world):
    return factories.member(
        world.cluster_x, SECRET_NAME, employees=10, contact_email=SECRET_CONTACT
    )


def sees_members(client, user, cluster, member) -> bool:
    """Does the user reach the cluster's members anywhere: API list and detail, the member
    list page, the member's page, the export? All or nothing, else the test fails."""
    client.force_login(user)
    answers = {
        "api list": SECRET_NAME
        in client.get("/api/v1/members/", {"cluster": cluster.pk}).content.decode(),
        "api detail": client.get(f"/api/v1/members/{member.pk}/").status_code == 200,
        "list page": client.get(reverse("partnerships:member_list", args=[cluster.pk])).status_code
        == 200,
        "member page": client.get(
            reverse("partnerships:member_detail", args=[member.pk])
        ).status_code
        == 200,
        "export": client.get(
            reverse("partnerships:member_export", args=[cluster.pk, "csv"])
        ).status_code
        == 200,
    }
    profile = client.get(reverse("partnerships:cluster_detail", args=[cluster.pk]))
    assert profile.status_code == 200  # the public profile, always
    answers["profile names members"] = SECRET_NAME in profile.content.decode()
    if any(answers.values()):
        assert all(v for k, v in answers.items() if k != "profile names members"), answers
        return True
    return False


def invite_on_page(client, world, partnership):
    client.force_login(world.coord_a)
    response = client.post(
        reverse("partnerships:partner_add", args=[partnership.pk]),
        {"cluster": world.cluster_x.pk, "role": "partner", "message": "Join us"},
    )
    assert response.status_code == 302, response.content
    return PartnerInvitation.objects.get(partnership=partnership, cluster=world.cluster_x)


@pytest.mark.parametrize("where", ["a", "draft"])
def test_pending_invitation_gives_the_public_profile_only(client, world, member_x, where):
    partnership = getattr(world, where)
    invitation = invite_on_page(client, world, partnership)
    assert invitation.is_pending
    assert not Partner.objects.filter(cluster=world.cluster_x).exists()
    assert not sees_members(client, world.coord_a, world.cluster_x, member_x)
    # the manager is no insider of the partnership either
    client.force_login(world.manager_x)
    assert client.get(reverse("strategy:overview", args=[partnership.pk])).status_code == 404


@pytest.mark.parametrize("where", ["a", "draft"])
def test_accepting_on_the_page_shares_the_members(client, world, member_x, where):
    partnership = getattr(world, where)
    invitation = invite_on_page(client, world, partnership)
    client.force_login(world.manager_x)
    page = client.get(reverse("partnerships:invitations")).content.decode()
    assert partnership.acronym in page and "Join us" in page
    client.post(reverse("partnerships:partner_invitation_action", args=[invitation.pk, "accept"]))
    invitation.refresh_from_db()
    assert invitation.state == "accepted" and invitation.answered_by == world.manager_x
    assert sees_members(client, world.coord_a, world.cluster_x, member_x)
    partner = Partner.objects.get(partnership=partnership, cluster=world.cluster_x)
    created = LogEntry.objects.get(
        object_pk=str(partner.pk), action=LogEntry.Action.CREATE, content_type__model="partner"
    )
    assert created.actor == world.manager_x
    answered = LogEntry.objects.filter(
        object_pk=str(invitation.pk), content_type__model="partnerinvitation"
    ).order_by("pk")
    assert answered.first().actor == world.coord_a  # invited
    assert answered.last().actor == world.manager_x
    assert answered.last().changes["state"] == ["pending", "accepted"]
    # a used invitation cannot be answered again
    client.force_login(world.manager_x)
    again = client.post(
        reverse("partnerships:partner_invitation_action", args=[invitation.pk, "decline"]),
        follow=True,
    )
    assert "already answered" in again.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == "accepted"


def test_declined_through_the_api_is_never_visible(client, world, member_x):
    client.force_login(world.coord_a)
    created = client.post(
        "/api/v1/invitations/partners/",
        {"partnership": world.a.pk, "cluster": world.cluster_x.pk},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    # only the cluster's managers answer
    assert client.post(f"/api/v1/invitations/partners/{pk}/accept/").status_code == 403
    client.force_login(world.manager_a)
    assert client.post(f"/api/v1/invitations/partners/{pk}/accept/").status_code == 404
    client.force_login(world.manager_x)
    declined = client.post(f"/api/v1/invitations/partners/{pk}/decline/")
    assert declined.status_code == 200 and declined.json()["state"] == "declined"
    assert client.post(f"/api/v1/invitations/partners/{pk}/accept/").status_code == 400
    assert not sees_members(client, world.coord_a, world.cluster_x, member_x)
    assert not Partner.objects.filter(cluster=world.cluster_x).exists()


def test_revoked_invitation_cannot_be_accepted(client, world, member_x):
    invitation = invite_on_page(client, world, world.a)
    client.force_login(world.manager_x)
    url = f"/api/v1/invitations/partners/{invitation.pk}/revoke/"
    assert client.post(url).status_code == 403  # the cluster declines, it does not withdraw
    client.force_login(world.coord_a)
    assert client.post(url).json()["state"] == "revoked"
    client.force_login(world.manager_x)
    assert client.post(f"/api/v1/invitations/partners/{invitation.pk}/accept/").status_code == 400
    assert not sees_members(client, world.coord_a, world.cluster_x, member_x)


def test_a_cluster_already_partnering_is_not_invited_twice(client, world):
    client.force_login(world.coord_a)
    response = client.post(
        reverse("partnerships:partner_add", args=[world.a.pk]),
        {"cluster": world.cluster_a.pk, "role": "partner"},
    )
    assert response.status_code == 200
    assert "already a partner" in response.content.decode()
    invite_on_page(client, world, world.a)
    second = client.post(
        reverse("partnerships:partner_add", args=[world.a.pk]),
        {"cluster": world.cluster_x.pk, "role": "partner"},
    )
    assert "waiting for an answer" in second.content.decode()
    assert PartnerInvitation.objects.filter(cluster=world.cluster_x).count() == 1


def test_other_coordinators_cannot_invite_to_a_partnership(client, world):
    client.force_login(world.coord_b)
    response = client.post(
        "/api/v1/invitations/partners/",
        {"partnership": world.a.pk, "cluster": world.cluster_x.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    hidden = client.post(
        "/api/v1/invitations/partners/",
        {"partnership": world.draft.pk, "cluster": world.cluster_x.pk},
        content_type="application/json",
    )
    assert hidden.status_code == 400  # a draft of another coordinator: no such id
    assert not PartnerInvitation.objects.exists()


def test_ending_the_sharing_hides_the_members_again(client, world, member_x):
    invitation = invite_on_page(client, world, world.a)
    client.force_login(world.manager_x)
    client.post(reverse("partnerships:partner_invitation_action", args=[invitation.pk, "accept"]))
    assert sees_members(client, world.coord_a, world.cluster_x, member_x)
    partner = Partner.objects.get(partnership=world.a, cluster=world.cluster_x)
    client.force_login(world.coord_a)  # the coordinator cannot end it for the cluster
    assert client.post(f"/api/v1/partners/{partner.pk}/end-sharing/").status_code == 403
    client.force_login(world.manager_x)
    page = client.get(reverse("partnerships:invitations")).content.decode()
    assert "End sharing" in page
    client.post(reverse("partnerships:partner_end_sharing", args=[partner.pk]))
    partner.refresh_from_db()
    assert partner.sharing_ended_at is not None and partner.left_on is not None
    assert not sees_members(client, world.coord_a, world.cluster_x, member_x)
    entry = LogEntry.objects.filter(object_pk=str(partner.pk), content_type__model="partner")
    assert entry.latest("pk").actor == world.manager_x
    # the coordinator cannot bring the cluster back by clearing its date of leaving
    client.force_login(world.coord_a)
    response = client.post(
        reverse("partnerships:partner_edit", args=[partner.pk]),
        {"role": "partner", "joined_on": "", "left_on": ""},
    )
    assert "accepting a new invitation" in response.content.decode()
    assert not sees_members(client, world.coord_a, world.cluster_x, member_x)
    # a new invitation, accepted, brings it back
    client.force_login(world.coord_a)
    client.post(
        reverse("partnerships:partner_add", args=[world.a.pk]),
        {"cluster": world.cluster_x.pk, "role": "partner"},
    )
    again = PartnerInvitation.objects.get(cluster=world.cluster_x, state="pending")
    client.force_login(world.manager_x)
    client.post(f"/api/v1/invitations/partners/{again.pk}/accept/")
    assert sees_members(client, world.coord_a, world.cluster_x, member_x)


def test_a_manager_ends_sharing_of_staff_recorded_partners_too(client, world, s_member_a):
    partner = Partner.objects.get(partnership=world.a, cluster=world.cluster_a)
    assert sees_members(client, world.coord_a, world.cluster_a, s_member_a)
    client.force_login(world.manager_a)
    response = client.post(f"/api/v1/partners/{partner.pk}/end-sharing/")
    assert response.status_code == 200, response.content
    assert not sees_members(client, world.coord_a, world.cluster_a, s_member_a)
    # the manager is no longer an insider of the partnership
    client.force_login(world.manager_a)
    assert client.get(reverse("strategy:overview", args=[world.a.pk])).status_code == 404
    assert client.post(f"/api/v1/partners/{partner.pk}/end-sharing/").status_code == 400


@pytest.fixture
def s_member_a(world):
    return factories.member(world.cluster_a, SECRET_NAME, employees=10)


def test_the_invited_clusters_managers_are_emailed_once_in_their_language(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    from escp_portal.accounts.models import Role
    from partnerships.services.consent import partner_invitation_notify

    french = factories.user(role=Role.CLUSTER_MANAGER, scope=world.cluster_x, language="fr")
    managers = {world.manager_x.email, french.email}
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite_on_page(client, world, world.a)

    assert {m.to[0] for m in mailoutbox} == managers  # each manager of the cluster, no one else
    [to_french] = [m for m in mailoutbox if m.to == [french.email]]
    [to_english] = [m for m in mailoutbox if m.to == [world.manager_x.email]]
    assert world.a.acronym in to_english.subject and "invites your cluster" in to_english.subject
    assert world.a.acronym in to_french.subject and "invite votre cluster" in to_french.subject
    for message in (to_english, to_french):
        assert "Join us" in message.body  # the coordinator's message
        assert "/invitations/" in message.body
    invitation.refresh_from_db()
    assert invitation.notified_at is not None
    # A second run (a retried job) sends nothing more.
    assert partner_invitation_notify(invitation.pk) == 0
    assert len(mailoutbox) == len(managers)


def test_an_invitation_withdrawn_before_the_job_runs_emails_nobody(world, mailoutbox):
    from partnerships.services.consent import partner_invitation_notify

    invitation = PartnerInvitation.objects.create(
        partnership=world.a,
        cluster=world.cluster_x,
        invited_by=world.coord_a,
        state=PartnerInvitation.State.REVOKED,
    )
    assert partner_invitation_notify(invitation.pk) == 0
    assert mailoutbox == []
