"""The API of KPIs and their reported values."""

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from escp_portal.api.serializers import ModelSerializer, PolicySerializer, VisibleField, described
from escp_portal.api.viewsets import IDEMPOTENCY_KEY, IF_MATCH, STALE, PolicyViewSet, run_once
from escp_portal.services import RowErrors
from partnerships.models import Partner

from .. import selectors, services
from ..filters import KPIFilterSet, MeasurementFilterSet
from ..models import (
    KPI,
    Breakdown,
    CoreIndicator,
    Measurement,
    MeasurementPart,
    MeasurementRevision,
    Milestone,
    Objective,
)
from ..sources import source_choices
from .examples import KPI_EXAMPLES, MEASUREMENT_BULK_EXAMPLES, MEASUREMENT_EXAMPLES


@described(
    date="Date by which the value should be reached.",
    value="Value expected at that date, in the KPI's unit.",
)
class MilestoneSerializer(ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["date", "value"]


@described(
    kind="`output`, `outcome` or `impact`.",
    aggregation="How the values of the periods combine: `sum`, `latest` or `max`.",
    direction="`increase` or `decrease`: which way is progress.",
    baseline_value="Value at the baseline date, a decimal as a string, in `unit`.",
    baseline_date="Date of the baseline value; progress is measured from it.",
    target_value="Value to reach by the target date, a decimal as a string, in `unit`.",
    target_date="Date by which the target should be reached.",
    frequency="How often values are reported: `monthly`, `quarterly`, `semiannual`, `annual`.",
    source="`manual` (reported by partners) or the name of a portal record it is derived from.",
    milestones="Intermediate targets: a value to reach by a date.",
    current_value="Value reached so far from the approved measurements (read-only).",
)
@extend_schema_serializer(examples=KPI_EXAMPLES)
class KPISerializer(PolicySerializer):
    objective = VisibleField(Objective)
    responsible = VisibleField(Partner, allow_null=True, required=False)
    milestones = MilestoneSerializer(many=True, required=False)
    source = serializers.ChoiceField(choices=[])
    core_indicator = serializers.SlugRelatedField(
        slug_field="code",
        queryset=CoreIndicator.objects.all(),
        allow_null=True,
        required=False,
        help_text="The code of the programme's core indicator the KPI counts towards (same "
        "unit); set from the source for a KPI taken from the portal's records.",
    )
    breakdowns = serializers.ListField(
        child=serializers.ChoiceField(choices=Breakdown.choices),
        required=False,
        max_length=len(Breakdown.choices),
        help_text="What each reported value is split by (each once); the parts of one "
        "breakdown add up to the value.",
    )
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
        current = (values or selectors.kpi_values([obj]))[obj.pk].current
        return None if current is None else f"{current:.2f}"


class KPIViewSet(PolicyViewSet):
    """KPIs: reported by the partners, or derived from a named source of the portal."""

    queryset = KPI.objects.select_related("objective__strategy", "core_indicator").prefetch_related(
        "milestones"
    )
    serializer_class = KPISerializer
    filterset_class = KPIFilterSet
    login_required = True

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        values = selectors.kpi_values(page)
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


@described(
    dimension="The breakdown: `partner`, `country` or `sme_size`.",
    key="The part within the breakdown (a partner id, an ISO country code, a size class).",
    value="The part's value, in the KPI's unit.",
)
class MeasurementPartSerializer(ModelSerializer):
    class Meta:
        model = MeasurementPart
        fields = ["dimension", "key", "value"]


@described(
    old_value="The value before the change.",
    new_value="The value after it.",
    old_status="The status before the change.",
    reason="Why the value was changed.",
    changed_at="When the change was made.",
)
class RevisionSerializer(ModelSerializer):
    class Meta:
        model = MeasurementRevision
        fields = [
            "old_value",
            "new_value",
            "old_status",
            "old_note",
            "old_evidence_url",
            "has_old_evidence_file",
            "reason",
            "changed_at",
        ]

    has_old_evidence_file = serializers.SerializerMethodField(
        help_text="Whether the value had an evidence file before the correction (downloaded "
        "from the KPI's page)."
    )

    def get_has_old_evidence_file(self, obj) -> bool:
        return bool(obj.old_evidence_file)


@described(
    period_end="Last day of the reporting period the value is for.",
    value="Value for the period, a decimal as a string, in the KPI's unit.",
    evidence_url="Where the evidence of the value can be read.",
    status="`submitted` (waits for the coordinator), `approved` (counts on the scoreboard) "
    "or `returned` (for revision).",
    review_comment="The coordinator's comment when returning the value.",
    reported_at="When the value was last reported.",
    reviewed_at="When the coordinator approved or returned it.",
    revisions="Earlier values of this measurement, each with the reason of the change.",
)
@extend_schema_serializer(examples=MEASUREMENT_EXAMPLES)
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
    parts = MeasurementPartSerializer(
        many=True,
        required=False,
        max_length=300,
        help_text="The value's breakdown, when its KPI declares one: the parts of one dimension "
        "(partner: a partner's id; country: an ISO 3166 code; sme_size: micro, small, medium, "
        "large) add up to the value. Left out on a change: the parts are kept.",
    )
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
            "parts",
            "revisions",
        ]
        read_only_fields = ["status", "review_comment", "reported_at", "reviewed_at"]
        validators = []


class ReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, help_text="When returning: what to change."
    )
    value = serializers.DecimalField(
        max_digits=15,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="The value you reviewed: if it was changed since, nothing is done (400).",
    )


class MeasurementRowSerializer(serializers.Serializer):
    """One row of ``bulk`` as the schema describes it; ``services.measurements_bulk`` reads the
    rows and answers the errors of each."""

    kpi = serializers.IntegerField()
    period_end = serializers.DateField()
    value = serializers.DecimalField(max_digits=15, decimal_places=2)
    partner = serializers.IntegerField(
        required=False, allow_null=True, help_text="The KPI's responsible partner if left out."
    )
    evidence_url = serializers.URLField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text="Why an approved value is corrected."
    )
    parts = MeasurementPartSerializer(many=True, required=False)


class MeasurementViewSet(PolicyViewSet):
    """Reported values. A new or changed value waits for the coordinator's approval; only
    approved values count. `bulk` reports many at once, all or none."""

    queryset = Measurement.objects.select_related(
        "kpi__objective__strategy", "partner"
    ).prefetch_related("revisions", "parts")
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
            parts=data.get("parts"),
        )

    @extend_schema(
        request=ReviewSerializer,
        parameters=[IF_MATCH],
        responses={200: MeasurementSerializer, 412: STALE},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a submitted value (the coordinator): from now on it counts on the scoreboard."""
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            measurement = services.measurement_approve(
                actor=request.user,
                measurement=self.check_version(),
                seen_value=body.validated_data.get("value"),
            )
        return Response(self.get_serializer(measurement).data)

    @extend_schema(
        request=ReviewSerializer,
        parameters=[IF_MATCH],
        responses={200: MeasurementSerializer, 412: STALE},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """Return a value to its partner for revision, with a `comment` saying what to change."""
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            measurement = services.measurement_return(
                actor=request.user,
                measurement=self.check_version(),
                comment=body.validated_data.get("comment", ""),
                seen_value=body.validated_data.get("value"),
            )
        return Response(self.get_serializer(measurement).data)

    @extend_schema(
        request={"application/json": MeasurementRowSerializer(many=True)},
        responses={201: MeasurementSerializer(many=True)},
        parameters=[IDEMPOTENCY_KEY],
        summary="Report many measurements at once",
        examples=MEASUREMENT_BULK_EXAMPLES,
    )
    # The answer is the list of the values written, neither filtered nor paginated.
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def bulk(self, request):
        """Rows of `{"kpi", "period_end", "value", "partner"?, "evidence_url"?, "note"?,
        "reason"?, "parts"?}` (`parts`: `[{"dimension", "key", "value"}]`, as for one value):
        every row is written or none, with the errors of each row."""
        rows = request.data
        if isinstance(rows, dict):
            rows = rows.get("rows")
        if not isinstance(rows, list) or not rows or len(rows) > 1000:
            message = _("Send a list of 1 to 1000 rows.")
            raise RowErrors([{"index": None, "field": "rows", "message": message}], message)

        def write():
            measurements = services.measurements_bulk(actor=request.user, rows=rows)
            return Response(self.get_serializer(measurements, many=True).data, status=201)

        return run_once(request, write)
