"""Pages of the inclusive coordination and the balanced partnership: a partner's comment or
endorsement of a shared draft, the meeting log and its decisions, the balance view."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from escp_portal.pages import InsiderMixin, ObjectMixin

from ..forms import DecisionForm, FeedbackForm, MeetingForm
from ..models import PartnershipMeeting, Strategy
from ..selectors import balance as balance_selectors
from ..selectors import coordination as selectors
from ..services import coordination as services
from .common import FormPage, form_fields


class FeedbackView(ObjectMixin, FormPage):
    """Comment on or endorse a shared draft, for a partner the user speaks for."""

    model = Strategy
    related = ("partnership",)
    form_class = FeedbackForm
    title = _("Comment on or endorse the draft")
    saved_message = _("Thank you: your word is on record with the draft.")

    def get_form_kwargs(self):
        partners = selectors.draft_feedback(self.object, self.request.user)["speaks_for"]
        if not partners or self.object.shared_at is None:
            raise PermissionDenied
        return {**super().get_form_kwargs(), "partners": partners}

    def get_cancel_url(self):
        return self._overview()

    def _overview(self):
        url = reverse("strategy:overview", args=[self.partnership.pk])
        return f"{url}?version={self.object.version}"

    def save(self, form):
        services.feedback_give(
            actor=self.request.user,
            strategy=self.object,
            partner=form.cleaned_data["partner"],
            feedback_kind=form.cleaned_data["feedback_kind"],
            text=form.cleaned_data["text"],
        )
        return self._overview()


class MeetingListView(InsiderMixin, TemplateView):
    template_name = "strategy/meetings.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meetings=selectors.meetings_of(self.partnership, self.request.user), **kwargs
        )


def _meetings_url(partnership):
    return reverse("strategy:coordination_meetings", args=[partnership.pk])


class MeetingCreateView(InsiderMixin, FormPage):
    coordinators_only = True
    form_class = MeetingForm
    title = _("Record a meeting")

    def get_cancel_url(self):
        return _meetings_url(self.partnership)

    def save(self, form):
        return services.meeting_create(
            actor=self.request.user,
            partnership=self.partnership,
            attendees=form.cleaned_data["attendees"],
            **form_fields(form, services.MEETING_FIELDS),
        )


class MeetingEditView(ObjectMixin, FormPage):
    coordinators_only = True
    model = PartnershipMeeting
    related = ("partnership",)
    form_class = MeetingForm
    title = _("Edit the meeting")
    edits_object = True

    def get_cancel_url(self):
        return self.object.get_absolute_url()

    def save(self, form):
        return services.meeting_update(
            actor=self.request.user,
            meeting=self.object,
            attendees=form.cleaned_data["attendees"],
            **form_fields(form, services.MEETING_FIELDS),
        )


class MeetingDetailView(ObjectMixin, TemplateView):
    model = PartnershipMeeting
    related = ("partnership",)
    template_name = "strategy/meeting.html"

    def get_context_data(self, **kwargs):
        meeting = selectors.meetings_of(self.partnership, self.request.user).get(pk=self.object.pk)
        return super().get_context_data(meeting=meeting, **kwargs)


class DecisionCreateView(ObjectMixin, FormPage):
    coordinators_only = True
    model = PartnershipMeeting
    related = ("partnership",)
    form_class = DecisionForm
    title = _("Record a decision")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.limit_to(self.partnership)
        return form

    def get_cancel_url(self):
        return self.object.get_absolute_url()

    def save(self, form):
        services.decision_create(
            actor=self.request.user,
            meeting=self.object,
            **form_fields(form, services.DECISION_FIELDS),
        )
        return self.object


class BalanceView(InsiderMixin, TemplateView):
    template_name = "strategy/balance.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **balance_selectors.partnership_balance(self.partnership),
            low=balance_selectors.LOW,
            high=balance_selectors.HIGH,
            **kwargs,
        )
