from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QueuedJob(models.Model):
    """A background job asked for by a committed write and not yet handed to the broker.

    The row is written in the same transaction as the data the job is about, so the job exists
    exactly when the write does; it leaves the table once the broker has accepted the message.
    While the broker is away, rows wait here and are sent when it is back."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("positional arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    countdown = models.PositiveIntegerField(_("delay in seconds"), null=True, blank=True)
    queue = models.CharField(_("queue"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("asked for at"), default=timezone.now, db_index=True)
    attempts = models.PositiveIntegerField(_("failed sending attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    # The id of the request (or job) that asked for it: the job logs under the same id.
    request_id = models.CharField(_("request id"), max_length=36, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("queued job")
        verbose_name_plural = _("queued jobs")
        indexes = [models.Index(fields=["next_attempt_at"], name="jobs_queued_due")]

    def __str__(self):
        return f"{self.task} #{self.pk}"
