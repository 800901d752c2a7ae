"""What the suggestions do in one click: from a value chain's uncovered stage, invite a cluster
or ask for a member's contact; from a partnership's suggested export groups, make one."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from escp_portal.pages import InsiderMixin
from missions.selectors import nameable_members
from partnerships.models import ClusterOrganisation
from partnerships.rules import can_invite_partner
from strategy.models import ValueChainStage

from ..forms import ExportGroupSuggestionForm, SuggestionForm
from ..rules import sees_gap_suggestions
from ..selectors.requests import findable_member
from ..selectors.suggestions import export_group_suggestions
from ..services import suggestions as services


class GapActionView(LoginRequiredMixin, View):
    """A suggestion for a stage nobody covers: invite the cluster, or ask for the member's
    contact."""

    def post(self, request, pk):
        stage = get_object_or_404(
            ValueChainStage.objects.visible_to(request.user).select_related("chain__partnership"),
            pk=pk,
        )
        if not sees_gap_suggestions(request.user):
            raise PermissionDenied
        form = SuggestionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The suggestion could not be read; try again."))
            return redirect(stage.chain)
        target = form.cleaned_data["target"]
        try:
            if form.cleaned_data["kind"] == "cluster":
                if not can_invite_partner(request.user, stage.chain.partnership):
                    raise PermissionDenied
                cluster = get_object_or_404(ClusterOrganisation, pk=target)
                services.gap_invite(actor=request.user, stage=stage, cluster=cluster)
                messages.success(
                    request,
                    _("%(c)s is invited; it becomes a partner when one of its managers accepts.")
                    % {"c": cluster.name},
                )
            else:
                profile = findable_member(target)
                if profile is None:
                    raise Http404
                request_obj = services.gap_contact(
                    actor=request.user, stage=stage, member=profile.member
                )
                messages.success(request, _("Your contact request was sent."))
                return redirect(request_obj)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(stage.chain)


class ExportGroupSuggestionsView(InsiderMixin, TemplateView):
    """Export groups the partnership could form, with why; one click makes one (a draft)."""

    template_name = "matchmaking/export_group_suggestions.html"
    coordinators_only = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            suggestions=export_group_suggestions(self.partnership), **kwargs
        )

    def post(self, request, pk):
        form = ExportGroupSuggestionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The suggestion could not be read; try again."))
            return redirect(request.path)
        members = nameable_members(request.user, self.partnership).filter(pk__in=form.member_ids())
        try:
            group = services.suggested_export_group_create(
                actor=request.user,
                partnership=self.partnership,
                market=form.cleaned_data["market"],
                members=members,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)
        messages.success(
            request, _("The export group “%(g)s” was made; complete its goal.") % {"g": group.name}
        )
        return redirect("missions:export_groups", pk=self.partnership.pk)
