"""Pages of a mission's B2B meetings: the meetings page (offers and seeks, local counterparts,
requests and their answers, the schedule), the forms around it, and each participant's agenda
(page, PDF, .ics). The mission's insiders who may name members see names; EC officers get the
figures. Every decision is a rule of ``missions.rules``; every write a service."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from escp_portal.accounts.policy import INSIDER
from escp_portal.forms import add_validation_error
from escp_portal.pages import ConflictCheckMixin

from .. import scheduling, selectors
from ..forms import (
    FollowUpForm,
    LocalCounterpartForm,
    MeetingProfileForm,
    MeetingRequestForm,
    MeetingSettingsForm,
)
from ..models import LocalCounterpart, Meeting, MeetingProfile, Mission
from ..rules import (
    can_answer_meeting,
    can_change_participation,
    can_follow_up_meeting,
    can_turn_into_outcome,
    can_withdraw_meeting,
    organises_meetings,
    parties_acted_for,
    sees_counterpart_contacts,
    sees_meetings_of,
)
from ..services import meetings as services
from ..services import missions as mission_services
from ..services.scheduling import schedule_meetings


def _meetings_url(mission_id: int) -> str:
    return reverse("missions:meetings", args=[mission_id])


class MissionMeetingsMixin(LoginRequiredMixin):
    """The page's mission (``pk``) with its meeting figures, for its partnership's insiders
    (others: 404, as for its registrations)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.mission = get_object_or_404(
            selectors.missions_with_meeting_figures(request.user), pk=kwargs["pk"]
        )
        if not getattr(self.mission, INSIDER):
            raise Http404
        self.names_visible = sees_meetings_of(request.user, self.mission)
        self.organiser = organises_meetings(request.user, self.mission)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            mission=self.mission,
            partnership=self.mission.partnership,
            organiser=self.organiser,
            names_visible=self.names_visible,
            zone=scheduling.mission_zone(self.mission),
            **kwargs,
        )


class MeetingsView(ConflictCheckMixin, MissionMeetingsMixin, TemplateView):
    """The mission's B2B meetings; the form that asks for one."""

    template_name = "missions/meetings.html"

    def request_form(self, participants, counterparts, data=None):
        user = self.request.user
        mine = parties_acted_for(user, self.mission, participants, counterparts)
        closed = self.mission.status == Mission.Status.CANCELLED
        if not mine or closed:
            return None
        return MeetingRequestForm(data, mine=mine, everyone=[*participants, *counterparts])

    def get_context_data(self, form=None, **kwargs):
        user = self.request.user
        context = {"figures": selectors.figures_of(self.mission)}
        if self.names_visible:
            participants = selectors.participants(self.mission)
            counterparts = selectors.counterparts(self.mission)
            meetings = selectors.meetings_seen(user, self.mission)
            for meeting in meetings:
                meeting.can_answer = meeting.state == "requested" and can_answer_meeting(
                    user, meeting
                )
                meeting.can_withdraw = meeting.state in Meeting.LIVE and can_withdraw_meeting(
                    user, meeting
                )
                meeting.can_follow_up = (
                    meeting.state == "accepted"
                    and meeting.due
                    and can_follow_up_meeting(user, meeting)
                )
            for participant in participants:
                participant.profile = selectors.profile_of(participant)
                participant.editable = can_change_participation(user, participant)
            context.update(
                participants=participants,
                counterparts=counterparts,
                meetings=meetings,
                contacts_visible=sees_counterpart_contacts(user, self.mission),
                form=form or self.request_form(participants, counterparts),
            )
        return super().get_context_data(**context, **kwargs)

    def post(self, request, pk):
        if not self.names_visible:
            raise PermissionDenied
        form = self.request_form(
            selectors.participants(self.mission),
            selectors.counterparts(self.mission),
            request.POST,
        )
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.meeting_request(
                    actor=request.user,
                    mission=self.mission,
                    requester=form.cleaned_data["requester"],
                    recipient=form.cleaned_data["recipient"],
                    message=form.cleaned_data["message"],
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("The meeting is requested; the other side is told."))
                return redirect(_meetings_url(self.mission.pk))
        return self.render_to_response(self.get_context_data(form=form))


class MeetingScheduleView(MissionMeetingsMixin, View):
    """The organiser places the accepted meetings (``schedule_meetings``)."""

    def post(self, request, pk):
        try:
            report = schedule_meetings(actor=request.user, mission=self.mission)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(placed)s meetings placed, %(kept)s kept where they were.")
                % {"placed": len(report.placed), "kept": report.kept},
            )
            if report.unplaced:
                messages.warning(
                    request,
                    _("%(n)s accepted meetings found no free time: %(which)s.")
                    % {
                        "n": len(report.unplaced),
                        "which": "; ".join(str(m) for m in report.unplaced[:20]),
                    },
                )
        return redirect(_meetings_url(self.mission.pk))


