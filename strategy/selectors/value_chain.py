"""Reads of the value chains."""

from django.db.models import Prefetch

from partnerships.models import Member

from ..models import StageAssignment, ValueChain, ValueChainStage


def value_chains_of(partnership):
    return ValueChain.objects.filter(partnership=partnership).prefetch_related("stages")


def chain_stages(chain: ValueChain) -> list[ValueChainStage]:
    """The chain's stages in order, with what each comes after and who is placed at each."""
    assignments = StageAssignment.objects.select_related(
        "partner__cluster", "partner__partnership", "member"
    )
    return list(
        chain.stages.prefetch_related("depends_on", Prefetch("assignments", queryset=assignments))
    )


def placeable_members(user, partnership):
    """Members of the partnership's partner clusters the user may see: those the user may
    choose to place on a stage."""
    clusters = partnership.partners.values("cluster")
    return (
        Member.objects.visible_to(user)
        .filter(memberships__cluster__in=clusters)
        .distinct()
        .order_by("name")
    )
