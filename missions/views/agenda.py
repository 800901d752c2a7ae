"""Actions on a B2B meeting (accept, decline, withdraw, turn its follow-up into an outcome) and a
participant's agenda: page, PDF and ``.ics``, for its side and the organiser's."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from .. import exports, scheduling, selectors
from ..models import party_name
from ..rules import acts_for, sees_agenda_of
from ..services import meetings as services

# --- actions on a meeting -------------------------------------------------------------------------


class MeetingActionView(LoginRequiredMixin, View):
    ACTIONS = {
        "accept": (services.meeting_accept, _("The meeting is accepted.")),
        "decline": (services.meeting_decline, _("The meeting is declined.")),
        "withdraw": (services.meeting_withdraw, _("The meeting request is withdrawn.")),
    }

    def post(self, request, pk, action):
        meeting = selectors.meeting_for_page(request.user, pk)
        if meeting is None or action not in self.ACTIONS:
            raise Http404
        service, done = self.ACTIONS[action]
        try:
            service(actor=request.user, meeting=meeting)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
        return redirect(reverse("missions:meetings", args=[meeting.mission_id]))


class MeetingOutcomeView(LoginRequiredMixin, View):
    """A follow-up (MoU, contract, project) becomes an outcome of the mission, once."""

    def post(self, request, pk):
        meeting = selectors.meeting_for_page(request.user, pk)
        if meeting is None:
            raise Http404
        try:
            outcome, created = services.meeting_outcome(actor=request.user, meeting=meeting)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if created:
                messages.success(request, _("The outcome is recorded: %(o)s.") % {"o": outcome})
            else:
                messages.info(request, _("This meeting's outcome is recorded already."))
        return redirect(reverse("missions:meeting_follow_up_edit", args=[meeting.pk]))


# --- a participant's agenda -----------------------------------------------------------------------


class AgendaMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.participation = selectors.participation_for_agenda(request.user, kwargs["pk"])
        if self.participation is None:
            raise Http404
        if not sees_agenda_of(request.user, self.participation):
            raise PermissionDenied
        self.mission = self.participation.mission
        self.meetings = selectors.agenda(self.participation)
        for meeting in self.meetings:
            meeting.other = meeting.other_party(self.participation)
            meeting.other_name = party_name(meeting.other)
        return super().dispatch(request, *args, **kwargs)


class AgendaView(AgendaMixin, TemplateView):
    template_name = "missions/agenda.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        for meeting in self.meetings:
            meeting.can_follow_up = meeting.due and acts_for(user, self.participation)
        return super().get_context_data(
            participation=self.participation,
            mission=self.mission,
            partnership=self.mission.partnership,
            meetings=self.meetings,
            zone=scheduling.mission_zone(self.mission),
            **kwargs,
        )


class AgendaPdfView(AgendaMixin, View):
    def get(self, request, pk):
        body = exports.agenda_pdf(self.participation, self.meetings)
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="agenda-{pk}.pdf"'
        return response


class AgendaIcsView(AgendaMixin, View):
    def get(self, request, pk):
        return exports.agenda_ics_response(self.participation, self.meetings, f"agenda-{pk}")
