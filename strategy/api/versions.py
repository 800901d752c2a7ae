"""The API of the strategy versions and their objectives."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from escp_portal.api.serializers import PolicySerializer, VisibleField, described
from escp_portal.api.viewsets import PolicyViewSet
from partnerships.models import Partner, Partnership

from .. import selectors, services
from ..filters import ObjectiveFilterSet, StrategyFilterSet
from ..models import Objective, Strategy
from ..services import coordination as services_coordination


@described(
    version="Number of the version, from 1.",
    status="`draft`, `adopted` or `revised`: `adopt` and `revise` move it on.",
    adopted_on="Date the version was adopted.",
)
class StrategySerializer(PolicySerializer):
    partnership = VisibleField(Partnership)
    create_only = ("partnership",)

    class Meta:
        model = Strategy
        fields = [
            "id",
            "partnership",
            "version",
            "status",
            "vision",
            "mission",
            "adopted_on",
            "shared_at",
            "adoption_record",
            "updated_at",
        ]
        read_only_fields = [
            "version",
            "status",
            "adopted_on",
            "shared_at",
            "adoption_record",
            "updated_at",
        ]
        validators = []  # the version is numbered by the service


class StrategyViewSet(PolicyViewSet):
    """Versions of a partnership's joint strategy; `adopt` and `revise` move them on."""

    queryset = Strategy.objects.select_related("partnership")
    serializer_class = StrategySerializer
    filterset_class = StrategyFilterSet
    login_required = True
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.strategy_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.instance = services.strategy_update(
            actor=self.request.user, strategy=serializer.instance, **serializer.validated_data
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def adopt(self, request, pk=None):
        strategy = services.strategy_adopt(actor=request.user, strategy=self.get_object())
        return Response(self.get_serializer(strategy).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        """Put the draft before every partner for comments and endorsement (they are emailed)."""
        strategy = services_coordination.strategy_share(
            actor=request.user, strategy=self.get_object()
        )
        return Response(self.get_serializer(strategy).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        draft = services.strategy_revise(actor=request.user, strategy=self.get_object())
        return Response(self.get_serializer(draft).data, status=201)


@described(
    start_date="When work towards the objective starts (inside the partnership's period).",
    target_date="When the objective should be met (inside the partnership's period).",
    benefits_smes="The objective benefits SMEs.",
    order="Position of the objective in the strategy.",
)
class ObjectiveSerializer(PolicySerializer):
    strategy = VisibleField(Strategy)
    owner = VisibleField(Partner, allow_null=True, required=False)
    smart = serializers.SerializerMethodField()
    create_only = ("strategy",)

    class Meta:
        model = Objective
        fields = ["id", "strategy", *services.OBJECTIVE_FIELDS, "smart"]
        validators = []

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_smart(self, obj):
        if not hasattr(obj, "task_count"):
            obj = selectors.objectives_for(obj.strategy).get(pk=obj.pk)
        check = selectors.smart_check(obj, obj.strategy.partnership)
        return {
            "letters": check.letters,
            "missing": check.missing,
            "reasons": {k: str(v) for k, v in check.reasons.items()},
        }


class ObjectiveViewSet(PolicyViewSet):
    """SMART objectives; `smart` says which letters are met and why not."""

    queryset = Objective.objects.select_related("strategy__partnership")
    serializer_class = ObjectiveSerializer
    filterset_class = ObjectiveFilterSet
    login_required = True

    def get_queryset(self):
        # By partnership, its newest version first, then the strategy's own order.
        return selectors.with_smart_counts(super().get_queryset()).order_by(
            "strategy__partnership__acronym",
            "strategy__partnership__generation",
            "-strategy__version",
            "order",
            "code",
            "pk",
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.objective_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        services.objective_update(
            actor=self.request.user, objective=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.objective_delete(actor=self.request.user, objective=instance)
