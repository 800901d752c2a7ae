"""The evaluation in the API: a partnership's scoreboard, the programme statistics, the core
indicators' roll-up and the oversight of the partnerships, read through the same selectors as
the pages."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
)
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


STATUS_HELP = (
    "`on_track`, `at_risk`, `off_track`, `no_data` or `achieved`: recomputed from the approved "
    "measurements, never typed in."
)


class KPIStatusSerializer(serializers.Serializer):
    kpi = serializers.IntegerField(source="kpi_id", help_text="Id of the KPI (see /kpis/).")
    name = serializers.CharField(source="kpi.name", help_text="The KPI's name.")
    unit = serializers.CharField(source="kpi.unit", help_text="Unit of the values (free text).")
    status = serializers.ChoiceField(choices=Status.choices, help_text=STATUS_HELP)
    current_value = serializers.SerializerMethodField(
        help_text="Value reached so far, from the approved measurements (a decimal as a "
        "string); null without data."
    )
    target_value = serializers.SerializerMethodField(
        help_text="The KPI's target (a decimal as a string), null if none is set."
    )
    progress = serializers.SerializerMethodField(
        help_text="Progress from baseline towards target, in percent (a decimal as a string)."
    )
    expected = serializers.SerializerMethodField(
        help_text="Progress expected today, in percent, on a straight line from the baseline "
        "date to the target date."
    )
    last_reported = serializers.DateField(
        allow_null=True,
        help_text="End of the last period with an approved value; null if none.",
    )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_current_value(self, status):
        return _text(status.current_value)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_target_value(self, status):
        return _text(status.kpi.target_value)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_progress(self, status):
        return _text(status.progress)

    @extend_schema_field(serializers.CharField())
    def get_expected(self, status):
        return str(status.expected)


# --- the shapes of the answers below, for the schema ---


def _counts(help_text):
    return serializers.DictField(child=serializers.IntegerField(), help_text=help_text)


class ScoreboardTotalsSerializer(serializers.Serializer):
    members = serializers.IntegerField(help_text="Members of the current partner clusters.")
    smes = serializers.IntegerField(help_text="SMEs among those members.")
    members_in_missions = serializers.IntegerField(
        help_text="Members confirmed for or attending at least one mission."
    )
    smes_in_missions = serializers.IntegerField(help_text="SMEs among those members.")
    missions_held = serializers.IntegerField(help_text="Missions with the status `done`.")
    missions_by_country = _counts("Missions not cancelled, per ISO 3166 country code.")
    outcomes_by_kind = _counts("Outcomes per kind (`mou`, `contract`, …).")
    outcomes_by_country = _counts("Outcomes per counterpart's ISO 3166 country code.")
    outcomes_value = serializers.CharField(
        help_text="Summed value of the outcomes in EUR, to the cent (a decimal as a string)."
    )


class SnapshotStatusesSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="Day of the daily snapshot.")
    statuses = _counts("Number of KPIs per status on that day.")


class SignedOffSnapshotSerializer(serializers.Serializer):
    period_end = serializers.DateField(help_text="End of the reporting period signed off.")
    signed_off_at = serializers.DateTimeField(help_text="When the coordinator signed it off.")
    statuses = _counts("Number of KPIs per status in the signed-off snapshot (frozen).")


class ScoreboardResponseSerializer(serializers.Serializer):
    partnership = serializers.IntegerField(help_text="Id of the partnership.")
    kpis = KPIStatusSerializer(many=True, help_text="One row per live KPI.")
    totals = ScoreboardTotalsSerializer()
    history = SnapshotStatusesSerializer(
        many=True, help_text="The last daily snapshots, oldest first."
    )
    signed_off = SignedOffSnapshotSerializer(
        many=True, help_text="The signed-off snapshots, newest period first."
    )


class LeagueRowSerializer(serializers.Serializer):
    partnership = serializers.IntegerField(help_text="Id of the partnership.")
    acronym = serializers.CharField()
    kpis = serializers.IntegerField(help_text="KPIs with a status.")
    achieved = serializers.IntegerField(help_text="KPIs achieved.")
    on_track = serializers.IntegerField(help_text="KPIs on track.")
    share = serializers.IntegerField(help_text="Achieved or on track, in percent of `kpis`.")


class StatisticsResponseSerializer(serializers.Serializer):
    partnerships = serializers.IntegerField(help_text="Published partnerships counted.")
    partner_places = serializers.IntegerField(
        help_text="Partner places (a cluster in two partnerships counts twice)."
    )
    clusters = serializers.IntegerField(help_text="Distinct partner clusters.")
    countries = serializers.IntegerField(help_text="Countries of the partner clusters.")
    clusters_per_partnership = serializers.FloatField(
        allow_null=True, help_text="Average partner places per partnership (one decimal)."
    )
    clusters_by_country = _counts("Distinct partner clusters per ISO 3166 country code.")
    members_reached = serializers.IntegerField(help_text="Members of the partner clusters.")
    smes_reached = serializers.IntegerField(help_text="SMEs among them.")
    smes_declared = serializers.IntegerField(
        help_text="SMEs the partnerships declare (their own count, not the portal's)."
    )
    partnerships_declaring_smes = serializers.IntegerField(
        help_text="Partnerships that declared an SME count."
    )
    target_countries = _counts("Partnerships targeting each third country (ISO 3166 code).")
    distinct_target_countries = serializers.IntegerField(help_text="Third countries targeted.")
    partnerships_naming_targets = serializers.IntegerField(
        help_text="Partnerships with at least one target market."
    )
    average_target_markets = serializers.FloatField(
        allow_null=True, help_text="Target markets per partnership naming any (one decimal)."
    )
    missions_by_country = _counts("Missions not cancelled per ISO 3166 country code.")
    outcomes_by_country = _counts("Outcomes per counterpart's ISO 3166 country code.")
    outcomes_by_kind = _counts("Outcomes per kind.")
    outcomes_value = serializers.CharField(
        help_text="Summed value of the outcomes in EUR, to the cent (a decimal as a string)."
    )
    league = LeagueRowSerializer(
        many=True, help_text="Partnerships with KPIs, the largest share achieved or on track first."
    )


class CoreIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    definition = serializers.CharField()
    aggregation = serializers.CharField(help_text="flow: added up over periods; stock: latest.")
    active = serializers.BooleanField(help_text="Open for new links from KPIs.")


class IndicatorTotalSerializer(serializers.Serializer):
    indicator = serializers.CharField(help_text="Code of the core indicator.")
    value = serializers.CharField(
        allow_null=True, help_text="Summed value reached (a decimal as a string)."
    )
    target = serializers.CharField(
        allow_null=True, help_text="Summed targets (a decimal as a string)."
    )
    reached_percent = serializers.IntegerField(
        allow_null=True, help_text="`value` in percent of `target`."
    )
    partnerships = serializers.IntegerField(help_text="Partnerships contributing.")
    kpis = serializers.IntegerField(help_text="KPIs linked to the indicator.")


class IndicatorSplitSerializer(serializers.Serializer):
    indicator = serializers.CharField(help_text="Code of the core indicator.")
    values = serializers.DictField(
        child=serializers.CharField(),
        help_text="Value per column of the split (`by`), as decimal strings.",
    )


class CoreIndicatorsResponseSerializer(serializers.Serializer):
    indicators = CoreIndicatorSerializer(many=True)
    partnerships = serializers.IntegerField(
        required=False, help_text="With `rollup`: partnerships counted."
    )
    by = serializers.CharField(required=False, help_text="With `rollup`: the split's dimension.")
    totals = IndicatorTotalSerializer(
        many=True, required=False, help_text="With `rollup`: one row per core indicator."
    )
    split = IndicatorSplitSerializer(
        many=True, required=False, help_text="With `rollup`: the values per column of `by`."
    )


class OversightRowSerializer(serializers.Serializer):
    partnership = serializers.IntegerField(help_text="Id of the partnership.")
    acronym = serializers.CharField()
    programme = serializers.CharField(help_text="Code of the programme.")
    generation = serializers.IntegerField()
    phase = serializers.CharField(help_text="preparatory, implementation, investment or voluntary.")
    end_date = serializers.DateField(allow_null=True)
    activity = serializers.CharField(
        help_text="`active`, `quiet` (no recent activity), `ended` or `draft`."
    )
    strategy_adopted = serializers.BooleanField(help_text="An adopted strategy is live.")
    live_kpis = serializers.IntegerField(help_text="KPIs of the live strategy.")
    off_track = serializers.IntegerField(help_text="KPIs off track.")
    at_risk = serializers.IntegerField(help_text="KPIs at risk.")
    reports_expected = serializers.IntegerField(help_text="Reports due so far.")
    reports_on_time = serializers.IntegerField()
    reports_late = serializers.IntegerField()
    reports_missing = serializers.IntegerField()
    on_time_rate = serializers.IntegerField(
        allow_null=True, help_text="Reports on time, in percent of those due."
    )
    last_activity = serializers.DateTimeField(
        allow_null=True, help_text="When something was last recorded for the partnership."
    )
    open_reviews = serializers.IntegerField(help_text="EC officers' flags not yet answered.")
    oldest_open_review_days = serializers.IntegerField(
        allow_null=True, help_text="Age in days of the oldest open flag."
    )
    silent = serializers.BooleanField(help_text="The partnership looks inactive.")
    silent_reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Why it is counted as silent."
    )


class OversightResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Number of rows.")
    results = OversightRowSerializer(many=True)


class ScoreboardSerializer(serializers.Serializer):
    """A partnership's KPI statuses and totals, the statuses per day of the daily snapshots,
    and the signed-off ones (newest first)."""

    def to_representation(self, board):
        return {
            "partnership": self.context["partnership"].pk,
            "kpis": KPIStatusSerializer(board.statuses, many=True).data,
            "totals": board.totals,
            "history": [
                {"date": snap.date, "statuses": snap.data.get("statuses", {})}
                for snap in board.history
            ],
            "signed_off": [
                {
                    "period_end": snap.period_end,
                    "signed_off_at": snap.signed_off_at,
                    "statuses": snap.data.get("statuses", {}),
                }
                for snap in sorted(board.signed, key=lambda snap: snap.date, reverse=True)
            ],
        }


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


SCOREBOARD_EXAMPLE = OpenApiExample(
    "A scoreboard",
    response_only=True,
    value={
        "partnership": 12,
        "kpis": [
            {
                "kpi": 41,
                "name": "SMEs taking part in missions",
                "unit": "SMEs",
                "status": "on_track",
                "current_value": "38.00",
                "target_value": "60.00",
                "progress": "63.33",
                "expected": "55.00",
                "last_reported": "2026-06-30",
            }
        ],
        "totals": {
            "members": 412,
            "smes": 371,
            "members_in_missions": 52,
            "smes_in_missions": 38,
            "missions_held": 4,
            "missions_by_country": {"JP": 2, "CA": 3},
            "outcomes_by_kind": {"mou": 3, "contract": 1},
            "outcomes_by_country": {"JP": 3, "CA": 1},
            "outcomes_value": "250000.00",
        },
        "history": [{"date": "2026-12-05", "statuses": {"on_track": 5, "at_risk": 1}}],
        "signed_off": [
            {
                "period_end": "2026-06-30",
                "signed_off_at": "2026-07-15T09:12:00Z",
                "statuses": {"on_track": 4, "at_risk": 2},
            }
        ],
    },
)


class ScoreboardAPIView(APIView):
    """A partnership's KPI statuses and totals, with the history of daily snapshots and the
    signed-off ones. For its insiders and EC officers."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Read a partnership's scoreboard",
        responses={200: ScoreboardResponseSerializer},
        examples=[SCOREBOARD_EXAMPLE],
    )
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
        summary="Read the programme statistics",
        parameters=[OpenApiParameter("programme", str), OpenApiParameter("generation", int)],
        responses={200: StatisticsResponseSerializer},
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
        summary="List the core indicators, with their roll-up",
        responses={200: CoreIndicatorsResponseSerializer},
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
        summary="List the partnerships under oversight",
        responses={200: OversightResponseSerializer},
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
