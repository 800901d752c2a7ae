"""The API of the partners' expectations and commitments [Action 7]."""

from escp_portal.api.serializers import PolicySerializer, VisibleField
from escp_portal.api.viewsets import PolicyViewSet

from ..filters import PartnerExpectationFilterSet
from ..models import Partner, PartnerExpectation
from ..services import expectations as services


class PartnerExpectationSerializer(PolicySerializer):
    partner = VisibleField(Partner)
    create_only = ("partner",)

    class Meta:
        model = PartnerExpectation
        fields = ["id", "partner", *services.EXPECTATION_FIELDS, "updated_at"]
        read_only_fields = ["updated_at"]
        extra_kwargs = {"recorded_on": {"required": False}}


class PartnerExpectationViewSet(PolicyViewSet):
    """What each partner expects from the partnership and commits to it, and how the last
    review found it. The partnership's insiders read; its coordinators and the partner's
    cluster managers write."""

    queryset = PartnerExpectation.objects.select_related("partner")
    serializer_class = PartnerExpectationSerializer
    filterset_class = PartnerExpectationFilterSet
    login_required = True

    def perform_create(self, serializer):
        serializer.instance = services.expectation_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("partner", None)
        services.expectation_update(actor=self.request.user, entry=serializer.instance, **data)

    def perform_destroy(self, instance):
        services.expectation_delete(actor=self.request.user, entry=instance)
