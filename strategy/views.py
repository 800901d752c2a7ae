"""Pages of the joint strategy. Insiders of a partnership (its coordinators, the managers of its
partner clusters, EC officers) read; coordinators edit; partners report their KPIs."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Value
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from escp_portal.accounts.policy import (
    scope_for,
    visible_to,
)
from escp_portal.forms import add_validation_error
from escp_portal.pages import FormPage as BaseFormPage
from escp_portal.pages import InsiderMixin, ObjectMixin, PartnerFormMixin
from partnerships.models import ClusterMembership, Member

from . import indicators, queries, services
from .forms import (
    AssignmentForm,
    KPIForm,
    MarketStudyForm,
    ObjectiveForm,
    ReportForm,
    StageForm,
    StrategyForm,
    TargetMarketForm,
    TaskForm,
    TaskStatusForm,
)
from .models import (
    KPI,
    Measurement,
    MeasurementRevision,
    Objective,
    PeriodLock,
    StageAssignment,
    Strategy,
    TargetMarket,
    Task,
    ValueChain,
    period_start,
)
from .sources import registry


class FormPage(BaseFormPage):
    """A form page of the strategy: "Cancel" leads back to the strategy overview."""

    def get_cancel_url(self) -> str:
        return reverse("strategy:overview", args=[self.partnership.pk])


def _fields(form, names):
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


# --- overview ----------------------------------------------------------------------------------


class StrategyOverviewView(InsiderMixin, TemplateView):
    template_name = "strategy/overview.html"

    def get_context_data(self, **kwargs):
        try:
            version = int(self.request.GET.get("version", ""))
        except ValueError:
            version = None
        versions = list(Strategy.objects.filter(partnership=self.partnership).order_by("-version"))
        strategy = queries.current_strategy(self.partnership, version, versions=versions)
        context = super().get_context_data(
            strategy=strategy,
            versions=versions,
            smart_rules=queries.SMART_RULES,
            **kwargs,
        )
        if strategy is None:
            return context
        objectives = list(queries.objectives_for(strategy))
        kpis = list(queries.kpis_for(strategy))
        values = queries.kpi_values(kpis)
        tasks = list(queries.tasks_for(strategy).prefetch_related(None))  # titles only here
        for objective in objectives:
            objective.smart = queries.smart_check(objective, self.partnership)
            objective.kpi_rows = [(k, values[k.pk]) for k in kpis if k.objective_id == objective.pk]
            objective.task_list = [t for t in tasks if t.objective_id == objective.pk]
        context.update(
            objectives=objectives,
            editable=self.coordinator and strategy.status != Strategy.Status.REVISED,
        )
        return context


class StrategyCreateView(InsiderMixin, View):
    def post(self, request, pk):
        self.require_coordinator()
        try:
            services.strategy_create(actor=request.user, partnership=self.partnership)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("A draft strategy was started."))
        return redirect("strategy:overview", pk=pk)


class StrategyEditView(ObjectMixin, FormPage):
    coordinators_only = True
    model = Strategy
    related = ("partnership",)
    form_class = StrategyForm
    title = _("Vision and mission")
    edits_object = True

    def save(self, form):
        services.strategy_update(
            actor=self.request.user, strategy=self.object, **_fields(form, services.STRATEGY_FIELDS)
        )
        return self.object


class StrategyActionView(ObjectMixin, View):
    model = Strategy
    related = ("partnership",)

    def post(self, request, pk, action):
        try:
            if action == "adopt":
                services.strategy_adopt(actor=request.user, strategy=self.object)
                messages.success(
                    request,
                    _("Version %(v)s is now the adopted strategy.") % {"v": self.object.version},
                )
            elif action == "revise":
                draft = services.strategy_revise(actor=request.user, strategy=self.object)
                messages.success(
                    request, _("Version %(v)s was started as a draft.") % {"v": draft.version}
                )
                return redirect(f"{draft.get_absolute_url()}?version={draft.version}")
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(f"{self.object.get_absolute_url()}?version={self.object.version}")


# --- objectives, KPIs, tasks -------------------------------------------------------------------


class ObjectiveCreateView(ObjectMixin, FormPage):
    coordinators_only = True
    model = Strategy
    related = ("partnership",)
    form_class = ObjectiveForm
    title = _("New objective")

    def get_initial(self):
        count = self.object.objectives.count()
        return {
            "code": f"O{count + 1}",
            "order": count + 1,
            "start_date": self.partnership.start_date,
            "target_date": self.partnership.end_date,
        }

    def save(self, form):
        return services.objective_create(
            actor=self.request.user,
            strategy=self.object,
            **_fields(form, services.OBJECTIVE_FIELDS),
        )


class ObjectiveEditView(ObjectMixin, FormPage):
    coordinators_only = True
    model = Objective
    related = ("strategy__partnership",)
    form_class = ObjectiveForm
    title = _("Edit objective")
    edits_object = True

    def save(self, form):
        services.objective_update(
            actor=self.request.user,
            objective=self.object,
            **_fields(form, services.OBJECTIVE_FIELDS),
        )
        return self.object


class ObjectiveDetailView(ObjectMixin, TemplateView):
    model = Objective
    related = ("strategy__partnership", "owner__cluster")
    template_name = "strategy/objective_detail.html"

    def object_queryset(self):
        # The SMART check's counts come with the objective.
        return queries.with_smart_counts(super().object_queryset())

    def get_context_data(self, **kwargs):
        objective = self.object
        kpis = list(queries.kpis_for(self.object.strategy).filter(objective=objective))
        values = queries.kpi_values(kpis)
        return super().get_context_data(
            objective=objective,
            smart=queries.smart_check(objective, self.partnership),
            smart_rules=queries.SMART_RULES,
            kpi_rows=[(k, values[k.pk]) for k in kpis],
            tasks=queries.tasks_for(self.object.strategy).filter(objective=objective),
            editable=self.coordinator and objective.strategy.status != Strategy.Status.REVISED,
            **kwargs,
        )


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
            actor=self.request.user, objective=self.object, **_fields(form, services.KPI_FIELDS)
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
            actor=self.request.user, kpi=self.object, **_fields(form, services.KPI_FIELDS)
        )
        return self.object


class KPIDetailView(ObjectMixin, TemplateView):
    """A KPI's periods: values, who reported, review, corrections, and where derived values
    come from."""

    model = KPI
    related = ("objective__strategy__partnership", "responsible__cluster")
    template_name = "strategy/kpi_detail.html"

    def object_queryset(self):
        return super().object_queryset().prefetch_related("milestones")

    def get_context_data(self, form=None, **kwargs):
        kpi = self.object
        user = self.request.user
        values = queries.kpi_values([kpi])[kpi.pk]
        revisions = MeasurementRevision.objects.select_related("changed_by")
        measurements = list(
            kpi.measurements.select_related("partner__cluster", "reported_by", "reviewed_by")
            .prefetch_related(Prefetch("revisions", queryset=revisions))
            .order_by("-period_end")
        )
        reportable = kpi.is_manual and services.can_report(user, kpi)
        locked = services.locked_until(self.partnership.pk)
        open_periods = [p for p in values.periods if locked is None or p > locked]
        trace = None
        source = None
        if not kpi.is_manual:
            source = registry().get(kpi.source)
            if source and source.records and values.periods:
                last = values.periods[-1]
                records = source.records(kpi, period_start(kpi.frequency, last), last)
                # The records name members: only those the user may see (none for an officer).
                trace = visible_to(records, user)[:50]
        from evaluation.models import Review
        from evaluation.selectors import comparable_kpis

        scope = scope_for(user)
        return super().get_context_data(
            kpi=kpi,
            ambition=comparable_kpis(kpi, named=scope.reads_everything)
            if kpi.target_value is not None
            else None,
            can_review=scope.is_officer,
            review_flags=Review.Flag.choices,
            values=values,
            measurements=measurements,
            form=form or (ReportForm(periods=open_periods) if reportable else None),
            reportable=reportable,
            locked_until=locked,
            source=source,
            trace=trace,
            **kwargs,
        )


class ReportView(KPIDetailView):
    def post(self, request, pk):
        kpi = self.object
        form = ReportForm(request.POST, request.FILES, periods=kpi.periods(timezone.localdate()))
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
                services.measurement_approve(actor=request.user, measurement=measurement)
                messages.success(request, _("The value was approved."))
            else:
                services.measurement_return(
                    actor=request.user,
                    measurement=measurement,
                    comment=request.POST.get("comment", ""),
                )
                messages.success(request, _("The value was returned for revision."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(measurement.kpi)


class TaskCreateView(ObjectMixin, FormPage):
    coordinators_only = True
    model = Objective
    related = ("strategy__partnership",)
    form_class = TaskForm
    title = _("New task")

    def save(self, form):
        services.task_create(
            actor=self.request.user,
            objective=self.object,
            responsible=form.cleaned_data["responsible"],
            **_fields(form, services.TASK_FIELDS),
        )
        return self.object


class TaskEditView(ObjectMixin, FormPage):
    """Coordinators edit the task; a responsible partner's manager updates its status."""

    model = Task
    related = ("objective__strategy__partnership",)
    title = _("Task")
    edits_object = True

    def get_form_class(self):
        if self.coordinator:
            return TaskForm
        if not services.manages_responsible_partner(self.request.user, self.object):
            raise PermissionDenied
        return TaskStatusForm

    def save(self, form):
        extra = {"responsible": form.cleaned_data["responsible"]} if self.coordinator else {}
        services.task_update(
            actor=self.request.user,
            task=self.object,
            **extra,
            **_fields(form, services.TASK_FIELDS),
        )
        return self.object.objective


