import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from evaluation.demo import CURRENT_ACRONYM, CURRENT_CLUSTER
from matchmaking import demo as matchmaking_demo
from opportunities import demo as opportunities_demo
from partnerships import demo as partnerships_demo
from partnerships.models import ClusterOrganisation, Partnership

from .models import Invitation, Role, RoleAssignment, User
from .selectors import token_hash

DEFAULT_PASSWORD = "escp-demo-2026"
# A person the demo coordinator invited to co-coordinate (pending).
INVITED_PERSON = "invited.coordinator@demo.escp.eu"
COORDINATED = ("MobiGoIn-Action", "AdPack2")
# A partner cluster of AdPack2 other than its coordinator, so that the coordinator sees members
# of clusters the manager does not manage (partnerships.demo.MANAGED_CLUSTER).
MANAGED_CLUSTER = partnerships_demo.MANAGED_CLUSTER
# CURRENT_ACRONYM: an ongoing partnership with this year's synthetic activity (``load_current``
# in evaluation/demo.py): the coordinator runs it too, and the manager looks after its partner
# cluster (CURRENT_CLUSTER): the published data spells that organisation four ways, which the data
# file's aliases make one record, the same as MANAGED_CLUSTER.


def _user(email, *, password, password_given, **fields):
    user, created = User.objects.get_or_create(email=email, defaults=fields)
    if created or password_given:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def load_users(*, password: str, password_given: bool) -> list[tuple[str, str]]:
    kwargs = {"password": password, "password_given": password_given}
    coordinator = _user("coordinator@demo.escp.eu", full_name="Demo Coordinator", **kwargs)
    manager = _user("manager@demo.escp.eu", full_name="Demo Cluster Manager", **kwargs)
    officer = _user("officer@demo.escp.eu", full_name="Demo EC Officer", **kwargs)
    _user(
        "admin@demo.escp.eu",
        full_name="Demo Administrator",
        is_staff=True,
        is_superuser=True,
        **kwargs,
    )

    coordinated = list(Partnership.objects.filter(acronym__in=COORDINATED, generation=2))
    for partnership in coordinated:
        RoleAssignment.objects.get_or_create(
            user=coordinator, role=Role.COORDINATOR, partnership=partnership
        )
    current = Partnership.objects.filter(acronym=CURRENT_ACRONYM).first()
    if current is not None:
        RoleAssignment.objects.get_or_create(
            user=coordinator, role=Role.COORDINATOR, partnership=current
        )
        coordinated.append(current)
    cluster = ClusterOrganisation.objects.get(name=MANAGED_CLUSTER[0], country=MANAGED_CLUSTER[1])
    RoleAssignment.objects.get_or_create(user=manager, role=Role.CLUSTER_MANAGER, cluster=cluster)
    managed = [cluster]
    second = ClusterOrganisation.objects.filter(
        name=CURRENT_CLUSTER[0], country=CURRENT_CLUSTER[1]
    ).first()
    if second is not None and second != cluster:
        RoleAssignment.objects.get_or_create(
            user=manager, role=Role.CLUSTER_MANAGER, cluster=second
        )
        managed.append(second)
    RoleAssignment.objects.get_or_create(user=officer, role=Role.EC_OFFICER)
    # Consent and invitations, so that their pages have content: a partner invitation for the
    # manager to answer, and a person the coordinator invited (no email is sent; the link is
    # not known, as it would be only in the email).
    partnerships_demo.load_invitations(
        coordinator=coordinator, manager=manager, partnerships=coordinated, clusters=managed
    )
    # Finding partners: the manager's consent for findable members, a post with an answer, a
    # forwarded contact request (they need the people who did them).
    matchmaking_demo.load_people(
        coordinator=coordinator, manager=manager, coordinated=coordinated, managed=managed
    )
    # Brokers and investment: the pipeline's followers and who named the brokers.
    opportunities_demo.load_people(coordinator=coordinator, manager=manager)
    if coordinated and not Invitation.objects.filter(email=INVITED_PERSON).exists():
        Invitation.objects.create(
            email=INVITED_PERSON,
            role=Role.COORDINATOR,
            partnership=coordinated[0],
            token_hash=token_hash(secrets.token_urlsafe(32)),
            invited_by=coordinator,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_EXPIRY_DAYS),
        )
    return [
        (
            "coordinator@demo.escp.eu",
            "coordinator of " + ", ".join(p.acronym for p in coordinated),
        ),
        (
            "manager@demo.escp.eu",
            "cluster manager of " + " and ".join(f"{c.name} ({c.country})" for c in managed),
        ),
        ("officer@demo.escp.eu", "EC programme officer (reads everything)"),
        ("admin@demo.escp.eu", "staff: the administration site"),
    ]
