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


# Sections that later apps add to a value chain's page (the matchmaking app: who could cover the
# stages nobody covers), so that the strategy depends on none of them. A section is a function
# ``(chain, stages, user) -> dict | None`` (``stages`` as ``chain_stages`` read them); the dict
# names the ``template`` that renders it.
_value_chain_sections = []


def register_value_chain_section(section):
    _value_chain_sections.append(section)
    return section


def value_chain_page_sections(chain, stages, user) -> list[dict]:
    return [shown for section in _value_chain_sections if (shown := section(chain, stages, user))]