# --- reporting ---------------------------------------------------------------------------------


class ReportingView(InsiderMixin, TemplateView):
    """Who has reported which period, who is late; coordinators lock periods here."""

    template_name = "strategy/reporting.html"

    def get_context_data(self, **kwargs):
        strategy = queries.current_strategy(self.partnership)
        table = queries.reporting_completeness(strategy) if strategy else []
        locks = set(
            PeriodLock.objects.filter(partnership=self.partnership).values_list(
                "period_end", flat=True
            )
        )
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
        strategy = queries.current_strategy(self.partnership)
        if strategy is None:
            raise Http404
        body = indicators.indicator_table_xlsx(strategy)
        response = HttpResponse(
            body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        name = f"indicators-{self.partnership.acronym}-v{strategy.version}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


# --- value chain -------------------------------------------------------------------------------


class ValueChainListView(InsiderMixin, TemplateView):
    template_name = "strategy/value_chains.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            chains=ValueChain.objects.filter(partnership=self.partnership).prefetch_related(
                "stages"
            ),
            **kwargs,
        )

    def post(self, request, pk):
        self.require_coordinator()
        name = request.POST.get("name", "").strip()
        if not name:
            messages.error(request, _("Give the value chain a name."))
            return redirect("strategy:value_chains", pk=pk)
        chain = services.chain_create(
            actor=request.user, partnership=self.partnership, name=name[:200]
        )
        return redirect(chain)


