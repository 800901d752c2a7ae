"""Brokers, the opportunity pipeline, an opportunity's page and the agreement it reached."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from escp_portal.pages import FormPage, InsiderMixin, ObjectMixin

from .. import selectors
from ..filters import BrokerFilterSet, OpportunityFilterSet
from ..forms import AgreementForm, BrokerForm, OpportunityForm
from ..models import Broker, Opportunity
from ..rules import can_add, can_erase, can_record_agreement
from ..services import brokers as services
from .common import EditPage, ListPage


class BrokerListView(ListPage):
    template_name = "opportunities/brokers.html"
    form_class = BrokerForm
    filterset_class = BrokerFilterSet
    service_fields = services.BROKER_FIELDS
    saved_message = gettext_lazy("The broker was added.")
    save = staticmethod(services.broker_save)

    def rows(self):
        return selectors.brokers_of(self.partnership, self.request.user)

    def figures(self):
        return selectors.pipeline_figures(self.partnership.pk)


class BrokerEditView(EditPage):
    model = Broker
    form_class = BrokerForm
    title = gettext_lazy("Edit the broker")
    service_fields = services.BROKER_FIELDS
    object_name = "broker"
    saved_message = gettext_lazy("The broker was saved.")
    call = staticmethod(services.broker_save)

    def list_url(self):
        return reverse("opportunities:brokers", args=[self.partnership.pk])

    def get_context_data(self, **kwargs):
        erase = None
        if can_erase(self.request.user, self.object) and not self.object.erased_at:
            erase = reverse("opportunities:broker_erase", args=[self.object.pk])
        return super().get_context_data(erase_url=erase, **kwargs)


class EraseView(ObjectMixin, View):
    """Erase a person's name and contacts on request (the partnership's coordinators)."""

    related = ("partnership",)
    service = None
    list_name = ""

    def post(self, request, pk):
        if not can_erase(request.user, self.object):
            raise PermissionDenied
        self.service(actor=request.user, **{self.object_name: self.object})
        messages.success(request, _("The person's name and contacts were erased."))
        return redirect(reverse(self.list_name, args=[self.partnership.pk]))


class BrokerEraseView(EraseView):
    model = Broker
    object_name = "broker"
    list_name = "opportunities:brokers"
    service = staticmethod(services.broker_erase)


class OpportunityListView(ListPage):
    """The pipeline: the opportunities by stage, with the filters; figure readers see how many
    at each stage."""

    template_name = "opportunities/pipeline.html"
    form_class = OpportunityForm
    filterset_class = OpportunityFilterSet

    def rows(self):
        return selectors.opportunities_of(self.partnership, self.request.user)

    def figures(self):
        return selectors.pipeline_figures(self.partnership.pk)

    def get_form(self, form_class=None):
        return None  # added on its own page

    def post(self, request, *args, **kwargs):
        raise PermissionDenied

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "rows" in context:
            context["stages"] = selectors.pipeline(context["rows"])
        return {**context, "today": timezone.localdate()}


class OpportunityFormMixin:
    form_class = OpportunityForm
    service_fields = services.OPPORTUNITY_FIELDS

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "partnership": self.partnership,
            "people": selectors.people_of(self.partnership),
        }

    def list_url(self):
        return reverse("opportunities:opportunities", args=[self.partnership.pk])


class OpportunityAddView(OpportunityFormMixin, InsiderMixin, FormPage):
    title = gettext_lazy("Add an opportunity")
    saved_message = gettext_lazy("The opportunity was added to the pipeline.")

    def get_form(self, form_class=None):
        if not can_add(self.request.user, self.partnership.pk):
            raise PermissionDenied
        return super().get_form(form_class)

    def get_cancel_url(self):
        return self.list_url()

    def save(self, form):
        data = {name: form.cleaned_data[name] for name in self.service_fields}
        services.opportunity_save(actor=self.request.user, partnership=self.partnership, **data)
        return self.list_url()


class OpportunityEditView(OpportunityFormMixin, EditPage):
    model = Opportunity
    title = gettext_lazy("The opportunity")
    object_name = "opportunity"
    saved_message = gettext_lazy("The opportunity was saved.")
    related = ("partnership", "broker", "outcome")
    call = staticmethod(services.opportunity_save)

    def get_context_data(self, **kwargs):
        opportunity = self.object
        agree = None
        if opportunity.is_open and can_record_agreement(self.request.user, opportunity):
            agree = reverse("opportunities:opportunity_agree", args=[opportunity.pk])
        return super().get_context_data(agree_url=agree, outcome=opportunity.outcome, **kwargs)


class OpportunityAgreeView(ObjectMixin, FormPage):
    """Record the agreement an opportunity reached: an outcome of the partnership (MoU or
    business contract), and the opportunity closes."""

    model = Opportunity
    related = ("partnership",)
    form_class = AgreementForm
    title = gettext_lazy("Record the agreement")
    saved_message = gettext_lazy("The agreement was recorded as an outcome.")

    def get_form(self, form_class=None):
        if not can_record_agreement(self.request.user, self.object):
            raise PermissionDenied
        return super().get_form(form_class)

    def get_initial(self):
        return {"value": self.object.value}

    def get_cancel_url(self):
        return reverse("opportunities:opportunity_edit", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)

    def save(self, form):
        data = {name: form.cleaned_data[name] for name in ("kind", "date", "value", "description")}
        services.opportunity_agree(actor=self.request.user, opportunity=self.object, **data)
        return reverse("missions:outcomes", args=[self.partnership.pk])
