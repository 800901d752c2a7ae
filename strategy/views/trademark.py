"""Pages of the collective trademark projects: start one in a click, follow its steps, keep
the register of licensed members."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from escp_portal.accounts.policy import can_create, partner_clusters_of
from escp_portal.pages import InsiderMixin, ObjectMixin
from partnerships.models import Member

from ..forms import LicenceForm, TrademarkStartForm
from ..models import Trademark, TrademarkLicence
from ..selectors import trademark as selectors
from ..services import trademark as services
from .common import FormPage, form_fields


class TrademarkListView(InsiderMixin, TemplateView):
    template_name = "strategy/trademarks.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            trademarks=selectors.trademarks_of(self.partnership, self.request.user), **kwargs
        )


class TrademarkStartView(InsiderMixin, FormPage):
    coordinators_only = True
    form_class = TrademarkStartForm
    title = _("Start a collective trademark project")
    saved_message = _("The project is started: its steps are on the roadmap.")

    def get_cancel_url(self):
        return reverse("strategy:trademarks", args=[self.partnership.pk])

    def save(self, form):
        return services.trademark_start(
            actor=self.request.user,
            partnership=self.partnership,
            responsible=list(form.cleaned_data["responsible"]),
            **form_fields(form, services.TRADEMARK_FIELDS),
        )


def licensable_members(user, partnership_id):
    """The members the user may see, of the partnership's current partner clusters."""
    return (
        Member.objects.visible_to(user)
        .filter(memberships__cluster_id__in=partner_clusters_of([partnership_id]))
        .distinct()
        .order_by("name")
    )


class TrademarkView(ObjectMixin, TemplateView):
    model = Trademark
    related = ("partnership", "objective")
    template_name = "strategy/trademark.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            trademark=self.object,
            steps=selectors.trademark_steps(self.object),
            licences=selectors.licences_of(self.object, user),
            may_license=can_create(user, TrademarkLicence, self.object),
            **kwargs,
        )


class LicenceCreateView(ObjectMixin, FormPage):
    model = Trademark
    related = ("partnership",)
    form_class = LicenceForm
    title = _("License a member to use the mark")

    def get_form(self, form_class=None):
        if not can_create(self.request.user, TrademarkLicence, self.object):
            raise PermissionDenied
        form = super().get_form(form_class)
        form.limit_members(licensable_members(self.request.user, self.partnership.pk))
        return form

    def get_cancel_url(self):
        return self.object.get_absolute_url()

    def save(self, form):
        services.licence_create(
            actor=self.request.user,
            trademark=self.object,
            member=form.cleaned_data["member"],
            **form_fields(form, services.LICENCE_FIELDS),
        )
        return self.object