class ValueChainView(ObjectMixin, TemplateView):
    """The stages in order, who covers each, the stages nobody covers and where partners
    overlap: the balance the partnership checks before it grows."""

    model = ValueChain
    related = ("partnership",)
    template_name = "strategy/value_chain.html"

    def members(self):
        clusters = self.partnership.partners.values("cluster")
        return (
            Member.objects.visible_to(self.request.user)
            .filter(memberships__cluster__in=clusters)
            .distinct()
            .order_by("name")
        )

    def get_context_data(self, stage_form=None, assignment_form=None, **kwargs):
        chain = self.object
        assignments = StageAssignment.objects.select_related(
            "partner__cluster", "partner__partnership", "member"
        )
        stages = list(
            chain.stages.prefetch_related(
                "depends_on", Prefetch("assignments", queryset=assignments)
            )
        )
        # A member placed on a stage is named only to those who may see that member (its
        # cluster's managers, the coordinators); EC officers and other partners see that a
        # member company is there. The same rule as the service for removing: coordinators
        # any placement, a cluster manager those of their cluster and its members. One query.
        managed = scope_for(self.request.user).managed_clusters
        placed = StageAssignment.objects.filter(stage__chain=chain, member__isnull=False)
        own = (
            Exists(ClusterMembership.objects.filter(member=OuterRef("pk"), cluster_id__in=managed))
            if managed
            else Value(False)
        )
        visible = dict(
            Member.objects.visible_to(self.request.user)
            .filter(pk__in=placed.values("member_id"))
            .annotate(own=own)
            .values_list("pk", "own")
        )
        for stage in stages:
            stage.partner_assignments = [a for a in stage.assignments.all() if a.partner_id]
            stage.member_assignments = [a for a in stage.assignments.all() if a.member_id]
            for a in stage.assignments.all():
                a.named = a.partner_id is not None or a.member_id in visible
                a.removable = self.coordinator or (
                    a.partner.cluster_id in managed if a.partner_id else visible.get(a.member_id)
                )
        gaps = [s for s in stages if not s.assignments.all()]
        overlaps = [s for s in stages if len({a.partner_id for a in s.partner_assignments}) > 1]
        return super().get_context_data(
            chain=chain,
            stages=stages,
            gaps=gaps,
            overlaps=overlaps,
            stage_form=stage_form
            or (StageForm(chain=chain, stages=stages) if self.coordinator else None),
            # Coordinators and the partner clusters' managers (the only managers who see this
            # page) place; officers read.
            assignment_form=assignment_form
            or (
                AssignmentForm(chain=chain, members=self.members(), stages=stages)
                if self.coordinator or managed
                else None
            ),
            **kwargs,
        )

    def post(self, request, pk):
        chain = self.object
        if request.POST.get("form") == "stage":
            self.require_coordinator()
            form = StageForm(request.POST, chain=chain)
            if form.is_valid():
                try:
                    services.stage_create(
                        actor=request.user,
                        chain=chain,
                        depends_on=form.cleaned_data["depends_on"],
                        **_fields(form, ("name", "order", "description")),
                    )
                    return redirect(chain)
                except ValidationError as error:
                    add_validation_error(form, error)
            return self.render_to_response(self.get_context_data(stage_form=form))
        if request.POST.get("form") == "remove":
            assignment = get_object_or_404(
                StageAssignment.objects.visible_to(request.user).filter(stage__chain=chain),
                pk=request.POST.get("assignment") or 0,
            )
            services.assignment_delete(actor=request.user, assignment=assignment)
            return redirect(chain)
        form = AssignmentForm(request.POST, chain=chain, members=self.members())
        if form.is_valid():
            try:
                services.assignment_create(
                    actor=request.user,
                    stage=form.cleaned_data["stage"],
                    partner=form.cleaned_data["partner"],
                    member=form.cleaned_data["member"],
                    contribution=form.cleaned_data["contribution"],
                )
                return redirect(chain)
            except ValidationError as error:
                add_validation_error(form, error)
        return self.render_to_response(self.get_context_data(assignment_form=form))


