"""Demo data of finding partners, made with the demo users (``load_people``, called once they
exist): members of the demo manager's clusters made findable by that manager, a stage of a value
chain nobody covers that these members could, a "we look for …" post of the coordinator with
the manager's answer, and a contact request the manager forwarded. Synthetic, marked (demo)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from partnerships.models import Member, Partnership
from strategy.models import ValueChain, ValueChainStage

from .models import ContactRequest, FindableProfile, PartnerRequest, PartnerRequestAnswer
from .services.profiles import profiles_set

FINDABLE = 12  # members of each of the manager's clusters
# Competences of the synthetic members (partnerships/demo.py) the value-chain stage asks for.
WANTED = ("Cybersecurity", "Connected vehicles")
STAGE = (
    "Cybersecurity of connected vehicles (demo)",
    "Secure communication between vehicles, roadside units and the cloud.",
)
POST = "Barrier coatings for compostable food trays (demo)"
NOTE = "Ask for the product manager; she expects your email. (demo)"


def load(*, stdout=None, **options) -> None:
    """Nothing before the demo users exist: a findable profile records who consented."""


@transaction.atomic
def load_people(*, coordinator, manager, coordinated, managed, stdout=None) -> dict:
    """Run twice, nothing changes."""
    findable = _findable(manager, managed)
    stage = _uncovered_stage()
    post = _post(coordinator, manager)
    request = _forwarded_request(coordinator, manager, managed)
    if stdout:
        stdout.write(
            f"Finding partners: {findable} findable members (set by {manager.email}), "
            f"an uncovered stage{' (' + stage.name + ')' if stage else ''}, a post with an "
            f"answer, {'a forwarded contact request' if request else 'no contact request'}."
        )
    return {"findable": findable, "stage": stage, "post": post, "request": request}


def _findable(manager, clusters) -> int:
    """The manager consents for their clusters' members: those with the stage's competences
    first, then others, with every field but the region shown."""
    for cluster in clusters:
        members = list(
            Member.objects.filter(memberships__cluster=cluster, erased_at__isnull=True)
            .prefetch_related("competences")
            .order_by("name")
        )
        wanted = [m for m in members if {c.name for c in m.competences.all()} & set(WANTED)]
        chosen = (wanted + [m for m in members if m not in wanted])[:FINDABLE]
        if chosen:
            profiles_set(actor=manager, cluster=cluster, members=chosen)
    return FindableProfile.objects.filter(cluster__in=clusters).count()


def _uncovered_stage():
    """A stage of the connected-mobility chain (strategy demo) that nobody covers."""
    partnership = Partnership.objects.filter(acronym="MobiGoIn-Action", generation=2).first()
    chain = ValueChain.objects.filter(partnership=partnership).order_by("pk").first()
    if chain is None:
        return None
    name, description = STAGE
    stage, _created = ValueChainStage.objects.get_or_create(
        chain=chain, name=name, defaults={"description": description, "order": 6}
    )
    return stage


def _post(coordinator, manager):
    partnership = Partnership.objects.filter(acronym="AdPack2", generation=2).first()
    if partnership is None:
        return None
    now = timezone.now()
    post, created = PartnerRequest.objects.get_or_create(
        title=POST,
        defaults={
            "author": coordinator,
            "partnership": partnership,
            "description": "A partner for the coating step of trays sold in Canada and the US, "
            "with food-contact approval. (demo)",
            "competences": "Barrier coatings; Bioplastics",
            "nace_codes": "22.22 20.16",
            "countries": ["CA", "US"],
            "until": timezone.localdate() + timedelta(days=60),
        },
    )
    if created:
        PartnerRequestAnswer.objects.create(
            request=post,
            author=manager,
            message="Two of our members coat paper-based trays; we can introduce them. (demo)",
            notified_at=now,
        )
    return post


def _forwarded_request(coordinator, manager, clusters):
    profile = (
        FindableProfile.objects.filter(cluster__in=clusters)
        .exclude(member__contact_email="")
        .select_related("member")
        .order_by("name")
        .first()
    )
    if profile is None:
        return None
    member, now = profile.member, timezone.now()
    request, _created = ContactRequest.objects.get_or_create(
        requester=coordinator,
        member=member,
        defaults={
            "cluster_id": profile.cluster_id,
            "member_name": profile.name,
            "purpose": "value_chain",
            "message": "We look for a partner for the cybersecurity of connected vehicles. (demo)",
            "status": ContactRequest.Status.FORWARDED,
            "answered_by": manager,
            "answered_at": now,
            "released_name": member.contact_name,
            "released_email": member.contact_email,
            "release_note": NOTE,
            "notified_at": now,
            "answer_notified_at": now,
        },
    )
    return request
