from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from escp_portal.accounts.policy import INSIDER, scope_for, with_insider
from partnerships.models import Partnership

from . import statistics
from .views import scoreboard


class ScoreboardAPIView(APIView):
    """A partnership's KPI statuses and totals, with the history of daily snapshots and the
    signed-off ones. For its insiders and EC officers."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, partnership_id):
        partnership = get_object_or_404(
            with_insider(Partnership.objects.visible_to(request.user), request.user),
            pk=partnership_id,
        )
        if not getattr(partnership, INSIDER):
            from django.http import Http404

            raise Http404
        statuses, history, totals, signed = scoreboard(partnership)
        return Response(
            {
                "partnership": partnership.pk,
                "kpis": [
                    {
                        "kpi": s.kpi_id,
                        "name": s.kpi.name,
                        "unit": s.kpi.unit,
                        "status": s.status,
                        "current_value": None if s.current_value is None else str(s.current_value),
                        "target_value": None
                        if s.kpi.target_value is None
                        else str(s.kpi.target_value),
                        "progress": None if s.progress is None else str(s.progress),
                        "expected": str(s.expected),
                        "last_reported": s.last_reported,
                    }
                    for s in statuses
                ],
                "totals": totals,
                "history": [
                    {"date": snap.date, "statuses": snap.data.get("statuses", {})}
                    for snap in history
                ],
                "signed_off": [
                    {
                        "period_end": snap.period_end,
                        "signed_off_at": snap.signed_off_at,
                        "statuses": snap.data.get("statuses", {}),
                    }
                    for snap in sorted(signed, key=lambda snap: snap.date, reverse=True)
                ],
            }
        )


class StatisticsAPIView(APIView):
    """Programme-wide figures for EC officers (filters: programme code, generation)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("programme", str), OpenApiParameter("generation", int)],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        if not scope_for(request.user).reads_everything:
            raise PermissionDenied
        raw = request.query_params.get("generation") or ""
        try:
            generation = int(raw) if raw else None
        except ValueError:
            generation = -1
        if generation is not None and generation < 1:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"generation": ["A whole number from 1."]})
        figures = statistics.programme_statistics(
            statistics.filtered_partnerships(
                request.query_params.get("programme") or None,
                int(generation) if generation else None,
            )
        )
        return Response(figures)
