"""Pages of the strategy versions and their objectives: the overview, vision and mission,
adoption and revision, objectives with their SMART check."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from escp_portal.pages import InsiderMixin, ObjectMixin

from .. import selectors, services
from ..forms import ObjectiveForm, StrategyForm
from ..models import Objective, Strategy
from ..selectors import coordination as selectors_coordination
from ..services import coordination as services_coordination
from .common import FormPage, form_fields


class StrategyOverviewView(InsiderMixin, TemplateView):
    template_name = "strategy/overview.html"

    def get_context_data(self, **kwargs):
        try:
            version = int(self.request.GET.get("version", ""))
        except ValueError:
            version = None
        overview = selectors.strategy_overview(self.partnership, version)
        strategy = overview["strategy"]
        if strategy is not None and strategy.shared_at is not None:
            # Comments and endorsements exist only on a version that was shared.
            overview.update(selectors_coordination.draft_feedback(strategy, self.request.user))
        return super().get_context_data(
            **overview,
            smart_rules=selectors.SMART_RULES,
            editable=strategy is not None
            and self.coordinator
            and strategy.status != Strategy.Status.REVISED,
            **kwargs,
        )


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
            actor=self.request.user,
            strategy=self.object,
            **form_fields(form, services.STRATEGY_FIELDS),
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
            elif action == "share":
                services_coordination.strategy_share(actor=request.user, strategy=self.object)
                messages.success(
                    request,
                    _(
                        "The draft is shared: every partner is emailed and may comment on it "
                        "and endorse it."
                    ),
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
            **form_fields(form, services.OBJECTIVE_FIELDS),
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
            **form_fields(form, services.OBJECTIVE_FIELDS),
        )
        return self.object


class ObjectiveDetailView(ObjectMixin, TemplateView):
    model = Objective
    related = ("strategy__partnership", "owner__cluster")
    template_name = "strategy/objective_detail.html"

    def object_queryset(self):
        # The SMART check's counts come with the objective.
        return selectors.with_smart_counts(super().object_queryset())

    def get_context_data(self, **kwargs):
        objective = self.object
        kpis = list(selectors.kpis_for(self.object.strategy).filter(objective=objective))
        values = selectors.kpi_values(kpis)
        return super().get_context_data(
            objective=objective,
            smart=selectors.smart_check(objective, self.partnership),
            smart_rules=selectors.SMART_RULES,
            kpi_rows=[(k, values[k.pk]) for k in kpis],
            tasks=selectors.tasks_for(self.object.strategy).filter(objective=objective),
            editable=self.coordinator and objective.strategy.status != Strategy.Status.REVISED,
            **kwargs,
        )
