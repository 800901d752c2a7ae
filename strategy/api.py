from django.utils.translation import gettext as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from escp_portal.api.serializers import PolicySerializer, VisibleField
from escp_portal.api.viewsets import PolicyViewSet, ReadOnlyPolicyViewSet
from escp_portal.services import RowErrors
from partnerships.models import Partner, Partnership

from . import queries, services
from .filters import (
    KPIFilterSet,
    MeasurementFilterSet,
    ObjectiveFilterSet,
    StrategyFilterSet,
    TargetMarketFilterSet,
    TaskFilterSet,
    ValueChainFilterSet,
)
from .models import (
    KPI,
    MarketStudy,
    Measurement,
    MeasurementRevision,
    Milestone,
    Objective,
    Strategy,
    TargetMarket,
    Task,
    ValueChain,
)
from .sources import source_choices


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
            "updated_at",
        ]
        read_only_fields = ["version", "status", "adopted_on", "updated_at"]
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
    def revise(self, request, pk=None):
        draft = services.strategy_revise(actor=request.user, strategy=self.get_object())
        return Response(self.get_serializer(draft).data, status=201)


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
            obj = queries.objectives_for(obj.strategy).get(pk=obj.pk)
        check = queries.smart_check(obj, obj.strategy.partnership)
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
        # Ordered again: the counts group the rows, which drops the default ordering.
        return queries.with_smart_counts(super().get_queryset()).order_by(
            "strategy", "order", "code"
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


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["date", "value"]


class KPISerializer(PolicySerializer):
    objective = VisibleField(Objective)
    responsible = VisibleField(Partner, allow_null=True, required=False)
    milestones = MilestoneSerializer(many=True, required=False)
    source = serializers.ChoiceField(choices=[])
    current_value = serializers.SerializerMethodField()
    create_only = ("objective",)

    class Meta:
        model = KPI
        fields = ["id", "objective", *services.KPI_FIELDS, "milestones", "current_value"]

    def get_fields(self):
        fields = super().get_fields()
        fields["source"].choices = source_choices()
        return fields

    @extend_schema_field(serializers.DecimalField(max_digits=15, decimal_places=2, allow_null=True))
    def get_current_value(self, obj):
        values = self.context.get("kpi_values")
        current = (values or queries.kpi_values([obj]))[obj.pk].current
        return None if current is None else f"{current:.2f}"


class KPIViewSet(PolicyViewSet):
    """KPIs: reported by the partners, or derived from a named source of the portal."""

    queryset = KPI.objects.select_related("objective__strategy").prefetch_related("milestones")
    serializer_class = KPISerializer
    filterset_class = KPIFilterSet
    login_required = True

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        values = queries.kpi_values(page)
        data = self.get_serializer(
            page, many=True, context={**self.get_serializer_context(), "kpi_values": values}
        ).data
        return self.get_paginated_response(data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.kpi_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        services.kpi_update(
            actor=self.request.user, kpi=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.kpi_delete(actor=self.request.user, kpi=instance)


class RevisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeasurementRevision
        fields = ["old_value", "new_value", "old_status", "reason", "changed_at"]


class MeasurementSerializer(PolicySerializer):
    kpi = VisibleField(KPI)
    partner = VisibleField(Partner, allow_null=True, required=False)
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text="Why an approved value is corrected.",
    )
    revisions = RevisionSerializer(many=True, read_only=True)
    create_only = ("kpi", "period_end", "partner")

    class Meta:
        model = Measurement
        fields = [
            "id",
            "kpi",
            "period_end",
            "partner",
            "value",
            "evidence_url",
            "note",
            "status",
            "review_comment",
            "reported_at",
            "reviewed_at",
            "reason",
            "revisions",
        ]
        read_only_fields = ["status", "review_comment", "reported_at", "reviewed_at"]
        validators = []


class ReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True)


class MeasurementViewSet(PolicyViewSet):
    """Reported values. A new or changed value waits for the coordinator's approval; only
    approved values count. `bulk` reports many at once, all or none."""

    queryset = Measurement.objects.select_related(
        "kpi__objective__strategy", "partner"
    ).prefetch_related("revisions")
    serializer_class = MeasurementSerializer
    filterset_class = MeasurementFilterSet
    login_required = True
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.measurement_report(actor=self.request.user, **data)

    def perform_update(self, serializer):
        measurement = serializer.instance
        data = dict(serializer.validated_data)
        serializer.instance = services.measurement_report(
            actor=self.request.user,
            kpi=measurement.kpi,
            period_end=measurement.period_end,
            partner=measurement.partner,
            value=data.get("value", measurement.value),
            evidence_url=data.get("evidence_url", measurement.evidence_url),
            note=data.get("note", measurement.note),
            reason=data.get("reason", ""),
        )

    @extend_schema(request=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        measurement = services.measurement_approve(
            actor=request.user, measurement=self.get_object()
        )
        return Response(self.get_serializer(measurement).data)

    @extend_schema(request=ReviewSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        measurement = services.measurement_return(
            actor=request.user,
            measurement=self.get_object(),
            comment=body.validated_data.get("comment", ""),
        )
        return Response(self.get_serializer(measurement).data)

    @extend_schema(
        request=serializers.ListSerializer(child=serializers.DictField()),
        responses={201: MeasurementSerializer(many=True)},
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Rows of `{"kpi", "period_end", "value", "partner"?, "evidence_url"?, "note"?,
        "reason"?}`: every row is written or none, with the errors of each row."""
        rows = request.data
        if isinstance(rows, dict):
            rows = rows.get("rows")
        if not isinstance(rows, list) or not rows or len(rows) > 1000:
            message = _("Send a list of 1 to 1000 rows.")
            raise RowErrors([message], message)
        measurements = services.measurements_bulk(actor=request.user, rows=rows)
        return Response(self.get_serializer(measurements, many=True).data, status=201)


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


class MarketStudySerializer(serializers.ModelSerializer):
    class Meta:
        model = MarketStudy
        fields = ["id", "target_market", *services.STUDY_FIELDS, "updated_at"]
        read_only_fields = ["target_market", "updated_at"]


class TargetMarketSerializer(PolicySerializer):
    partnership = VisibleField(Partnership)
    country = CountryField()
    lead_partner = VisibleField(Partner, allow_null=True, required=False)
    study = MarketStudySerializer(read_only=True)
    create_only = ("partnership",)

    class Meta:
        model = TargetMarket
        fields = ["id", "partnership", *services.MARKET_FIELDS, "study"]
        validators = []


class TargetMarketViewSet(PolicyViewSet):
    """Third countries a partnership targets, with their market studies."""

    queryset = TargetMarket.objects.select_related("study")
    serializer_class = TargetMarketSerializer
    filterset_class = TargetMarketFilterSet
    login_required = True

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        partnership = data.pop("partnership")
        serializer.instance = services.target_market_save(
            actor=self.request.user, partnership=partnership, **data
        )

    def perform_update(self, serializer):
        market = serializer.instance
        services.target_market_save(
            actor=self.request.user,
            partnership=market.partnership,
            market=market,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        services.target_market_delete(actor=self.request.user, market=instance)


class MarketStudyWriteSerializer(MarketStudySerializer):
    target_market = VisibleField(TargetMarket)

    class Meta(MarketStudySerializer.Meta):
        read_only_fields = ["updated_at"]


class MarketStudyViewSet(PolicyViewSet):
    """The six questions of a market study, per target market."""

    queryset = MarketStudy.objects.select_related("target_market")
    serializer_class = MarketStudyWriteSerializer
    login_required = True
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        market = data.pop("target_market")
        serializer.instance = services.market_study_save(
            actor=self.request.user, market=market, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("target_market", None)
        serializer.instance = services.market_study_save(
            actor=self.request.user, market=serializer.instance.target_market, **data
        )


class StageAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    partner = serializers.IntegerField(source="partner_id", allow_null=True)
    member = serializers.IntegerField(source="member_id", allow_null=True)
    contribution = serializers.CharField()


class StageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    order = serializers.IntegerField()
    depends_on = serializers.SerializerMethodField()
    assignments = StageAssignmentSerializer(many=True)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_depends_on(self, obj):
        return [s.pk for s in obj.depends_on.all()]


class ValueChainSerializer(serializers.ModelSerializer):
    stages = StageSerializer(many=True, read_only=True)
    gaps = serializers.SerializerMethodField()

    class Meta:
        model = ValueChain
        fields = ["id", "partnership", "name", "description", "stages", "gaps"]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_gaps(self, obj):
        return [s.pk for s in obj.stages.all() if not s.assignments.all()]


class ValueChainViewSet(ReadOnlyPolicyViewSet):
    """Value chains with their stages, who covers each, and the stages nobody covers."""

    queryset = ValueChain.objects.prefetch_related("stages__assignments", "stages__depends_on")
    serializer_class = ValueChainSerializer
    filterset_class = ValueChainFilterSet
    login_required = True
