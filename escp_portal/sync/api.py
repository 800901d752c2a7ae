"""``GET /api/v1/deletions/``: what was deleted since a moment, for an incremental sync."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, viewsets

from escp_portal.api.filters import since_param
from escp_portal.api.serializers import ModelSerializer
from escp_portal.api.viewsets import PolicyQuerysetMixin

from .models import Deletion
from .resources import resource_names


class DeletionSerializer(ModelSerializer):
    class Meta:
        model = Deletion
        fields = ["id", "resource", "object_id", "deleted_at"]
        read_only_fields = fields


SINCE = OpenApiParameter(
    "since",
    OpenApiTypes.DATETIME,
    description=(
        "Only the deletions at or after this moment (ISO 8601, inclusive): the moment your "
        "last sync started."
    ),
)
RESOURCE = OpenApiParameter(
    "resource",
    OpenApiTypes.STR,
    enum=resource_names(),
    description="Only the deletions of one resource, named as in its URL (e.g. members).",
)


@extend_schema_view(list=extend_schema(parameters=[SINCE, RESOURCE]))
class DeletionViewSet(PolicyQuerysetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Records deleted from the synced lists (members, partners, missions, …), with the moment
    of the deletion: after reading the changes of a list with ``updated_since``, read here what
    went. You see the deletions of what you could see."""

    queryset = Deletion.objects.all()
    serializer_class = DeletionSerializer
    ordering_fields = ["id", "deleted_at"]

    def get_queryset(self):
        queryset = super().get_queryset()
        params = self.request.query_params
        moment = since_param(self.request, "since")
        if moment is not None:
            queryset = queryset.filter(deleted_at__gte=moment)
        resource = params.get("resource")
        if resource is not None:
            if resource not in resource_names():
                raise exceptions.ValidationError(
                    {"resource": [_("One of: %(names)s.") % {"names": ", ".join(resource_names())}]}
                )
            queryset = queryset.filter(resource=resource)
        return queryset
