"""The API of EU funding calls, and of the calls that fit a partnership (``matching``)."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from escp_portal.accounts.policy import is_insider
from escp_portal.api.serializers import PolicySerializer
from escp_portal.api.viewsets import PolicyViewSet
from partnerships.api.serializers import CountryCodesField
from partnerships.models import Partnership, Sector

from .. import selectors
from ..filters import FundingCallFilterSet
from ..models import FundingCall
from ..services import calls as services


class FundingCallSerializer(PolicySerializer):
    countries = CountryCodesField(required=False, help_text="ISO codes of the eligible countries.")
    sectors = serializers.PrimaryKeyRelatedField(
        queryset=Sector.objects.all(), many=True, required=False
    )
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = FundingCall
        fields = ["id", *services.CALL_FIELDS, "sectors", "is_open", "updated_at"]
        read_only_fields = ["updated_at"]

    def get_is_open(self, call) -> bool:
        return call.deadline >= timezone.localdate()


MATCH = inline_serializer(
    "FundingCallMatch",
    {
        "call": FundingCallSerializer(),
        "score": serializers.IntegerField(),
        "reasons": serializers.ListField(child=serializers.CharField()),
    },
    many=True,
)


class FundingCallViewSet(PolicyViewSet):
    """EU funding calls, recorded by staff and EC officers, read by every signed-in user."""

    queryset = FundingCall.objects.prefetch_related("sectors").order_by("deadline", "pk")
    serializer_class = FundingCallSerializer
    filterset_class = FundingCallFilterSet
    login_required = True
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        sectors = data.pop("sectors", None)
        serializer.instance = services.call_save(actor=self.request.user, sectors=sectors, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        sectors = data.pop("sectors", None)
        serializer.instance = services.call_save(
            actor=self.request.user, call=serializer.instance, sectors=sectors, **data
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("partnership", OpenApiTypes.INT, required=True),
        ],
        responses=MATCH,
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def matching(self, request):
        """The open calls that fit a partnership (its insiders), best first, with the reasons."""
        value = request.query_params.get("partnership", "")
        if not value.isdigit() or len(value) > 18:
            raise ValidationError({"partnership": ["Give the id of a partnership."]})
        partnership = get_object_or_404(Partnership.objects.visible_to(request.user), pk=value)
        if not is_insider(request.user, partnership.pk):
            raise NotFound
        matches = selectors.partnership_calls(partnership, timezone.localdate())
        return Response(
            [
                {
                    "call": FundingCallSerializer(
                        m.call, context=self.get_serializer_context()
                    ).data,
                    "score": m.score,
                    "reasons": m.reasons,
                }
                for m in matches
            ]
        )
