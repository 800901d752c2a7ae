from rest_framework import mixins, viewsets


class PolicyQuerysetMixin:
    """Every queryset of the API goes through the access policy."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)


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
