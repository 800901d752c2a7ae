"""The missions' columns of the strategy's balance view (``register_balance_figure``): per
partner, missions organised, missions its cluster joined, outcomes its members took part in.
A grouped query each (and one for the partners' clusters)."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from partnerships.models import Partner

from ..models import Mission, Outcome, Participation


def _by_partner(partnership_id: int, by_cluster: dict) -> dict[int, int]:
    clusters = Partner.objects.filter(partnership_id=partnership_id).values_list("cluster_id", "pk")
    return {pk: by_cluster[cluster] for cluster, pk in clusters if cluster in by_cluster}


def missions_organised(partnership_id: int) -> dict[int, int]:
    return dict(
        Mission.objects.filter(partnership_id=partnership_id, organiser__isnull=False)
        .exclude(status=Mission.Status.CANCELLED)
        .order_by()
        .values_list("organiser_id")
        .annotate(n=Count("pk"))
    )


def missions_joined(partnership_id: int) -> dict[int, int]:
    """Missions of the partnership (cancelled ones aside) in which the partner's cluster, or
    one of its members, takes or took part."""
    by_cluster = dict(
        Participation.objects.filter(mission__partnership_id=partnership_id)
        .exclude(status=Participation.Status.CANCELLED)
        .exclude(mission__status=Mission.Status.CANCELLED)
        .order_by()
        .values_list("cluster_id")
        .annotate(n=Count("mission_id", distinct=True))
    )
    return _by_partner(partnership_id, by_cluster)


def outcomes_shared(partnership_id: int) -> dict[int, int]:
    """Outcomes of the partnership that name at least one member of the partner's cluster."""
    by_cluster = dict(
        Outcome.objects.filter(
            partnership_id=partnership_id, members__memberships__cluster_id__isnull=False
        )
        .order_by()
        .values_list("members__memberships__cluster_id")
        .annotate(n=Count("pk", distinct=True))
    )
    return _by_partner(partnership_id, by_cluster)


BALANCE_FIGURES = (
    ("missions_organised", _("Missions organised"), missions_organised),
    ("missions_joined", _("Missions joined"), missions_joined),
    ("outcomes", _("Outcomes"), outcomes_shared),
)
