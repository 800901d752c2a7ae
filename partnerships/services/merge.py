"""Two records of one cluster organisation merged into one (staff only): every record that
points to the one that goes is moved to the one kept, found through Django's model registry, so
a table added later that points to clusters is moved too; its name becomes an alias, and the
audit trail of both stays, under the kept cluster."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from escp_portal.audit import set_actor
from escp_portal.services import require

from ..models import ClusterAlias, ClusterOrganisation
from ..models.directory import alias_key
from ..rules import can_merge_clusters


def cluster_links() -> list[tuple[type[models.Model], str]]:
    """``(model, field name)`` of every foreign key and one-to-one field to a cluster
    organisation, and of the tables of many-to-many fields to it."""
    links = []
    for rel in ClusterOrganisation._meta.related_objects:
        if rel.many_to_many:
            through = rel.through
            field = next(
                f.name
                for f in through._meta.fields
                if f.is_relation and f.related_model is ClusterOrganisation
            )
            links.append((through, field))
        else:
            links.append((rel.related_model, rel.field.name))
    return links


def _move(model, field: str, drop: ClusterOrganisation, keep: ClusterOrganisation) -> None:
    """Point the rows of ``model`` from ``drop`` to ``keep``. A row the kept cluster already has
    (a unique constraint: the same member, partnership, …) is the same link twice: the moved
    one is deleted, unless other records depend on it."""
    rows = model._default_manager.filter(**{field: drop})
    changes = {field: keep}
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        changes["updated_at"] = timezone.now()  # moved rows show in the next incremental sync
    try:
        with transaction.atomic():
            rows.update(**changes)
        return
    except IntegrityError:
        pass
    for row in list(rows):
        try:
            with transaction.atomic():
                setattr(row, field, keep)
                row.save(update_fields=[field])
        except IntegrityError:
            try:
                with transaction.atomic():
                    row.delete()
            except (ProtectedError, RestrictedError) as exc:
                raise ValidationError(
                    _(
                        "Both clusters have %(what)s “%(row)s”, and records depend on the one "
                        "of %(drop)s: resolve it first, then merge."
                    )
                    % {"what": model._meta.verbose_name, "row": row, "drop": drop}
                ) from exc


def cluster_merge(*, actor, keep: ClusterOrganisation, drop: ClusterOrganisation) -> dict:
    """Merge ``drop`` into ``keep``; returns how many rows of each table were moved."""
    require(can_merge_clusters(actor))
    if keep.pk == drop.pk:
        raise ValidationError(_("Choose two different cluster organisations."))
    if keep.country != drop.country:
        raise ValidationError(_("Only records of the same country can be one organisation."))
    moved = {}
    cluster_type = ContentType.objects.get_for_model(ClusterOrganisation)
    with transaction.atomic(), set_actor(actor):
        keep = ClusterOrganisation.objects.select_for_update().get(pk=keep.pk)
        drop = ClusterOrganisation.objects.select_for_update().get(pk=drop.pk)
        for model, field in cluster_links():
            if model is ClusterAlias:
                continue
            count = model._default_manager.filter(**{field: drop}).count()
            if count:
                _move(model, field, drop, keep)
                moved[model._meta.label] = count
        for m2m in ClusterOrganisation._meta.many_to_many:
            getattr(keep, m2m.name).add(*getattr(drop, m2m.name).all())
        # Aliases: the name that goes and its own aliases name the kept cluster now.
        spellings = [drop.name, *drop.aliases.values_list("name", flat=True)]
        drop.aliases.all().delete()
        for name in spellings:
            if (
                alias_key(name) != alias_key(keep.name)
                and not keep.aliases.filter(key=alias_key(name)).exists()
            ):
                ClusterAlias.objects.create(cluster=keep, name=name, country=keep.country)
        for field in ("acronym", "nuts_region", "city", "website", "description"):
            if not getattr(keep, field) and getattr(drop, field):
                setattr(keep, field, getattr(drop, field))
        if keep.declared_member_count is None:
            keep.declared_member_count = drop.declared_member_count
        keep.save()
        # The trail of the record that goes stays, under the kept one; entries of other
        # records that name it by id (memberships, partners) follow.
        trail = LogEntry.objects.filter(content_type=cluster_type, object_pk=str(drop.pk))
        moved["auditlog.LogEntry"] = trail.update(object_pk=str(keep.pk), object_id=keep.pk)
        for entry in LogEntry.objects.filter(additional_data__cluster_id=drop.pk):
            entry.additional_data = {**entry.additional_data, "cluster_id": keep.pk}
            entry.save(update_fields=["additional_data"])
        drop_name = drop.name
        drop.delete()
        LogEntry.objects.log_create(
            keep,
            action=LogEntry.Action.UPDATE,
            changes={"merged": [drop_name, keep.name]},
            force_log=True,
        )
    return moved
