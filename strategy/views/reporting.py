"""Pages of KPIs and their reporting: a KPI's periods and reports, the review of values, the
reporting table with its locks, the indicator table and evidence downloads."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from escp_portal.accounts.policy import can_edit
from escp_portal.forms import add_validation_error
from escp_portal.pages import ConflictCheckMixin, InsiderMixin, ObjectMixin

from .. import exports, rules, selectors, services
from ..forms import KPIForm, MilestoneForm, ReportForm
from ..models import KPI, Breakdown, Measurement, Objective, Strategy
from .common import FormPage, form_fields


class KPICreateView(ObjectMixin, FormPage):
    coordinators_only = True
    model = Objective
    related = ("strategy__partnership",)
    form_class = KPIForm
    title = _("New KPI")

    def get_initial(self):
        return {
            "baseline_date": self.object.start_date or self.partnership.start_date,
            "target_date": self.object.target_date or self.partnership.end_date,
            "responsible": self.object.owner,
        }

    def save(self, form):
        return services.kpi_create(
            actor=self.request.user, objective=self.object, **form_fields(form, services.KPI_FIELDS)
        )


class KPIEditView(ObjectMixin, FormPage):
    coordinators_only = True
    model = KPI
    related = ("objective__strategy__partnership",)
    form_class = KPIForm
    title = _("Edit KPI")
    edits_object = True

    def save(self, form):
        services.kpi_update(
            actor=self.request.user, kpi=self.object, **form_fields(form, services.KPI_FIELDS)
        )
        return self.object


class KPIDetailView(ObjectMixin, TemplateView):
    """A KPI's periods: values, who reported, review, corrections, and where derived values
    come from."""

    model = KPI
    related = ("objective__strategy__partnership", "responsible__cluster", "core_indicator")
    template_name = "strategy/kpi_detail.html"

    def object_queryset(self):
        return super().object_queryset().prefetch_related("milestones")

    def milestone_forms(self, bound=None):
        """``(milestones with their edit forms, the add form)`` for those who may change them
        (``([], None)`` for others); ``bound``: the form sent, shown with its errors."""
        kpi = self.object
        editable = kpi.objective.strategy.status != Strategy.Status.REVISED and can_edit(
            self.request.user, kpi
        )
        if not (editable or bound):
            return [], None
        rows = [
            (m, bound if bound and bound.prefix == f"m{m.pk}" else None)
            for m in kpi.milestones.all()
        ]
        rows = [(m, form or MilestoneForm(instance=m, prefix=f"m{m.pk}")) for m, form in rows]
        add = bound if bound and bound.prefix == "new" else MilestoneForm(prefix="new")
        return rows, add

    def report_form(self, *args, **kwargs):
        """The report form, with a field for each part of the breakdowns the KPI declares."""
        kpi = self.object
        partners = []
        if Breakdown.PARTNER in kpi.breakdowns:
            partners = self.partnership.partners.select_related("cluster").order_by("cluster__name")
        return ReportForm(*args, breakdowns=kpi.breakdowns, partners=partners, **kwargs)

    def get_context_data(self, form=None, milestone_form=None, **kwargs):
        kpi = self.object
        user = self.request.user
        milestone_rows, milestone_add = self.milestone_forms(milestone_form)
        values = selectors.kpi_values([kpi])[kpi.pk]
        reportable = kpi.is_manual and rules.can_report(user, kpi)
        locked = selectors.locked_until(self.partnership.pk)
        open_periods = [p for p in values.periods if locked is None or p > locked]
        # Where the value of any period comes from (``?period=``), the latest by default.
        traced = selectors.trace_period(values.periods, self.request.GET.get("period"))
        source, trace = selectors.derived_trace(kpi, values.periods, user, traced)
        return super().get_context_data(
            kpi=kpi,
            kpi_sections=selectors.kpi_page_sections(kpi, user),
            values=values,
            measurements=selectors.kpi_measurements(kpi),
            form=form or (self.report_form(periods=open_periods) if reportable else None),
            reportable=reportable,
            locked_until=locked,
            source=source,
            trace=trace,
            traced_period=traced,
            breakdowns=[Breakdown(d).label for d in kpi.breakdowns],
            milestone_rows=milestone_rows,
            milestone_add=milestone_add,
            **kwargs,
        )


class MilestoneView(ConflictCheckMixin, KPIDetailView):
    """Add, change or delete a KPI's milestone (no script: one small form per milestone). A
    refusal shows on the KPI's page, on the form that was sent."""

    http_method_names = ["post"]

    def post(self, request, pk):
        kpi = self.object
        if not can_edit(request.user, kpi):
            raise PermissionDenied
        milestone = None
        chosen = request.POST.get("milestone", "")
        if chosen:
            milestone = next((m for m in kpi.milestones.all() if str(m.pk) == chosen), None)
            if milestone is None:
                raise Http404
            milestone.kpi = kpi
        if request.POST.get("action") == "delete" and milestone is not None:
            try:
                services.milestone_delete(actor=request.user, milestone=milestone)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The milestone was deleted."))
            return redirect(kpi)
        instance = type(milestone).objects.get(pk=milestone.pk) if milestone else None
        form = MilestoneForm(
            request.POST, instance=instance, prefix=f"m{milestone.pk}" if milestone else "new"
        )
        if form.is_valid():
            try:
                services.milestone_save(
                    actor=request.user,
                    kpi=kpi,
                    milestone=milestone,
                    date=form.cleaned_data["date"],
                    value=form.cleaned_data["value"],
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("The milestone was saved."))
                return redirect(kpi)
        return self.render_to_response(self.get_context_data(milestone_form=form))


