"""Scoreboards of partnerships, programme statistics, reviews and assessments."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from escp_portal.maps import country_map
from escp_portal.pages import InsiderMixin, ObjectMixin
from partnerships.models import Partnership, Programme
from strategy.models import KPI

from . import exports, forms, labels, rules, selectors, services
from .filters import OversightFilterForm, StatisticsFilterForm
from .models import Status
from .scoring import RULE

SYMBOLS = {
    Status.ACHIEVED: "✔",
    Status.ON_TRACK: "▲",
    Status.AT_RISK: "!",
    Status.OFF_TRACK: "✖",
    Status.NO_DATA: "?",
}


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
        user = self.request.user
        board = selectors.scoreboard(self.partnership, user=user)
        statuses, history, signed = board.statuses, board.history, board.signed
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
            "labels": [date_format(snap.date, "SHORT_DATE_FORMAT") for snap in history],
            "datasets": [
                {
                    "label": str(label),
                    "data": [snap.data.get("statuses", {}).get(code, 0) for snap in history],
                }
                for code, label in Status.choices
            ],
        }
        latest_signed = signed[0] if signed else None
        completeness = selectors.reporting_completeness(self.partnership)
        ended = sorted({row["period"] for row in completeness}, reverse=True)
        return super().get_context_data(
            statuses=statuses,
            computed_now=board.computed_now,
            totals=board.totals,
            outcome_kinds=labels.outcome_kinds(board.totals.get("outcomes_by_kind")),
            outcome_countries=labels.countries(board.totals.get("outcomes_by_country")),
            history=history,
            rule=RULE,
            trend_json=trend,
            status_counts=_count(statuses),
            signed=signed,
            differences=selectors.differences(latest_signed, statuses) if latest_signed else [],
            completeness=completeness,
            sign_off_periods=ended,
            assessments=selectors.assessments(self.partnership, user=user),
            reviews=selectors.reviews(self.partnership, user=user),
            **kwargs,
        )

    def post(self, request, pk):
        self.require_coordinator()
        act = self.ACTIONS.get(request.POST.get("action"))
        if act is None:
            raise Http404
        try:
            act(self, request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("evaluation:scoreboard", pk=pk)

    def sign_off(self, request):
        form = forms.SignOffForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter a valid date."))
            return
        period = form.cleaned_data["period_end"]
        services.sign_off(actor=request.user, partnership=self.partnership, period_end=period)
        messages.success(
            request,
            _("The scoreboard is signed off for the period ending %(d)s.")
            % {"d": date_format(period, "DATE_FORMAT")},
        )

    def record_assessment(self, request):
        form = forms.AssessmentForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter a valid date."))
            return
        services.assessment_save(
            actor=request.user, partnership=self.partnership, **form.cleaned_data
        )
        messages.success(request, _("The assessment was recorded."))

    def answer_review(self, request):
        form = forms.ReviewAnswerForm(request.POST)
        review = get_object_or_404(
            selectors.reviews(self.partnership, user=request.user),
            pk=form.cleaned_data["review"] if form.is_valid() else 0,
        )
        services.review_answer(
            actor=request.user, review=review, response=form.cleaned_data["response"]
        )
        messages.success(request, _("Your answer was recorded."))

    def recompute(self, request):
        services.scoreboard_recompute(actor=request.user, partnership=self.partnership)
        messages.success(request, _("The scoreboard was recomputed."))

    ACTIONS = {
        "sign_off": sign_off,
        "assessment": record_assessment,
        "answer": answer_review,
        "recompute": recompute,
    }


def _count(statuses):
    counts = {code: 0 for code, _label in Status.choices}
    for s in statuses:
        counts[s.status] += 1
    return [(code, label, counts[code], SYMBOLS[code]) for code, label in Status.choices]


class ScoreboardExportView(InsiderMixin, View):
    def get(self, request, pk, fmt):
        board = selectors.scoreboard(self.partnership, user=request.user)
        if fmt == "pdf":
            body = exports.scoreboard_pdf(self.partnership, board.statuses, board.totals)
            content_type = "application/pdf"
        else:
            body = exports.scoreboard_xlsx(self.partnership, board.statuses, board.totals)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="scoreboard-{self.partnership.acronym}.{fmt}"'
        )
        return response


class TargetTableView(InsiderMixin, TemplateView):
    """Per live KPI and reporting period: the target (from the milestones, else on a straight
    line), the actual in the period and to date, and the % of the target reached."""

    template_name = "evaluation/targets.html"

    def get_context_data(self, **kwargs):
        table = labels.shown_targets(selectors.target_table(self.partnership.pk))
        return super().get_context_data(table=table, **kwargs)


class TargetTableExportView(InsiderMixin, View):
    def get(self, request, pk):
        body = exports.targets_xlsx(self.partnership, selectors.target_table(self.partnership.pk))
        response = HttpResponse(
            body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="targets-{self.partnership.acronym}.xlsx"'
        )
        return response


class StatisticsReaderMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not rules.sees_programme_statistics(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class StatisticsView(StatisticsReaderMixin, TemplateView):
    """Programme figures for EC officers, by programme and generation."""

    template_name = "evaluation/statistics.html"

    def get_context_data(self, **kwargs):
        filters = StatisticsFilterForm(self.request.GET).filters()
        figures = selectors.programme_statistics(
            selectors.filtered_partnerships(user=self.request.user, **filters)
        )
        charts = {
            "targets": {
                "labels": [labels.country_name(c) for c in figures["target_countries"]][:15],
                "datasets": [
                    {
                        "label": _("Partnerships targeting the country"),
                        "data": list(figures["target_countries"].values())[:15],
                    }
                ],
            },
            "clusters": {
                "labels": [labels.country_name(c) for c in figures["clusters_by_country"]][:15],
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
            # Codes as the API gives them; the page shows country names.
            countries={
                key: labels.countries(figures[key])
                for key in (
                    "target_countries",
                    "clusters_by_country",
                    "missions_by_country",
                    "outcomes_by_country",
                )
            },
            maps=_statistics_maps(figures),
            programmes=Programme.objects.all(),
            **filters,
            charts_json=charts,
            **kwargs,
        )


class OversightView(StatisticsReaderMixin, TemplateView):
    """Per published partnership, whether it works with its strategy: the silent ones first,
    then those at risk; filtered, sorted and exported (``?sort=``)."""

    template_name = "evaluation/oversight.html"

    def get_context_data(self, **kwargs):
        form = OversightFilterForm(self.request.GET)
        filters = form.filters()
        rows = selectors.oversight_for(user=self.request.user, **filters)
        # A page of rows at a time (the export and the API give them all).
        page = Paginator(rows, OVERSIGHT_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            rows=page.object_list,
            page_obj=page,
            total=len(rows),
            silent_count=sum(1 for row in rows if row.silent),
            programmes=Programme.objects.all(),
            phases=Partnership.Phase.choices,
            columns=_sortable_columns(self.request.GET, filters["sort"]),
            export_query=self.request.GET.urlencode(),
            **filters,
            **kwargs,
        )


OVERSIGHT_PAGE = 50

OVERSIGHT_COLUMNS = [
    ("acronym", gettext_lazy("Partnership")),
    ("phase", gettext_lazy("Phase")),
    ("end_date", gettext_lazy("End date")),
    (None, gettext_lazy("Strategy adopted")),
    ("kpis", gettext_lazy("Live KPIs")),
    ("on_time", gettext_lazy("Reports on time")),
    ("missing", gettext_lazy("Missing")),
    ("last_activity", gettext_lazy("Last activity")),
    ("open_reviews", gettext_lazy("Open reviews")),
    ("oldest_review", gettext_lazy("Oldest open review")),
]


def _sortable_columns(params, sort: str) -> list[dict]:
    """The oversight's column headers: a link that sorts by the column (again: the other way)
    and the current order for ``aria-sort``."""
    columns = []
    for key, label in OVERSIGHT_COLUMNS:
        column = {"key": key, "label": label, "url": None, "aria_sort": None}
        if key:
            query = params.copy()
            query.pop("page", None)  # a new order starts on its first page
            query["sort"] = f"-{key}" if sort == key else key
            column["url"] = "?" + query.urlencode()
            if sort.lstrip("-") == key:
                column["aria_sort"] = "descending" if sort.startswith("-") else "ascending"
        columns.append(column)
    return columns


class OversightExportView(StatisticsReaderMixin, View):
    def get(self, request, fmt):
        rows = selectors.oversight_for(
            user=request.user, **OversightFilterForm(request.GET).filters()
        )
        if fmt == "csv":
            body, content_type = exports.oversight_csv(rows), "text/csv; charset=utf-8"
        else:
            body = exports.oversight_xlsx(rows)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="oversight.{fmt}"'
        return response


def _statistics_maps(figures) -> dict:
    """The statistics' figures by country on maps: clusters on Europe, the rest on the world."""
    return {
        "clusters": country_map(
            "europe",
            [(_("Clusters"), figures["clusters_by_country"])],
            key="map-clusters",
            title=_("Partner clusters per country"),
            caption=_("Cluster organisations per country"),
        ),
        "targets": country_map(
            "world",
            [(_("Partnerships"), figures["target_countries"])],
            key="map-targets",
            title=_("Partnerships per target country"),
            caption=_("Partnerships targeting each country"),
        ),
        "missions": country_map(
            "world",
            [(_("Missions"), figures["missions_by_country"])],
            key="map-missions",
            title=_("Missions per country"),
        ),
        "outcomes": country_map(
            "world",
            [(_("Outcomes"), figures["outcomes_by_country"])],
            key="map-outcomes",
            title=_("Outcomes per country (of the counterpart)"),
            caption=_("Outcomes per country"),
        ),
    }