class MeetingSettingsView(ConflictCheckMixin, MissionMeetingsMixin, FormView):
    """How the meetings are laid out: their length, the day's hours, the tables."""

    template_name = "form_page.html"
    form_class = MeetingSettingsForm

    def get_form_kwargs(self):
        if not self.organiser:
            raise PermissionDenied
        return {**super().get_form_kwargs(), "instance": Mission.objects.get(pk=self.mission.pk)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("B2B meeting settings"), cancel_url=_meetings_url(self.mission.pk), **kwargs
        )

    def form_valid(self, form):
        mission = Mission.objects.select_related("partnership").get(pk=self.mission.pk)
        try:
            mission_services.mission_save(
                actor=self.request.user,
                partnership=mission.partnership,
                mission=mission,
                **{name: form.cleaned_data[name] for name in mission_services.MEETING_SETTINGS},
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The B2B meeting settings are saved."))
        return redirect(_meetings_url(self.mission.pk))


# --- forms of one participant, counterpart or meeting ---------------------------------------------


class ObjectFormPage(ConflictCheckMixin, LoginRequiredMixin, FormView):
    """A form about one object of a mission's meetings: ``load`` finds it among those the user
    sees (else 404) and checks the rule (else 403)."""

    template_name = "form_page.html"
    title = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.load(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def load(self, user, pk):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title,
            partnership=self.mission.partnership,
            cancel_url=_meetings_url(self.mission.pk),
            **kwargs,
        )

    def done(self, message):
        messages.success(self.request, message)
        return redirect(_meetings_url(self.mission.pk))


class MeetingProfileView(ObjectFormPage):
    """What a participant offers and seeks: its side (``can_change_participation``)."""

    form_class = MeetingProfileForm

    def load(self, user, pk):
        self.participation = selectors.participation_for_agenda(user, pk)
        if self.participation is None:
            raise Http404
        self.mission = self.participation.mission
        if not sees_meetings_of(user, self.mission):
            raise PermissionDenied
        if not can_change_participation(user, self.participation):
            raise PermissionDenied
        self.title = _("Offers and seeks of %(p)s") % {
            "p": self.participation.member or self.participation.cluster
        }

    def get_form_kwargs(self):
        profile = MeetingProfile.objects.filter(participation=self.participation).first()
        return {
            **super().get_form_kwargs(),
            "instance": profile or MeetingProfile(participation=self.participation),
        }

    def form_valid(self, form):
        try:
            services.meeting_profile_save(
                actor=self.request.user,
                participation=self.participation,
                offers=form.cleaned_data["offers"],
                seeks=form.cleaned_data["seeks"],
                competences=form.cleaned_data["competences"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        return self.done(_("The offers and seeks are saved."))


class CounterpartView(ObjectFormPage):
    """A local counterpart, entered or corrected by the organiser's side: ``pk`` is the
    mission's (a new counterpart) or the counterpart's (``edit``)."""

    form_class = LocalCounterpartForm
    edit = False
    counterpart = None

    def load(self, user, pk):
        if self.edit:
            self.counterpart = get_object_or_404(
                LocalCounterpart.objects.visible_to(user).select_related("mission__partnership"),
                pk=pk,
            )
            self.mission = self.counterpart.mission
        else:
            self.mission = get_object_or_404(selectors.missions_with_meeting_figures(user), pk=pk)
            if not getattr(self.mission, INSIDER):
                raise Http404
        if not organises_meetings(user, self.mission):
            raise PermissionDenied
        self.title = _("Edit local counterpart") if self.edit else _("New local counterpart")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.counterpart is not None:
            kwargs["instance"] = LocalCounterpart.objects.get(pk=self.counterpart.pk)
        else:
            kwargs["initial"] = {"country": self.mission.country}
        return kwargs

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in services.COUNTERPART_FIELDS}
        try:
            services.counterpart_save(
                actor=self.request.user,
                mission=self.mission,
                counterpart=self.counterpart,
                **fields,
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        return self.done(_("The local counterpart is saved."))


class FollowUpView(ObjectFormPage):
    """Whether a meeting took place and what came of it: either side."""

    form_class = FollowUpForm
    template_name = "missions/follow_up.html"

    def load(self, user, pk):
        self.meeting = selectors.meeting_for_page(user, pk)
        if self.meeting is None:
            raise Http404
        self.mission = self.meeting.mission
        if not can_follow_up_meeting(user, self.meeting):
            raise PermissionDenied
        self.title = _("After the meeting: %(m)s") % {"m": self.meeting}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Meeting.objects.get(pk=self.meeting.pk)}

    def get_context_data(self, **kwargs):
        outcome = getattr(self.meeting, "outcome", None) if self.meeting.pk else None
        return super().get_context_data(
            meeting=self.meeting,
            zone=scheduling.mission_zone(self.mission),
            outcome=outcome,
            can_record_outcome=can_turn_into_outcome(self.request.user, self.meeting),
            turnable=bool(self.meeting.took_place)
            and self.meeting.follow_up in Meeting.OUTCOME_KINDS,
            **kwargs,
        )

    def form_valid(self, form):
        meeting = Meeting.objects.select_related("mission").get(pk=self.meeting.pk)
        try:
            services.meeting_follow_up(
                actor=self.request.user,
                meeting=meeting,
                **{name: form.cleaned_data[name] for name in services.FOLLOW_UP_FIELDS},
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The follow-up is saved."))
        return redirect(reverse("missions:meeting_follow_up_edit", args=[meeting.pk]))
