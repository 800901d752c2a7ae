"""Pages of missions: the calendar across partnerships, a mission with its registrations,
outcomes and export groups, and the calendar feeds."""

import re
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

from escp_portal.accounts.models import User
from escp_portal.accounts.policy import (
    INSIDER,
    coordinates,
    insider_q,
    partner_clusters_of,
    scope_for,
    with_insider,
)
from escp_portal.forms import add_validation_error
from escp_portal.pages import InsiderMixin
from partnerships.models import Member, Partnership

from . import ics, queries, services
from .filters import MissionFilterSet
from .forms import ExportGroupForm, MissionForm, OutcomeForm, RegisterForm
from .models import ExportGroup, Mission, Outcome, Participation


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


class MissionCalendarView(LoginRequiredMixin, FilterView):
    """Missions of every partnership the user may see: a month grid or a list."""

    filterset_class = MissionFilterSet
    template_name = "missions/calendar.html"
    strict = True

    def _view(self) -> str:
        return "list" if self.request.GET.get("view") == "list" else "month"

    def get_paginate_by(self, queryset):
        # The month reads only its own missions; the list of all of them comes in pages.
        return LIST_PAGE_SIZE if self._view() == "list" else None

    def get_queryset(self):
        return (
            queries.places(Mission.objects.visible_to(self.request.user))
            .select_related("partnership")
            .order_by("start_date", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        view = self._view()
        year, month = _month(self.request.GET.get("month"))
        weeks = None
        if view == "month":
            matching = context["object_list"]  # filtered, not read yet
            if not self.request.GET.get("month"):
                span = matching.order_by().aggregate(
                    last_end=Max("end_date"), latest=Max("start_date")
                )
                if span["latest"] and span["last_end"] < timezone.localdate():
                    # Nothing ahead: open on the month of the latest mission, not an empty one.
                    year, month = span["latest"].year, span["latest"].month
            first = date(year, month, 1)
            last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
            missions = list(matching.filter(start_date__lte=last, end_date__gte=first))
            weeks = queries.month_grid(year, month, missions)
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
        missions = Mission.objects.visible_to(self.request.user)
        if not self.request.GET.get("all"):
            missions = missions.filter(end_date__gte=timezone.localdate())
        return super().get_context_data(
            overlaps=queries.overlaps(missions), days=queries.OVERLAP_DAYS, **kwargs
        )


class MissionDetailView(LoginRequiredMixin, TemplateView):
    template_name = "missions/mission_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        missions = queries.places(Mission.objects.visible_to(request.user)).select_related(
            "partnership", "organiser__cluster"
        )
        self.mission = get_object_or_404(
            with_insider(missions, request.user, "partnership_id"), pk=kwargs["pk"]
        )
        self.insider = getattr(self.mission, INSIDER)
        self.coordinator = coordinates(request.user, self.mission.partnership_id)
        return super().dispatch(request, *args, **kwargs)

    def registrable_members(self):
        """Members of partner clusters the user may register for, not yet registered."""
        clusters = partner_clusters_of([self.mission.partnership_id])
        if not self.coordinator:
            clusters = clusters.filter(cluster_id__in=scope_for(self.request.user).managed_clusters)
        taken = self.mission.participations.exclude(member=None).values("member")
        return (
            Member.objects.filter(memberships__cluster__in=clusters, erased_at__isnull=True)
            .exclude(pk__in=taken)
            .distinct()
            .order_by("name")
        )

    def get_context_data(self, form=None, **kwargs):
        user = self.request.user
        participations = []
        self.names_visible = self.insider and not services.reads_figures_only(
            user, self.mission.partnership_id
        )
        if self.names_visible:
            participations = list(
                self.mission.participations.select_related("member", "cluster").order_by(
                    "status", "registered_at"
                )
            )
        for p in participations:
            p.can_change = services.may_register(user, self.mission, p.cluster_id)
        scope = scope_for(user)
        members = self.registrable_members() if self.insider else Member.objects.none()
        can_register = self.insider and (self.coordinator or scope.is_cluster_manager)
        return super().get_context_data(
            mission=self.mission,
            insider=self.insider,
            names_visible=self.names_visible,
            coordinator=self.coordinator,
            participations=participations,
            form=form or (RegisterForm(members=members) if can_register else None),
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


class MissionFormView(InsiderMixin, FormView):
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


class MemberRecordsView(InsiderMixin, FormView):
    """A partnership's records that name members (outcomes, export groups), and the form that
    adds one through the service ``save``. EC officers see how many members, not which."""

    service_fields = ()
    saved_message = ""

    def save(self, **data):
        raise NotImplementedError

    def get_form_kwargs(self):
        clusters = partner_clusters_of([self.partnership.pk])
        members = (
            Member.objects.visible_to(self.request.user)
            .filter(memberships__cluster__in=clusters, erased_at__isnull=True)
            .distinct()
            .order_by("name")
        )
        return {**super().get_form_kwargs(), "members": members}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            names_visible=not services.reads_figures_only(self.request.user, self.partnership.pk),
            **kwargs,
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

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "partnership": self.partnership}

    def get_context_data(self, **kwargs):
        outcomes = (
            Outcome.objects.filter(partnership=self.partnership)
            .select_related("mission")
            .prefetch_related("members")
        )
        return super().get_context_data(outcomes=outcomes, **kwargs)


class ExportGroupListView(MemberRecordsView):
    template_name = "missions/export_groups.html"
    form_class = ExportGroupForm
    service_fields = services.EXPORT_GROUP_FIELDS
    saved_message = gettext_lazy("The export group was saved.")
    save = staticmethod(services.export_group_save)

    def get_context_data(self, **kwargs):
        groups = ExportGroup.objects.filter(partnership=self.partnership).prefetch_related(
            "members"
        )
        return super().get_context_data(groups=groups, **kwargs)


class MissionIcsView(LoginRequiredMixin, View):
    def get(self, request, pk):
        mission = get_object_or_404(
            Mission.objects.visible_to(request.user).select_related("partnership"), pk=pk
        )
        return _ics_response(ics.calendar_for([mission], mission.title), f"mission-{pk}")


class FeedView(View):
    """A user's calendar feed (their partnerships' missions), or one partnership's, addressed
    by the user's secret feed key so that calendar programs can subscribe without a login."""

    def get(self, request, token, pk=None):
        if not re.fullmatch(r"[A-Za-z0-9_-]{20,64}", token):
            raise Http404
        user = get_object_or_404(User, calendar_token=token, is_active=True)
        missions = Mission.objects.visible_to(user).select_related("partnership")
        if pk is None:
            # The missions of the user's own partnerships, not the whole common database.
            missions = missions.filter(insider_q(scope_for(user), "partnership_id"))
            name = _("My missions")
        else:
            partnership = get_object_or_404(
                with_insider(Partnership.objects.visible_to(user), user), pk=pk
            )
            if not getattr(partnership, INSIDER):
                raise Http404
            missions = missions.filter(partnership=partnership)
            name = _("Missions of %(p)s") % {"p": partnership.acronym}
        return _ics_response(ics.calendar_for(missions, str(name)), "missions")


def _ics_response(body: bytes, stem: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{stem}.ics"'
    return response
