"""The evaluation in the API: a partnership's scoreboard, the programme statistics, the core
indicators' roll-up and the oversight of the partnerships, read through the same selectors as
the pages."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from escp_portal.accounts.policy import INSIDER, with_insider
from partnerships.models import Partnership

from . import rules, selectors
from .models import Status


def _text(value):
    return None if value is None else str(value)


DECIMAL = serializers.DecimalField(max_digits=15, decimal_places=2, allow_null=True)


class KPIStatusSerializer(serializers.Serializer):
    kpi = serializers.IntegerField(source="kpi_id")
    name = serializers.CharField(source="kpi.name")
    unit = serializers.CharField(source="kpi.unit")
    status = serializers.ChoiceField(choices=Status.choices)
    current_value = serializers.SerializerMethodField()
    target_value = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField(help_text="Progress towards the target, in %.")
    expected = serializers.SerializerMethodField(
        help_text="The progress expected today (%), on a straight line from baseline to target."
    )
    last_reported = serializers.DateField(allow_null=True)

    @extend_schema_field(DECIMAL)
    def get_current_value(self, status):
        return _text(status.current_value)

    @extend_schema_field(DECIMAL)
    def get_target_value(self, status):
        return _text(status.kpi.target_value)

    @extend_schema_field(DECIMAL)
    def get_progress(self, status):
        return _text(status.progress)

    @extend_schema_field(serializers.DecimalField(max_digits=15, decimal_places=2))
    def get_expected(self, status):
        return str(status.expected)


class DailySnapshotSerializer(serializers.Serializer):
    date = serializers.DateField()
    statuses = serializers.SerializerMethodField(help_text="How many KPIs had each status.")

    def get_statuses(self, snap) -> dict[str, int]:
        return snap.data.get("statuses", {})


class SignedOffSnapshotSerializer(serializers.Serializer):
    period_end = serializers.DateField()
    signed_off_at = serializers.DateTimeField()
    statuses = serializers.SerializerMethodField(help_text="How many KPIs had each status.")

    def get_statuses(self, snap) -> dict[str, int]:
        return snap.data.get("statuses", {})


class ScoreboardSerializer(serializers.Serializer):
    """A partnership's KPI statuses and totals, the statuses per day of the daily snapshots,
    and the signed-off ones (newest first)."""

    partnership = serializers.SerializerMethodField()
    kpis = KPIStatusSerializer(source="statuses", many=True)
    totals = serializers.DictField(
        help_text="Members and SMEs reached, missions held, outcomes by kind and by country, "
        "and their summed value."
    )
    history = DailySnapshotSerializer(many=True)
    signed_off = serializers.SerializerMethodField()

    def get_partnership(self, board) -> int:
        return self.context["partnership"].pk

    @extend_schema_field(SignedOffSnapshotSerializer(many=True))
    def get_signed_off(self, board):
        newest_first = sorted(board.signed, key=lambda snap: snap.date, reverse=True)
        return SignedOffSnapshotSerializer(newest_first, many=True).data


class StatisticsQuerySerializer(serializers.Serializer):
    programme = serializers.CharField(required=False, allow_blank=True)
    generation = serializers.CharField(required=False, allow_blank=True)

    def validate_generation(self, raw):
        if not raw:
            return None
        try:
            generation = int(raw)
        except ValueError:
            generation = -1
        if generation < 1:
            raise ValidationError(["A whole number from 1."])
        return generation


class OversightQuerySerializer(StatisticsQuerySerializer):
    phase = serializers.ChoiceField(
        choices=Partnership.Phase.choices, required=False, allow_blank=True
    )
    silent = serializers.BooleanField(required=False, default=False)
    sort = serializers.ChoiceField(choices=selectors.SORT_CHOICES, required=False)


class ScoreboardAPIView(APIView):
    """A partnership's KPI statuses and totals, with the history of daily snapshots and the
    signed-off ones. For its insiders and EC officers."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ScoreboardSerializer})
    def get(self, request, partnership_id):
        partnership = get_object_or_404(
            with_insider(Partnership.objects.visible_to(request.user), request.user),
            pk=partnership_id,
        )
        if not getattr(partnership, INSIDER):
            raise Http404
        board = selectors.scoreboard(partnership, user=request.user)
        return Response(ScoreboardSerializer(board, context={"partnership": partnership}).data)


