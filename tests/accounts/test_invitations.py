"""People get roles by invitation: an emailed single-use link (only its hash stored), with an
expiry, revocable; a new cluster manager invited from outside the cluster waits for the
cluster's managers' confirmation. Who may invite whom is swept over every role."""

import re
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from escp_portal.accounts.models import Invitation, RoleAssignment, User
from escp_portal.accounts.selectors import token_hash
from tests import factories

pytestmark = pytest.mark.django_db


def invite(client, inviter, **body):
    client.force_login(inviter)
    return client.post("/api/v1/invitations/", body, content_type="application/json")


def link_token():
    """The token of the link in the last email sent."""
    body = mail.outbox[-1].body
    return re.search(r"/accounts/invitation/([A-Za-z0-9_-]+)/", body).group(1)


def test_sign_up_through_the_link(client, world):
    client.force_login(world.coord_a)
    response = client.post(
        reverse("accounts:invite"),
        {"email": "New.Person@Example.org", "role": "coordinator", "partnership": world.a.pk},
    )
    assert response.status_code == 302, response.content
    message = mail.outbox[-1]
    assert message.to == ["new.person@example.org"]
    assert "\n" not in message.subject and "ALPHA" in message.subject
    token = link_token()
    invitation = Invitation.objects.get()
    assert invitation.token_hash == token_hash(token) and token not in invitation.token_hash
    client.logout()
    page = client.get(reverse("accounts:invitation", args=[token]))
    assert "Create your account to accept" in page.content.decode()
    bad = client.post(
        reverse("accounts:invitation", args=[token]),
        {"action": "sign_up", "full_name": "Nora New", "password1": "x", "password2": "x"},
    )
    assert bad.status_code == 200 and not User.objects.filter(full_name="Nora New").exists()
    done = client.post(
        reverse("accounts:invitation", args=[token]),
        {
            "action": "sign_up",
            "full_name": "Nora New",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    )
    assert done.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert RoleAssignment.objects.filter(user=user, role="coordinator", partnership=world.a)
    assert client.get(reverse("strategy:overview", args=[world.a.pk])).status_code == 200
    invitation.refresh_from_db()
    assert invitation.state == "accepted" and invitation.answered_by == user
    entries = LogEntry.objects.filter(
        content_type__model="invitation", object_pk=str(invitation.pk)
    )
    assert entries.order_by("pk").first().actor == world.coord_a
    assert entries.order_by("pk").last().changes["state"] == ["pending", "accepted"]
    assert "token_hash" not in str(list(entries.values_list("changes", flat=True)))
    # the link works once
    client.logout()
    reused = client.get(reverse("accounts:invitation", args=[token]))
    assert "already used or withdrawn" in reused.content.decode()
    again = client.post(
        reverse("accounts:invitation", args=[token]),
        {
            "action": "sign_up",
            "full_name": "X",
            "password1": "a long pass phrase 43",
            "password2": "a long pass phrase 43",
        },
    )
    assert again.status_code == 302 and User.objects.filter(full_name="X").count() == 0


def test_log_in_to_accept_and_wrong_address_is_refused(client, world):
    assert (
        invite(
            client,
            world.coord_a,
            email="MANAGER-X@example.org",
            role="coordinator",
            partnership=world.a.pk,
        ).status_code
        == 201
    )
    token = link_token()
    client.logout()
    assert (
        "Log in to accept"
        in client.get(reverse("accounts:invitation", args=[token])).content.decode()
    )
    client.force_login(world.coord_b)  # another account: refused
    refused = client.post(
        "/api/v1/invitations/accept/", {"token": token}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert not RoleAssignment.objects.filter(user=world.coord_b, partnership=world.a).exists()
    client.force_login(world.manager_x)  # the invited address, whatever its case
    accepted = client.post(
        "/api/v1/invitations/accept/", {"token": token}, content_type="application/json"
    )
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    assert RoleAssignment.objects.filter(user=world.manager_x, partnership=world.a).exists()
    assert (
        client.post(
            "/api/v1/invitations/accept/", {"token": token}, content_type="application/json"
        ).status_code
        == 400
    )
    assert (
        client.post(
            "/api/v1/invitations/accept/", {"token": "nope"}, content_type="application/json"
        ).status_code
        == 404
    )


def test_expired_and_revoked_links_are_refused(client, world):
    invite(
        client, world.coord_a, email="late@example.org", role="coordinator", partnership=world.a.pk
    )
    late = link_token()
    Invitation.objects.filter(email="late@example.org").update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    invite(
        client, world.coord_a, email="gone@example.org", role="coordinator", partnership=world.a.pk
    )
    gone = link_token()
    revoked = Invitation.objects.get(email="gone@example.org")
    client.force_login(world.coord_b)
    assert client.post(f"/api/v1/invitations/{revoked.pk}/revoke/").status_code == 404
    client.force_login(world.coord_a)
    assert client.post(f"/api/v1/invitations/{revoked.pk}/revoke/").json()["state"] == "revoked"
    client.logout()
    assert "has expired" in client.get(reverse("accounts:invitation", args=[late])).content.decode()
    for token, email in ((late, "late@example.org"), (gone, "gone@example.org")):
        client.post(
            reverse("accounts:invitation", args=[token]),
            {
                "action": "sign_up",
                "full_name": "Z",
                "password1": "a long pass phrase 44",
                "password2": "a long pass phrase 44",
            },
        )
        assert not User.objects.filter(email=email).exists()
    assert Invitation.objects.get(email="late@example.org").state == "pending"  # GET wrote nothing


def test_declining_through_the_link(client, world):
    invite(
        client, world.coord_a, email="no@example.org", role="coordinator", partnership=world.a.pk
    )
    token = link_token()
    client.logout()
    client.post(reverse("accounts:invitation", args=[token]), {"action": "decline"})
    assert Invitation.objects.get(email="no@example.org").state == "declined"


def test_a_new_cluster_manager_needs_the_clusters_confirmation(client, world):
    response = invite(
        client,
        world.coord_a,
        email="helper@example.org",
        role="cluster_manager",
        cluster=world.cluster_a.pk,
    )
    assert response.status_code == 201 and response.json()["needs_confirmation"] is True
    helper = factories.user("helper@example.org")
    client.force_login(helper)
    client.post(reverse("accounts:invitation", args=[link_token()]), {"action": "accept"})
    invitation = Invitation.objects.get(email="helper@example.org")
    assert invitation.state == "confirming"
    assert not RoleAssignment.objects.filter(user=helper).exists()
    client.force_login(world.coord_a)  # the inviter does not confirm
    assert client.post(f"/api/v1/invitations/{invitation.pk}/confirm/").status_code == 403
    client.force_login(world.manager_a)
    page = client.get(reverse("partnerships:invitations")).content.decode()
    assert "helper@example.org" in page
    client.post(reverse("accounts:invitation_action", args=[invitation.pk, "confirm"]))
    invitation.refresh_from_db()
    assert invitation.state == "accepted" and invitation.confirmed_by == world.manager_a
    assert RoleAssignment.objects.filter(user=helper, cluster=world.cluster_a).exists()


def test_a_manager_invites_a_fellow_manager_without_confirmation(client, world):
    response = invite(
        client,
        world.manager_a,
        email="fellow@example.org",
        role="cluster_manager",
        cluster=world.cluster_a.pk,
    )
    assert response.json()["needs_confirmation"] is False


def test_the_email_is_in_the_recipients_language_with_a_one_line_subject(client, world):
    factories.user("deutsch@example.org", language="de")
    hostile = factories.cluster("Evil\nBcc: victim@example.org", "AT")
    factories.partnership("GAMMA", coordinator=hostile)
    invite(
        client, world.staff, email="deutsch@example.org", role="cluster_manager", cluster=hostile.pk
    )
    message = mail.outbox[-1]
    assert "\n" not in message.subject and "\r" not in message.subject
    assert "eingeladen" in message.subject
    assert message.to == ["deutsch@example.org"]


# who may invite whom: (inviter, role, scope) -> allowed
TARGETS = {
    "coordinator of A": {"role": "coordinator", "partnership": "a"},
    "manager of A's partner": {"role": "cluster_manager", "cluster": "cluster_a"},
    "manager of a cluster in no partnership of theirs": {
        "role": "cluster_manager",
        "cluster": "cluster_x",
    },
    "EC officer": {"role": "ec_officer"},
}
ALLOWED = {
    "coord_a": {"coordinator of A", "manager of A's partner"},
    "coord_b": set(),
    "manager_a": {"manager of A's partner"},
    "manager_x": {"manager of a cluster in no partnership of theirs"},
    "officer": set(),
    "staff": set(TARGETS),
}


@pytest.mark.parametrize("inviter", sorted(ALLOWED))
def test_who_may_invite_whom(client, world, inviter):
    for n, (target, spec) in enumerate(TARGETS.items()):
        body = {"email": f"p{n}@example.org", "role": spec["role"]}
        for key in ("partnership", "cluster"):
            if key in spec:
                body[key] = getattr(world, spec[key]).pk
        response = invite(client, getattr(world, inviter), **body)
        if target in ALLOWED[inviter]:
            assert response.status_code == 201, (inviter, target, response.content)
        else:
            assert response.status_code in (400, 403), (inviter, target, response.status_code)
            assert not Invitation.objects.filter(email=body["email"]).exists()
    # and the page offers only what they may give
    client.force_login(getattr(world, inviter))
    page = client.get(reverse("accounts:invite"))
    if inviter == "officer":
        assert page.status_code == 403
    else:
        assert ("EC programme officer" in page.content.decode()) == (inviter == "staff")


def test_coordinators_invite_managers_of_a_cluster_only_once_it_accepted(client, world):
    body = {"email": "m@example.org", "role": "cluster_manager", "cluster": world.cluster_x.pk}
    assert invite(client, world.coord_a, **body).status_code == 403
    client.post(
        "/api/v1/invitations/partners/",
        {"partnership": world.a.pk, "cluster": world.cluster_x.pk},
        content_type="application/json",
    )
    assert invite(client, world.coord_a, **body).status_code == 403  # pending is not enough
    from partnerships.models import PartnerInvitation

    client.force_login(world.manager_x)
    pk = PartnerInvitation.objects.get().pk
    client.post(f"/api/v1/invitations/partners/{pk}/accept/")
    assert invite(client, world.coord_a, **body).status_code == 201


def test_an_invitation_whose_inviter_is_gone_names_no_none(client, world):
    """The link outlives the inviter's account: the page then says who is invited, not by
    "None"."""
    inviter = factories.user(role="coordinator", scope=world.a)
    invite(client, inviter, email="later@example.org", role="coordinator", partnership=world.a.pk)
    token = link_token()
    client.logout()
    Invitation.objects.filter(email="later@example.org").update(invited_by=None)
    page = client.get(reverse("accounts:invitation", args=[token])).content.decode()
    assert "later@example.org is invited to the ESCP Portal as" in page
    assert "None" not in page
