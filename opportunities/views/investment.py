"""Investor contacts met at events and the joint investment project pipeline."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from .. import selectors
from ..filters import InvestmentProjectFilterSet, InvestorContactFilterSet
from ..forms import InvestmentProjectForm, InvestorContactForm
from ..models import InvestmentProject, InvestorContact
from ..rules import can_erase
from ..services import investment as services
from .brokers import EraseView
from .common import EditPage, ListPage


class InvestorListView(ListPage):
    template_name = "opportunities/investors.html"
    form_class = InvestorContactForm
    filterset_class = InvestorContactFilterSet
    service_fields = services.INVESTOR_FIELDS
    saved_message = gettext_lazy("The investor contact was added.")
    save = staticmethod(services.investor_contact_save)

    def rows(self):
        return selectors.investor_contacts_of(self.partnership, self.request.user)

    def figures(self):
        return selectors.investor_figures(self.partnership.pk)


class InvestorEditView(EditPage):
    model = InvestorContact
    form_class = InvestorContactForm
    title = gettext_lazy("Edit the investor contact")
    service_fields = services.INVESTOR_FIELDS
    object_name = "contact"
    saved_message = gettext_lazy("The investor contact was saved.")
    call = staticmethod(services.investor_contact_save)

    def list_url(self):
        return reverse("opportunities:investors", args=[self.partnership.pk])

    def get_context_data(self, **kwargs):
        erase = None
        if can_erase(self.request.user, self.object) and not self.object.erased_at:
            erase = reverse("opportunities:investor_erase", args=[self.object.pk])
        return super().get_context_data(erase_url=erase, **kwargs)


class InvestorEraseView(EraseView):
    model = InvestorContact
    object_name = "contact"
    list_name = "opportunities:investors"
    service = staticmethod(services.investor_contact_erase)


class ProjectListView(ListPage):
    """The joint investment projects with their totals: every insider reads them, EC officers
    included (no person is named)."""

    template_name = "opportunities/projects.html"
    form_class = InvestmentProjectForm
    filterset_class = InvestmentProjectFilterSet
    service_fields = services.PROJECT_FIELDS
    saved_message = gettext_lazy("The joint investment project was added.")
    save = staticmethod(services.investment_project_save)
    names_only = False

    def rows(self):
        return selectors.investment_projects_of(self.partnership, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = selectors.investment_totals(context["rows"])
        return context


class ProjectEditView(EditPage):
    model = InvestmentProject
    form_class = InvestmentProjectForm
    title = gettext_lazy("Edit the joint investment project")
    service_fields = services.PROJECT_FIELDS
    object_name = "project"
    saved_message = gettext_lazy("The joint investment project was saved.")
    call = staticmethod(services.investment_project_save)

    def list_url(self):
        return reverse("opportunities:projects", args=[self.partnership.pk])