class ReviewCreateView(ObjectMixin, View):
    """An EC officer flags a KPI (from the KPI page, with the ambition check beside it)."""

    model = KPI
    related = ("objective__strategy__partnership",)

    def partnership_of(self, obj):
        return obj.objective.strategy.partnership

    def post(self, request, pk):
        form = forms.ReviewForm(request.POST)
        form.is_valid()  # two optional texts: always valid; the service checks them
        try:
            services.review_open(
                actor=request.user,
                partnership=self.partnership,
                kpi=self.object,
                **form.cleaned_data,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your review was sent to the coordinators."))
        return redirect(self.object)


class CoreIndicatorRollupView(StatisticsReaderMixin, TemplateView):
    """The core indicators added up across partnerships, split by programme, generation,
    partner country, target country or year; as XLSX with every split."""

    template_name = "evaluation/core_indicators.html"

    def get(self, request, *args, **kwargs):
        if kwargs.get("fmt") == "xlsx":
            partnerships = self.partnerships()
            rollups = selectors.core_indicator_rollups(partnerships, list(selectors.DIMENSIONS))
            response = HttpResponse(
                exports.rollup_xlsx(rollups, title=_("Core indicators of the programme")),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = 'attachment; filename="core-indicators.xlsx"'
            return response
        return super().get(request, *args, **kwargs)

    def partnerships(self):
        self.filters = StatisticsFilterForm(self.request.GET).filters()
        return selectors.filtered_partnerships(user=self.request.user, **self.filters)

    def get_context_data(self, **kwargs):
        by = self.request.GET.get("by")
        rollup = selectors.core_indicator_rollup(
            self.partnerships(), dimension=by if by in selectors.DIMENSIONS else "programme"
        )
        return super().get_context_data(
            rollup=rollup,
            dimensions=selectors.DIMENSIONS.items(),
            programmes=Programme.objects.all(),
            query=self.request.GET.urlencode(),
            **self.filters,
            **kwargs,
        )
