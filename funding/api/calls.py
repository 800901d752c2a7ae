"""The API of EU funding calls, and of the calls that fit a partnership (``matching``)."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from escp_portal.accounts.policy import INSIDER, with_insider
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


class MatchSerializer(serializers.Serializer):
    call = FundingCallSerializer()
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())


class PartnershipCallsAPIView(APIView):
    """The open calls that fit a partnership, best first, each with the reasons: for the
    partnership's insiders (others: 404)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="List the funding calls that fit a partnership",
        responses=MatchSerializer(many=True),
    )
    def get(self, request, partnership_id):
        user = request.user
        partnership = get_object_or_404(
            with_insider(Partnership.objects.visible_to(user), user), pk=partnership_id
        )
        if not getattr(partnership, INSIDER):
            raise NotFound
        matches = selectors.partnership_calls(partnership, timezone.localdate())
        data = [{"call": m.call, "score": m.score, "reasons": m.reasons} for m in matches]
        return Response(MatchSerializer(data, many=True, context={"request": request}).data)