class ReportView(KPIDetailView):
    def post(self, request, pk):
        kpi = self.object
        form = self.report_form(
            request.POST, request.FILES, periods=kpi.periods(timezone.localdate())
        )
        if form.is_valid():
            try:
                services.measurement_report(
                    actor=request.user,
                    kpi=kpi,
                    period_end=date.fromisoformat(form.cleaned_data["period_end"]),
                    value=form.cleaned_data["value"],
                    evidence_url=form.cleaned_data["evidence_url"],
                    evidence_file=form.cleaned_data["evidence_file"],
                    note=form.cleaned_data["note"],
                    reason=form.cleaned_data["reason"],
                    parts=form.parts(),
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("The value was submitted for approval."))
                return redirect(kpi)
        return self.render_to_response(self.get_context_data(form=form))


class ReviewView(ObjectMixin, View):
    model = Measurement
    related = ("kpi__objective__strategy__partnership",)

    def post(self, request, pk):
        self.require_coordinator()
        measurement = self.object
        try:
            if request.POST.get("action") == "approve":
                services.measurement_approve(
                    actor=request.user,
                    measurement=measurement,
                    seen_value=request.POST.get("value"),
                )
                messages.success(request, _("The value was approved."))
            else:
                services.measurement_return(
                    actor=request.user,
                    measurement=measurement,
                    comment=request.POST.get("comment", ""),
                    seen_value=request.POST.get("value"),
                )
                messages.success(request, _("The value was returned for revision."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(measurement.kpi)


class ReportingView(InsiderMixin, TemplateView):
    """Who has reported which period, who is late; coordinators lock periods here."""

    template_name = "strategy/reporting.html"

    def get_context_data(self, **kwargs):
        strategy = selectors.current_strategy(self.partnership)
        table = selectors.reporting_completeness(strategy) if strategy else []
        locks = selectors.period_locks(self.partnership)
        locked = max(locks) if locks else None
        for row in table:
            row["locked"] = locked is not None and row["period"] <= locked
            row["lock_row"] = row["period"] in locks
        return super().get_context_data(
            strategy=strategy, table=table, locked_until=locked, **kwargs
        )

    def post(self, request, pk):
        self.require_coordinator()
        try:
            period_end = date.fromisoformat(request.POST.get("period_end", ""))
        except ValueError:
            messages.error(request, _("Choose a period."))
            return redirect("strategy:reporting", pk=pk)
        try:
            if request.POST.get("action") == "unlock":
                services.period_unlock(
                    actor=request.user, partnership=self.partnership, period_end=period_end
                )
                messages.success(request, _("The period was reopened."))
            else:
                services.period_lock(
                    actor=request.user, partnership=self.partnership, period_end=period_end
                )
                messages.success(
                    request, _("Periods up to %(d)s are locked.") % {"d": period_end.isoformat()}
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("strategy:reporting", pk=pk)


class IndicatorTableView(InsiderMixin, View):
    def get(self, request, pk):
        strategy = selectors.current_strategy(self.partnership)
        if strategy is None:
            raise Http404
        body = exports.indicator_table_xlsx(strategy)
        response = HttpResponse(
            body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        name = f"indicators-{self.partnership.acronym}-v{strategy.version}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class EvidenceView(ObjectMixin, View):
    """An evidence file, for those who may see the measurement, always as a download."""

    model = Measurement
    related = ("kpi__objective__strategy__partnership",)

    def get(self, request, pk):
        # ``?revision=<id>``: the evidence a value had before one of its corrections.
        file = self.object.evidence_file
        if "revision" in request.GET:
            revision = selectors.measurement_revision(self.object, request.GET["revision"])
            if revision is None:
                raise Http404
            file = revision.old_evidence_file
        if not file:
            raise Http404
        name = file.name.rsplit("/", 1)[-1]
        # Read through the storage, never by path: the same from a folder or a bucket
        # (DJANGO_MEDIA_STORAGE), streamed in chunks.
        response = FileResponse(
            file.open("rb"),
            as_attachment=True,
            filename=name,
            content_type="application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
