"""Reads of the roadmap."""

from django.db.models import Prefetch

from ..models import Strategy, Task


def tasks_for(strategy: Strategy):
    return Task.objects.filter(objective__strategy=strategy).prefetch_related(
        Prefetch("responsible", queryset=_partners())
    )


def _partners():
    from partnerships.models import Partner

    return Partner.objects.select_related("cluster")
