"""Every deletion of a synced record writes a ``Deletion``, whatever deleted it: the API, a page,
the admin, a queryset, a cascade from a parent. What the access policy needs is read before the
rows go (``pre_delete``: a cascade may delete the parents too), once per parent and delete
(cached on the delete's origin), and written after (``post_delete``), in the same transaction."""

import contextlib

from django.apps import apps
from django.db.models.signals import post_delete, pre_delete

from .resources import SYNCED

_ATTR = "_sync_deletion"
_CACHE = "_sync_deletion_cache"


def _lookup(instance, path: str, cache: dict):
    if path == "pk":
        return instance.pk
    head, _sep, rest = path.partition("__")
    field = instance._meta.get_field(head)
    if not rest:
        return getattr(instance, field.attname if field.is_relation else head)
    value = getattr(instance, field.attname)
    if value is None:
        return None
    key = (field.related_model._meta.label, value, rest)
    if key not in cache:
        cache[key] = (
            field.related_model._base_manager.filter(pk=value).values_list(rest, flat=True).first()
        )
    return cache[key]


def _cache_of(origin) -> dict:
    if origin is None:
        return {}
    cache = getattr(origin, _CACHE, None)
    if cache is None:
        cache = {}
        with contextlib.suppress(AttributeError):
            setattr(origin, _CACHE, cache)
    return cache


def _before(sender, instance, origin=None, **kwargs):
    spec = SYNCED[sender._meta.label]
    cache = _cache_of(origin)
    partnership_id = _lookup(instance, spec.partnership, cache) if spec.partnership else None
    public = spec.public or (
        spec.published is not None and _lookup(instance, spec.published, cache) != "draft"
    )
    coordinators = (
        spec.coordinators is not None and _lookup(instance, spec.coordinators, cache) != "draft"
    )
    clusters = []
    if spec.member_clusters:
        clusters = list(
            apps.get_model("partnerships", "ClusterMembership")
            ._base_manager.filter(member_id=instance.pk)
            .values_list("cluster_id", flat=True)
        )
    setattr(instance, _ATTR, (partnership_id, public, coordinators, clusters))


def _after(sender, instance, using=None, **kwargs):
    from .models import Deletion, DeletionCluster

    known = getattr(instance, _ATTR, None)
    if known is None:  # no pre_delete (cannot happen through the ORM): the least exposure
        known = (None, False, False, [])
    partnership_id, public, coordinators, clusters = known
    deletion = Deletion.objects.using(using).create(
        resource=SYNCED[sender._meta.label].resource,
        object_id=instance.pk,
        partnership_id=partnership_id,
        public=public,
        coordinators=coordinators,
    )
    if clusters:
        DeletionCluster.objects.using(using).bulk_create(
            [DeletionCluster(deletion=deletion, cluster_id=c) for c in sorted(set(clusters))]
        )


# A member taken out of a cluster leaves that cluster's lists: for those who saw it there, it is
# a deleted member (recorded once the membership goes, scoped to that cluster). A member still in
# another cluster has its updated_at moved on, so that a client that sees it there keeps it.


def _from_member(origin) -> bool:
    model = getattr(origin, "model", None) or type(origin)
    return model is not None and model._meta.label == "partnerships.Member"


def _membership_after(sender, instance, using=None, origin=None, **kwargs):
    from django.utils import timezone

    from .models import Deletion, DeletionCluster

    if _from_member(origin):  # the member's own deletion is recorded, with its clusters
        return
    deletion = Deletion.objects.using(using).create(
        resource="members", object_id=instance.member_id
    )
    DeletionCluster.objects.using(using).create(deletion=deletion, cluster_id=instance.cluster_id)
    apps.get_model("partnerships", "Member")._base_manager.using(using).filter(
        pk=instance.member_id
    ).update(updated_at=timezone.now())


def connect():
    for label in SYNCED:
        model = apps.get_model(label)
        pre_delete.connect(_before, sender=model, dispatch_uid=f"sync-before-{label}")
        post_delete.connect(_after, sender=model, dispatch_uid=f"sync-after-{label}")
    post_delete.connect(
        _membership_after,
        sender=apps.get_model("partnerships", "ClusterMembership"),
        dispatch_uid="sync-after-membership",
    )
