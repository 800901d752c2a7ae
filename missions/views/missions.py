"""Pages of missions: the calendar across partnerships, a mission with its registrations,
outcomes and export groups, and the calendar feeds."""

import re
from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

from escp_portal.accounts.models import User
from escp_portal.accounts.policy import INSIDER, coordinates
from escp_portal.forms import add_validation_error
from escp_portal.pages import ConflictCheckMixin, InsiderMixin
from escp_portal.sorting import Column, SortableListMixin
from partnerships.models import Member

from .. import exports, selectors
from ..filters import MissionFilterSet
from ..forms import ExportGroupForm, MissionForm, OutcomeForm, RegisterForm
from ..models import Mission, Participation
from ..rules import can_change_participation, can_name_members, can_register_for
from ..services import missions as services


def _month(value: str | None) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        date(year, month, 1)
        if not 2 <= year <= 9998:  # previous and next months must exist too
            raise ValueError
        return year, month
    except (TypeError, ValueError):
        return today.year, today.month


LIST_PAGE_SIZE = 50


class MissionCalendarView(LoginRequiredMixin, SortableListMixin, FilterView):
    """Missions of every partnership the user may see: a month grid or a list (sortable on
    the dates and the country)."""

    sort_columns = {
        "start_date": Column(gettext_lazy("Dates"), ("start_date", "pk")),
        "country": Column(gettext_lazy("Where"), ("country", "start_date", "pk")),
    }
    default_sort = "start_date"

    filterset_class = MissionFilterSet
    template_name = "missions/calendar.html"
    strict = True

    def _view(self) -> str:
        return "list" if self.request.GET.get("view") == "list" else "month"

    def get_paginate_by(self, queryset):
        # The month reads only its own missions; the list of all of them comes in pages.
        return LIST_PAGE_SIZE if self._view() == "list" else None

    def get_queryset(self):
        return selectors.calendar_missions(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        view = self._view()
        year, month = _month(self.request.GET.get("month"))
        weeks = None
        if view == "month":
            matching = context["object_list"]  # filtered, not read yet
            if not self.request.GET.get("month"):
                year, month = selectors.opening_month(matching, timezone.localdate())
            missions = selectors.missions_in_month(matching, year, month)
            weeks = selectors.month_grid(year, month, missions)
        else:
            missions = context["object_list"]
        query = self.request.GET.copy()
        query.pop("month", None)
        query.pop("page", None)
        previous = date(year - (month == 1), (month - 2) % 12 + 1, 1)
        following = date(year + (month == 12), month % 12 + 1, 1)
        context.update(
            view=view,
            missions=missions,
            month=date(year, month, 1),
            previous=previous,
            following=following,
            query=query.urlencode(),
            weeks=weeks,
            feed_token=self.request.user.calendar_token,
        )
        return context


class OverlapView(LoginRequiredMixin, TemplateView):
    """Where two partnerships plan to go to the same country in the same weeks."""

    template_name = "missions/overlaps.html"

    def get_context_data(self, **kwargs):
        overlaps = selectors.overlaps_seen_by(
            self.request.user, past=bool(self.request.GET.get("all"))
        )
        return super().get_context_data(overlaps=overlaps, days=selectors.OVERLAP_DAYS, **kwargs)


class MissionDetailView(LoginRequiredMixin, TemplateView):
    template_name = "missions/mission_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.mission = get_object_or_404(
            selectors.missions_with_places(request.user), pk=kwargs["pk"]
        )
        self.insider = getattr(self.mission, INSIDER)
        self.coordinator = coordinates(request.user, self.mission.partnership_id)
        return super().dispatch(request, *args, **kwargs)

    def registrable_members(self):
        if not self.insider:
            return Member.objects.none()
        return selectors.registrable_members(self.request.user, self.mission)

    def get_context_data(self, form=None, **kwargs):
        user = self.request.user
        names_visible = self.insider and can_name_members(user, self.mission.partnership_id)
        participations = selectors.registrations(self.mission) if names_visible else []
        for p in participations:
            p.can_change = can_change_participation(user, p)
        if form is None and can_register_for(user, self.mission):
            form = RegisterForm(members=self.registrable_members())
        return super().get_context_data(
            mission=self.mission,
            insider=self.insider,
            names_visible=names_visible,
            coordinator=self.coordinator,
            participations=participations,
            form=form,
            outcomes=self.mission.outcomes.all() if self.insider else [],
            **kwargs,
        )

    def post(self, request, pk):
        if not self.insider:
            raise Http404
        form = RegisterForm(request.POST, members=self.registrable_members())
        if form.is_valid():
            try:
                participation = services.participation_register(
                    actor=request.user,
                    mission=self.mission,
                    member=form.cleaned_data["member"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                if participation.status == Participation.Status.WAITING:
                    messages.warning(
                        request,
                        _("The mission is full: %(m)s is on the waiting list.")
                        % {"m": participation.member},
                    )
                else:
                    messages.success(
                        request, _("%(m)s is registered.") % {"m": participation.member}
                    )
                return redirect(self.mission)
        return self.render_to_response(self.get_context_data(form=form))


class ParticipationActionView(LoginRequiredMixin, View):
    def post(self, request, pk, action):
        participation = get_object_or_404(
            Participation.objects.visible_to(request.user).select_related("mission"), pk=pk
        )
        try:
            if action == "confirm":
                services.participation_confirm(actor=request.user, participation=participation)
                messages.success(request, _("The registration is confirmed."))
            elif action == "cancel":
                promoted = services.participation_cancel(
                    actor=request.user, participation=participation
                )
                messages.success(request, _("The registration is cancelled."))
                if promoted:
                    messages.info(
                        request,
                        _("%(m)s moved up from the waiting list.")
                        % {"m": promoted.member or promoted.cluster},
                    )
            elif action == "attended":
                services.participation_attended(actor=request.user, participation=participation)
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(participation.mission)


class MissionFormView(ConflictCheckMixin, InsiderMixin, FormView):
    template_name = "form_page.html"
    form_class = MissionForm
    mission = None

    def get_partnership(self):
        if "mission_pk" in self.kwargs:
            self.mission = get_object_or_404(
                Mission.objects.visible_to(self.request.user).select_related("partnership"),
                pk=self.kwargs["mission_pk"],
            )
            return self.mission.partnership
        return super().get_partnership()

    def get_form_kwargs(self):
        self.require_coordinator()
        return {
            **super().get_form_kwargs(),
            "partnership": self.partnership,
            "instance": self.mission,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Edit mission") if self.mission else _("New mission"),
            cancel_url=self.mission.get_absolute_url()
            if self.mission
            else reverse("missions:calendar"),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            mission = services.mission_save(
                actor=self.request.user,
                partnership=self.partnership,
                mission=self.mission,
                **{name: form.cleaned_data[name] for name in services.MISSION_FIELDS},
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The mission was saved."))
        return redirect(mission)


class MemberRecordsView(ConflictCheckMixin, InsiderMixin, FormView):
    """A partnership's records that name members (outcomes, export groups), and the form that
    adds one through the service ``save``. EC officers see how many members, not which."""

    service_fields = ()
    saved_message = ""

    def save(self, **data):
        raise NotImplementedError

    def get_form_kwargs(self):
        members = selectors.nameable_members(self.request.user, self.partnership)
        return {**super().get_form_kwargs(), "members": members, "partnership": self.partnership}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            names_visible=can_name_members(self.request.user, self.partnership.pk), **kwargs
        )

    def form_valid(self, form):
        try:
            self.save(
                actor=self.request.user,
                partnership=self.partnership,
                members=form.cleaned_data["members"],
                **{name: form.cleaned_data[name] for name in self.service_fields},
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.saved_message)
        return redirect(self.request.path)


class OutcomeListView(MemberRecordsView):
    template_name = "missions/outcomes.html"
    form_class = OutcomeForm
    service_fields = services.OUTCOME_FIELDS
    saved_message = gettext_lazy("The outcome was recorded.")
    save = staticmethod(services.outcome_save)

    def get_context_data(self, **kwargs):
        outcomes = selectors.outcomes_of(self.partnership)
        return super().get_context_data(outcomes=outcomes, **kwargs)


class ExportGroupListView(MemberRecordsView):
    template_name = "missions/export_groups.html"
    form_class = ExportGroupForm
    service_fields = services.EXPORT_GROUP_FIELDS
    saved_message = gettext_lazy("The export group was saved.")
    save = staticmethod(services.export_group_save)

    def get_context_data(self, **kwargs):
        groups = selectors.export_groups_of(self.partnership)
        sections = selectors.export_group_sections(self.partnership, self.request.user)
        return super().get_context_data(groups=groups, sections=sections, **kwargs)


class MissionIcsView(LoginRequiredMixin, View):
    def get(self, request, pk):
        mission = get_object_or_404(
            Mission.objects.visible_to(request.user).select_related("partnership"), pk=pk
        )
        return exports.ics_response([mission], mission.title, f"mission-{pk}")


class FeedView(View):
    """A user's calendar feed (their partnerships' missions), or one partnership's, addressed
    by the user's secret feed key so that calendar programs can subscribe without a login."""

    def get(self, request, token, pk=None):
        if not re.fullmatch(r"[A-Za-z0-9_-]{20,64}", token):
            raise Http404
        user = get_object_or_404(User, calendar_token=token, is_active=True)
        if pk is None:
            # The missions of the user's own partnerships, not the whole common database.
            missions = selectors.feed_missions(user)
            name = _("My missions")
        else:
            partnership = get_object_or_404(selectors.feed_partnerships(user), pk=pk)
            if not getattr(partnership, INSIDER):
                raise Http404
            missions = selectors.feed_missions(user, partnership)
            name = _("Missions of %(p)s") % {"p": partnership.acronym}
        return exports.ics_response(missions, str(name), "missions")