class StatisticsAPIView(APIView):
    """Programme-wide figures for EC officers (filters: programme code, generation)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("programme", str), OpenApiParameter("generation", int)],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        if not rules.sees_programme_statistics(request.user):
            raise PermissionDenied
        query = StatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        figures = selectors.programme_statistics(
            selectors.filtered_partnerships(
                user=request.user,
                programme=query.validated_data.get("programme") or None,
                generation=query.validated_data.get("generation"),
            )
        )
        return Response(figures)


class CoreIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    definition = serializers.CharField()
    aggregation = serializers.CharField(help_text="flow: added up over periods; stock: latest.")
    active = serializers.BooleanField(help_text="Open for new links from KPIs.")


class RollupQuerySerializer(StatisticsQuerySerializer):
    by = serializers.ChoiceField(choices=list(selectors.DIMENSIONS), required=False)


def _number(value):
    return None if value is None else f"{value:.2f}"


class CoreIndicatorAPIView(APIView):
    """The programme's core indicators (the figures every partnership's KPIs can count
    towards), with their roll-up across the partnerships for EC officers: ``?rollup=1`` adds
    the totals and the split given by ``by`` (programme, generation, partner_country,
    target_country, year), filtered by programme and generation."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("rollup", bool),
            OpenApiParameter("by", str, enum=list(selectors.DIMENSIONS)),
            OpenApiParameter("programme", str),
            OpenApiParameter("generation", int),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        from strategy.models import CoreIndicator

        indicators = CoreIndicatorSerializer(CoreIndicator.objects.all(), many=True).data
        if request.query_params.get("rollup") not in ("1", "true"):
            return Response({"indicators": indicators})
        if not rules.sees_programme_statistics(request.user):
            raise PermissionDenied
        query = RollupQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        rollup = selectors.core_indicator_rollup(
            selectors.filtered_partnerships(
                user=request.user,
                programme=data.get("programme") or None,
                generation=data.get("generation"),
            ),
            dimension=data.get("by") or "programme",
        )
        return Response(
            {
                "indicators": indicators,
                "partnerships": rollup.partnerships,
                "by": rollup.dimension,
                "totals": [
                    {
                        "indicator": t.indicator.code,
                        "value": _number(t.value),
                        "target": _number(t.target),
                        "reached_percent": t.share,
                        "partnerships": t.partnerships,
                        "kpis": t.kpis,
                    }
                    for t in rollup.totals
                ],
                "split": [
                    {
                        "indicator": total.indicator.code,
                        "values": {
                            str(column): _number(value)
                            for column, value in zip(rollup.columns, cells, strict=True)
                            if value is not None
                        },
                    }
                    for total, cells in rollup.rows
                ],
            }
        )


class OversightAPIView(APIView):
    """Per published partnership, whether it works with its strategy (strategy adopted, live
    KPIs, reports on time / late / missing, last activity, open reviews), the silent ones first,
    then by risk. For EC officers (filters: programme code, generation, phase, silent; sort)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("programme", str),
            OpenApiParameter("generation", int),
            OpenApiParameter("phase", str, enum=Partnership.Phase.values),
            OpenApiParameter("silent", bool),
            OpenApiParameter("sort", str, enum=selectors.SORT_CHOICES),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        if not rules.sees_programme_statistics(request.user):
            raise PermissionDenied
        query = OversightQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        rows = selectors.oversight_for(
            user=request.user,
            programme=data.get("programme") or None,
            generation=data.get("generation"),
            phase=data.get("phase") or None,
            silent=data["silent"],
            sort=data.get("sort") or "risk",
        )
        return Response({"count": len(rows), "results": [selectors.row_data(r) for r in rows]})
