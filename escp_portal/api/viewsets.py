from rest_framework import mixins, serializers, viewsets

from escp_portal.hostile import bound_serializer_fields


class PolicyQuerysetMixin:
    """Every queryset of the API goes through the access policy."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def get_serializer(self, *args, **kwargs):
        """Every serializer of the API bounds its dates and whole numbers (``hostile``)."""
        serializer = super().get_serializer(*args, **kwargs)
        if isinstance(serializer, serializers.ListSerializer):
            bound_serializer_fields(serializer.child.fields)
        else:
            bound_serializer_fields(serializer.fields)
        return serializer


class ReadOnlyPolicyViewSet(PolicyQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class PolicyViewSet(
    PolicyQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    pass
