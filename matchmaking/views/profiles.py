"""A cluster manager's page: which members of the cluster are findable, with which fields."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from escp_portal.forms import add_validation_error
from escp_portal.pages import ConflictCheckMixin
from partnerships.models import ClusterOrganisation, Member

from ..forms import ProfileBulkForm, ProfileForm
from ..models import FindableProfile
from ..rules import can_manage_findability
from ..services import profiles as services
from .common import FindNavMixin

PAGE_SIZE = 50


class ClusterFindabilityView(ConflictCheckMixin, LoginRequiredMixin, FindNavMixin, FormView):
    """The cluster's members, 50 at a time: tick some, choose the fields, make them findable
    (or stop it). Works without JavaScript: the page is a form."""

    template_name = "matchmaking/findability.html"
    form_class = ProfileBulkForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.cluster = get_object_or_404(ClusterOrganisation, pk=kwargs["cluster_pk"])
        if not can_manage_findability(request.user, self.cluster):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def members(self):
        members = Member.objects.filter(memberships__cluster=self.cluster, erased_at__isnull=True)
        q = self.request.GET.get("q", "").strip()[:100]
        if q:
            members = members.filter(name__icontains=q)
        shown = self.request.GET.get("findable")
        if shown == "yes":
            members = members.filter(findable_profile__isnull=False)
        elif shown == "no":
            members = members.filter(findable_profile__isnull=True)
        return members

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "members": self.members()}

    def get_context_data(self, **kwargs):
        rows = self.members().select_related("findable_profile__cluster").order_by("name", "pk")
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        chosen = set()
        form = kwargs.get("form")
        if form is not None and form.is_bound:
            chosen = {str(v) for v in form.data.getlist("members")}
        return super().get_context_data(
            cluster=self.cluster,
            page_obj=page,
            chosen=chosen,
            query=self.request.GET.get("q", "")[:100],
            findable=self.request.GET.get("findable", ""),
            flag_names=FindableProfile.SHOW_FLAGS,
            **kwargs,
        )

    def form_valid(self, form):
        members = form.cleaned_data["members"]
        try:
            if form.cleaned_data["action"] == "end":
                ended = services.profiles_end(
                    actor=self.request.user, cluster=self.cluster, members=members
                )
                messages.success(
                    self.request, _("%(n)s members are no longer findable.") % {"n": ended}
                )
            else:
                counts = services.profiles_set(
                    actor=self.request.user, cluster=self.cluster, members=members, **form.flags()
                )
                messages.success(
                    self.request,
                    _(
                        "%(created)s members made findable, %(updated)s changed, %(skipped)s left "
                        "as they were."
                    )
                    % counts,
                )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        return redirect(self.request.get_full_path())


class ProfileEditView(ConflictCheckMixin, LoginRequiredMixin, FormView):
    """One findable member's profile: the fields it shows, or the end of its findability."""

    template_name = "matchmaking/profile_form.html"
    form_class = ProfileForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.profile = get_object_or_404(
            FindableProfile.objects.visible_to(request.user).select_related("member", "cluster"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        instance = FindableProfile.objects.get(pk=self.profile.pk)
        return {**super().get_form_kwargs(), "instance": instance}

    def get_context_data(self, **kwargs):
        return super().get_context_data(profile=self.profile, **kwargs)

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "end":
            services.profile_end(actor=request.user, profile=self.profile)
            messages.success(request, _("%(m)s is no longer findable.") % {"m": self.profile})
            return redirect("matchmaking:findability", cluster_pk=self.profile.cluster_id)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.profile_update(
                actor=self.request.user,
                profile=self.profile,
                **{name: form.cleaned_data[name] for name in FindableProfile.SHOW_FLAGS},
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The profile was saved."))
        return redirect("matchmaking:findability", cluster_pk=self.profile.cluster_id)
