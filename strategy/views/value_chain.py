"""Pages of the value chains."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from escp_portal.forms import add_validation_error
from escp_portal.pages import InsiderMixin, ObjectMixin

from .. import rules, selectors, services
from ..forms import AssignmentForm, StageForm
from ..models import StageAssignment, ValueChain
from .common import form_fields


class ValueChainListView(InsiderMixin, TemplateView):
    template_name = "strategy/value_chains.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            chains=selectors.value_chains_of(self.partnership),
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
        return selectors.placeable_members(self.request.user, self.partnership)

    def get_context_data(self, stage_form=None, assignment_form=None, **kwargs):
        chain = self.object
        stages = selectors.chain_stages(chain)
        placements = [a for stage in stages for a in stage.assignments.all()]
        access = rules.placement_access(self.request.user, chain, placements)
        for stage in stages:
            stage.partner_assignments = [a for a in stage.assignments.all() if a.partner_id]
            stage.member_assignments = [a for a in stage.assignments.all() if a.member_id]
            for a in stage.assignments.all():
                a.named, a.removable = access[a.pk]
        gaps = [s for s in stages if not s.assignments.all()]
        overlaps = [s for s in stages if len({a.partner_id for a in s.partner_assignments}) > 1]
        return super().get_context_data(
            chain=chain,
            stages=stages,
            gaps=gaps,
            overlaps=overlaps,
            chain_sections=selectors.value_chain_page_sections(chain, stages, self.request.user),
            stage_form=stage_form
            or (StageForm(chain=chain, stages=stages) if self.coordinator else None),
            assignment_form=assignment_form
            or (
                AssignmentForm(chain=chain, members=self.members(), stages=stages)
                if rules.can_place_on(self.request.user, self.partnership.pk)
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
                        **form_fields(form, ("name", "order", "description")),
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
