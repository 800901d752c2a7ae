"""The roadmap: activities that deliver the objectives."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from escp_portal.accounts.policy import PolicyQuerySet

from .versions import Objective


class Task(models.Model):
    """An activity of the roadmap, for an objective."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        BLOCKED = "blocked", _("Blocked")
        CANCELLED = "cancelled", _("Cancelled")

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("objective")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    responsible = models.ManyToManyField(
        "partnerships.Partner",
        blank=True,
        related_name="tasks",
        verbose_name=_("responsible partners"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = [
            "objective__strategy_id",
            "objective__order",
            "objective__code",
            "objective_id",
            "due_date",
            "pk",
        ]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False) | ~Q(status="done"),
                name="done_task_has_date",
                violation_error_message=_("A task that is done needs the date it was completed."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_late(self) -> bool:
        from django.utils import timezone

        return (
            self.due_date is not None
            and self.status not in (self.Status.DONE, self.Status.CANCELLED)
            and self.due_date < timezone.localdate()
        )
