"""The API of the roadmap."""

from escp_portal.api.serializers import PolicySerializer, VisibleField, described
from escp_portal.api.viewsets import PolicyViewSet
from partnerships.models import Partner

from .. import services
from ..filters import TaskFilterSet
from ..models import Objective, Task


@described(
    due_date="When the task should be done.",
    completed_on="When it was done.",
)
class TaskSerializer(PolicySerializer):
    objective = VisibleField(Objective)
    responsible = VisibleField(Partner, many=True, required=False)
    create_only = ("objective",)

    class Meta:
        model = Task
        fields = ["id", "objective", *services.TASK_FIELDS, "responsible", "updated_at"]
        read_only_fields = ["updated_at"]
        validators = []


class TaskViewSet(PolicyViewSet):
    """The roadmap. Responsible partners may update a task's status."""

    queryset = Task.objects.prefetch_related("responsible")
    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet
    login_required = True

    def get_permissions(self):
        # Responsible partners change the status; the service decides who may change what.
        from rest_framework.permissions import IsAuthenticated

        return [IsAuthenticated()]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.task_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        responsible = data.pop("responsible", None)
        services.task_update(
            actor=self.request.user, task=serializer.instance, responsible=responsible, **data
        )

    def perform_destroy(self, instance):
        services.task_delete(actor=self.request.user, task=instance)
