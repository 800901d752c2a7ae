"""Pages of the partners' expectations and commitments [Action 7]: the list by partner, and
the forms to record and review an entry."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from escp_portal.accounts.policy import can_create, can_edit
from escp_portal.pages import FormPage, InsiderMixin, ObjectMixin

from .. import selectors
from ..forms import ExpectationForm
from ..models import Partner, PartnerExpectation
from ..services import expectations as services

FIELDS = ("entry_kind", "text", "review", "reviewed_on", "review_note")


def _list_url(partnership_id):
    return reverse("partnerships:expectations", args=[partnership_id])


class ExpectationListView(InsiderMixin, TemplateView):
    template_name = "partnerships/expectations.html"

    def get_context_data(self, **kwargs):
        rows = selectors.expectations_by_partner(self.partnership, self.request.user)
        user = self.request.user
        for row in rows:
            row["may_add"] = can_create(user, PartnerExpectation, row["partner"])
            for entry in row["entries"]:
                entry.may_edit = can_edit(user, entry)
        return super().get_context_data(rows=rows, **kwargs)


class ExpectationCreateView(ObjectMixin, FormPage):
    model = Partner
    related = ("partnership", "cluster")
    form_class = ExpectationForm
    title = _("Record an expectation or a commitment")

    def get_form(self, form_class=None):
        if not can_create(self.request.user, PartnerExpectation, self.object):
            raise PermissionDenied
        return super().get_form(form_class)

    def get_cancel_url(self):
        return _list_url(self.partnership.pk)

    def save(self, form):
        services.expectation_create(
            actor=self.request.user,
            partner=self.object,
            **{name: form.cleaned_data[name] for name in FIELDS},
        )
        return _list_url(self.partnership.pk)


class ExpectationEditView(ObjectMixin, FormPage):
    model = PartnerExpectation
    related = ("partner__partnership", "partner__cluster")
    form_class = ExpectationForm
    title = _("Review an expectation or a commitment")
    edits_object = True

    def get_form(self, form_class=None):
        if not can_edit(self.request.user, self.object):
            raise PermissionDenied
        return super().get_form(form_class)

    def get_cancel_url(self):
        return _list_url(self.partnership.pk)

    def save(self, form):
        services.expectation_update(
            actor=self.request.user,
            entry=self.object,
            **{name: form.cleaned_data[name] for name in FIELDS},
        )
        return _list_url(self.partnership.pk)
