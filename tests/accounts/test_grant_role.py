"""``manage.py grant_role``: the operator appoints the first coordinator, cluster manager or EC
officer; after them, people join by invitation."""

import io

import pytest
from django.core.management import CommandError, call_command

from escp_portal.accounts.models import Role, RoleAssignment, User
from escp_portal.accounts.policy import can_edit, coordinates, reads_everything

pytestmark = pytest.mark.django_db


def grant(*args):
    out = io.StringIO()
    call_command("grant_role", *args, stdout=out)
    return out.getvalue()


def test_a_coordinator_by_acronym_may_then_edit_the_partnership(world):
    user = User.objects.create_user(email="anna@cluster.eu", password="x")
    assert not coordinates(user, world.a.pk)
    said = grant("ANNA@cluster.eu", "coordinator", "--partnership", world.a.acronym.lower())
    assert "granted" in said
    user = User.objects.get(pk=user.pk)
    assert coordinates(user, world.a.pk)
    assert can_edit(user, world.a)
    assert "already held" in grant("anna@cluster.eu", "coordinator", "--partnership", "ALPHA")
    assert RoleAssignment.objects.filter(user=user, role=Role.COORDINATOR).count() == 1


def test_a_new_account_is_created_only_when_asked_and_without_a_password(world):
    with pytest.raises(CommandError, match="--create"):
        grant("ben@cluster.eu", "cluster_manager", "--cluster", str(world.cluster_a.pk))
    assert not User.objects.filter(email="ben@cluster.eu").exists()
    said = grant(
        "ben@cluster.eu", "cluster_manager", "--cluster", str(world.cluster_a.pk), "--create"
    )
    assert "Forgot your password" in said
    ben = User.objects.get(email="ben@cluster.eu")
    assert not ben.has_usable_password()
    assert RoleAssignment.objects.filter(user=ben, cluster=world.cluster_a).exists()


def test_an_officer_reads_everything(world):
    grant("clara@ec.europa.eu", "ec_officer", "--create")
    assert reads_everything(User.objects.get(email="clara@ec.europa.eu"))


@pytest.mark.parametrize(
    "args",
    [
        ["coordinator"],
        ["coordinator", "--cluster", "1"],
        ["cluster_manager", "--partnership", "ALPHA"],
        ["cluster_manager", "--cluster", "not-an-id"],
        ["cluster_manager", "--cluster", "999999"],
        ["ec_officer", "--partnership", "ALPHA"],
        ["coordinator", "--partnership", "NO-SUCH-ACRONYM"],
    ],
)
def test_wrong_scopes_are_refused_with_a_message_and_nothing_granted(world, args):
    User.objects.create_user(email="dora@cluster.eu", password="x")
    with pytest.raises(CommandError):
        grant("dora@cluster.eu", *args)
    assert not RoleAssignment.objects.filter(user__email="dora@cluster.eu").exists()
