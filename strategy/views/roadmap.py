"""Pages of the roadmap."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from escp_portal.pages import ObjectMixin

from .. import rules, services
from ..forms import TaskForm, TaskStatusForm
from ..models import Objective, Task
from .common import FormPage, form_fields


class TaskCreateView(ObjectMixin, FormPage):
    coordinators_only = True
    model = Objective
    related = ("strategy__partnership",)
    form_class = TaskForm
    title = _("New task")

    def save(self, form):
        services.task_create(
            actor=self.request.user,
            objective=self.object,
            responsible=form.cleaned_data["responsible"],
            **form_fields(form, services.TASK_FIELDS),
        )
        return self.object


class TaskEditView(ObjectMixin, FormPage):
    """Coordinators edit the task; a responsible partner's manager updates its status."""

    model = Task
    related = ("objective__strategy__partnership",)
    title = _("Task")
    edits_object = True

    def get_form_class(self):
        if self.coordinator:
            return TaskForm
        if not rules.can_update_task_status(self.request.user, self.object):
            raise PermissionDenied
        return TaskStatusForm

    def save(self, form):
        extra = {"responsible": form.cleaned_data["responsible"]} if self.coordinator else {}
        services.task_update(
            actor=self.request.user,
            task=self.object,
            **extra,
            **form_fields(form, services.TASK_FIELDS),
        )
        return self.object.objective