# --- target markets ----------------------------------------------------------------------------


class TargetMarketListView(InsiderMixin, PartnerFormMixin, FormView):
    template_name = "strategy/markets.html"
    form_class = TargetMarketForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            markets=TargetMarket.objects.filter(partnership=self.partnership).select_related(
                "lead_partner__cluster", "study"
            ),
            **kwargs,
        )

    def form_valid(self, form):
        self.require_coordinator()
        try:
            market = services.target_market_save(
                actor=self.request.user,
                partnership=self.partnership,
                **_fields(form, services.MARKET_FIELDS),
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        return redirect("strategy:market", pk=market.pk)


class TargetMarketView(ObjectMixin, TemplateView):
    model = TargetMarket
    related = ("partnership", "lead_partner__cluster")
    template_name = "strategy/market.html"

    def get_context_data(self, market_form=None, study_form=None, **kwargs):
        study = getattr(self.object, "study", None)
        market_form = market_form or TargetMarketForm(instance=self.object)
        market_form.limit_partners(self.partnership)
        return super().get_context_data(
            market=self.object,
            study=study,
            market_form=market_form,
            study_form=study_form or MarketStudyForm(instance=study),
            **kwargs,
        )

    def post(self, request, pk):
        self.require_coordinator()
        market = TargetMarket.objects.get(pk=self.object.pk)
        if request.POST.get("form") == "study":
            form = MarketStudyForm(request.POST, instance=getattr(market, "study", None))
            if form.is_valid():
                try:
                    services.market_study_save(
                        actor=request.user, market=market, **_fields(form, services.STUDY_FIELDS)
                    )
                    messages.success(request, _("The market study was saved."))
                    return redirect("strategy:market", pk=pk)
                except ValidationError as error:
                    add_validation_error(form, error)
            return self.render_to_response(self.get_context_data(study_form=form))
        form = TargetMarketForm(request.POST, instance=market)
        form.limit_partners(self.partnership)
        if form.is_valid():
            try:
                services.target_market_save(
                    actor=request.user,
                    partnership=self.partnership,
                    market=market,
                    **_fields(form, services.MARKET_FIELDS),
                )
                messages.success(request, _("The target market was saved."))
                return redirect("strategy:market", pk=pk)
            except ValidationError as error:
                add_validation_error(form, error)
        return self.render_to_response(self.get_context_data(market_form=form))


class EvidenceView(ObjectMixin, View):
    """An evidence file, for those who may see the measurement, always as a download."""

    model = Measurement
    related = ("kpi__objective__strategy__partnership",)

    def get(self, request, pk):
        if not self.object.evidence_file:
            raise Http404
        from django.http import FileResponse

        name = self.object.evidence_file.name.rsplit("/", 1)[-1]
        response = FileResponse(
            self.object.evidence_file.open("rb"),
            as_attachment=True,
            filename=name,
            content_type="application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
