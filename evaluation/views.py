"""Scoreboards of partnerships, programme statistics, reviews and assessments."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, ExpressionWrapper, F, Q, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from escp_portal.accounts.policy import scope_for
from escp_portal.pages import InsiderMixin, ObjectMixin
from partnerships.models import Programme
from strategy import selectors as strategy_selectors
from strategy.models import KPI
from strategy.selectors import live_strategy_id, live_strategy_subquery

from . import exports, services, statistics
from .models import Assessment, KPIStatus, Review, ScoreboardSnapshot, Status
from .scoring import RULE

SYMBOLS = {
    Status.ACHIEVED: "✔",
    Status.ON_TRACK: "▲",
    Status.AT_RISK: "!",
    Status.OFF_TRACK: "✖",
    Status.NO_DATA: "?",
}


HISTORY_DAYS = 60


def snapshots(partnership):
    """The last daily snapshots (oldest first) and the signed-off ones (newest period first),
    in one query: each daily snapshot is ranked among the daily ones only."""
    daily = ExpressionWrapper(Q(signed_off_at__isnull=True), output_field=BooleanField())
    rows = (
        ScoreboardSnapshot.objects.filter(partnership=partnership)
        .annotate(rank=Window(RowNumber(), partition_by=[daily], order_by=F("date").desc()))
        .filter(Q(signed_off_at__isnull=False) | Q(rank__lte=HISTORY_DAYS))
        .select_related("signed_off_by")
    )
    rows = list(rows)
    history = sorted((s for s in rows if s.signed_off_at is None), key=lambda s: s.date)
    signed = sorted(
        (s for s in rows if s.signed_off_at is not None), key=lambda s: s.period_end, reverse=True
    )
    return history, signed


def scoreboard(partnership):
    """Statuses (computed now if never computed), history, the latest totals and the
    signed-off snapshots."""

    def statuses():
        return list(
            KPIStatus.objects.filter(partnership=partnership)
            .select_related("kpi__objective")
            .order_by("kpi__objective__order", "kpi__objective__code", "kpi")
        )

    rows = statuses()
    history, signed = snapshots(partnership)
    if not rows and not history and not signed and live_strategy_id(partnership.pk):
        services.recompute_scoreboard(partnership.pk)
        rows = statuses()
        history, signed = snapshots(partnership)
    latest = history[-1].data if history else {}
    return rows, history, latest.get("totals") or services.totals(partnership.pk), signed


def _sparkline(points):
    """An SVG polyline of a KPI's values over the snapshots (decorative: numbers are in the
    table)."""
    values = [p for p in points if p is not None]
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1
    step = 100 / (len(points) - 1)
    coords = " ".join(
        f"{i * step:.1f},{28 - 26 * (v - low) / span:.1f}"
        for i, v in enumerate(points)
        if v is not None
    )
    return (
        f'<svg class="sparkline" viewBox="0 0 100 30" width="100" height="30" '
        f'aria-hidden="true" focusable="false"><polyline fill="none" stroke="currentColor" '
        f'stroke-width="2" points="{coords}"/></svg>'
    )


class ScoreboardView(InsiderMixin, TemplateView):
    template_name = "evaluation/scoreboard.html"

    def get_context_data(self, **kwargs):
        statuses, history, totals, signed = scoreboard(self.partnership)
        series = {s.kpi_id: [] for s in statuses}
        for snapshot in history:
            by_kpi = {row["kpi"]: row for row in snapshot.data.get("kpis", [])}
            for kpi_id, points in series.items():
                value = by_kpi.get(kpi_id, {}).get("value")
                points.append(float(value) if value is not None else None)
        for s in statuses:
            s.symbol = SYMBOLS[s.status]
            s.sparkline = _sparkline(series.get(s.kpi_id, []))
        trend = {
            "labels": [snap.date.isoformat() for snap in history],
            "datasets": [
                {
                    "label": str(label),
                    "data": [snap.data.get("statuses", {}).get(code, 0) for snap in history],
                }
                for code, label in Status.choices
            ],
        }
        latest_signed = signed[0] if signed else None
        # The live strategy's KPIs, with the strategy found in the same query.
        completeness = strategy_selectors.reporting_completeness(
            live_strategy_subquery(self.partnership.pk)
        )[:4]
        ended = sorted({row["period"] for row in completeness}, reverse=True)
        return super().get_context_data(
            statuses=statuses,
            totals=totals,
            history=history,
            rule=RULE,
            trend_json=trend,
            status_counts=_count(statuses),
            signed=signed,
            differences=services.differences(latest_signed, statuses) if latest_signed else [],
            completeness=completeness,
            sign_off_periods=ended,
            assessments=Assessment.objects.filter(partnership=self.partnership),
            reviews=Review.objects.filter(partnership=self.partnership).select_related(
                "kpi", "objective", "created_by"
            ),
            **kwargs,
        )

    def post(self, request, pk):
        self.require_coordinator()
        action = request.POST.get("action")
        try:
            if action == "sign_off":
                period = date.fromisoformat(request.POST.get("period_end", ""))
                services.sign_off(
                    actor=request.user, partnership=self.partnership, period_end=period
                )
                messages.success(
                    request,
                    _("The scoreboard is signed off for the period ending %(d)s.")
                    % {"d": period.isoformat()},
                )
            elif action == "assessment":
                services.assessment_save(
                    actor=request.user,
                    partnership=self.partnership,
                    kind=request.POST.get("kind", "other"),
                    date=date.fromisoformat(request.POST.get("date", "")),
                    title=request.POST.get("title", ""),
                    findings=request.POST.get("findings", ""),
                    adjustments=request.POST.get("adjustments", ""),
                )
                messages.success(request, _("The assessment was recorded."))
            elif action == "answer":
                review_id = request.POST.get("review", "")
                review = get_object_or_404(
                    Review,
                    pk=int(review_id) if review_id.isdecimal() else 0,
                    partnership=self.partnership,
                )
                services.review_answer(
                    actor=request.user, review=review, response=request.POST.get("response", "")
                )
                messages.success(request, _("Your answer was recorded."))
            elif action == "recompute":
                services.recompute_scoreboard(self.partnership.pk)
                messages.success(request, _("The scoreboard was recomputed."))
            else:
                raise Http404
        except ValueError:
            messages.error(request, _("Enter a valid date."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("evaluation:scoreboard", pk=pk)


def _count(statuses):
    counts = {code: 0 for code, _label in Status.choices}
    for s in statuses:
        counts[s.status] += 1
    return [(code, label, counts[code], SYMBOLS[code]) for code, label in Status.choices]


class ScoreboardExportView(InsiderMixin, View):
    def get(self, request, pk, fmt):
        statuses, _history, totals, _signed = scoreboard(self.partnership)
        if fmt == "pdf":
            body = exports.scoreboard_pdf(self.partnership, statuses, totals)
            content_type = "application/pdf"
        else:
            body = exports.scoreboard_xlsx(self.partnership, statuses, totals)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="scoreboard-{self.partnership.acronym}.{fmt}"'
        )
        return response


class OfficerRequiredMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not scope_for(request.user).reads_everything:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class StatisticsView(OfficerRequiredMixin, TemplateView):
    """Programme figures for EC officers, by programme and generation."""

    template_name = "evaluation/statistics.html"

    def get_context_data(self, **kwargs):
        programme = self.request.GET.get("programme") or None
        try:
            generation = int(self.request.GET.get("generation") or 0) or None
        except ValueError:
            generation = None
        figures = statistics.programme_statistics(
            statistics.filtered_partnerships(programme, generation)
        )
        charts = {
            "targets": {
                "labels": list(figures["target_countries"])[:15],
                "datasets": [
                    {
                        "label": _("Partnerships targeting the country"),
                        "data": list(figures["target_countries"].values())[:15],
                    }
                ],
            },
            "clusters": {
                "labels": list(figures["clusters_by_country"])[:15],
                "datasets": [
                    {
                        "label": _("Partner clusters"),
                        "data": list(figures["clusters_by_country"].values())[:15],
                    }
                ],
            },
        }
        return super().get_context_data(
            figures=figures,
            programmes=Programme.objects.all(),
            programme=programme,
            generation=generation,
            charts_json=charts,
            **kwargs,
        )


class ReviewCreateView(ObjectMixin, View):
    """An EC officer flags a KPI (from the KPI page, with the ambition check beside it)."""

    model = KPI
    related = ("objective__strategy__partnership",)

    def partnership_of(self, obj):
        return obj.objective.strategy.partnership

    def post(self, request, pk):
        try:
            services.review_open(
                actor=request.user,
                partnership=self.partnership,
                kpi=self.object,
                flag=request.POST.get("flag", ""),
                comment=request.POST.get("comment", ""),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your review was sent to the coordinators."))
        return redirect(self.object)
