"""The record of deletions an incremental sync reads (``GET /api/v1/deletions/``): one row per
deleted record of a synced resource, written by ``signals`` whatever deleted it (the API, a page,
the admin, a cascade). It keeps what the access policy needs to show it to those who could see
the record: its partnership, the clusters whose members it was, whether it was public."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from escp_portal.accounts.policy import PolicyQuerySet


class Deletion(models.Model):
    resource = models.CharField(_("resource"), max_length=40, help_text=_("As in the API URL."))
    object_id = models.BigIntegerField(_("id of the deleted record"))
    deleted_at = models.DateTimeField(_("deleted at"), auto_now_add=True, db_index=True)
    # Who may read it (escp_portal.sync.rules): the insiders of the partnership, the people who
    # saw the clusters' members (DeletionCluster), every coordinator, anyone (the public directory).
    partnership_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    public = models.BooleanField(default=False)
    coordinators = models.BooleanField(default=False)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["deleted_at", "id"]
        verbose_name = _("deletion")
        verbose_name_plural = _("deletions")
        indexes = [models.Index(fields=["resource", "deleted_at"], name="deletion_resource_time")]

    def __str__(self):
        return f"{self.resource} {self.object_id} ({self.deleted_at:%Y-%m-%d %H:%M})"


class DeletionCluster(models.Model):
    """A cluster whose members list showed the deleted record (a member of several clusters has
    one row per cluster)."""

    deletion = models.ForeignKey(Deletion, on_delete=models.CASCADE, related_name="clusters")
    cluster_id = models.BigIntegerField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deletion", "cluster_id"], name="deletion_cluster_once")
        ]

    def __str__(self):
        return f"{self.deletion} cluster {self.cluster_id}"
