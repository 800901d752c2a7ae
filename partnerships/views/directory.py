"""The public directory: the list of partnerships and the cluster organisations (their list,
their page, and the profile their managers keep)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView

from escp_portal.accounts.policy import can_create, can_edit
from escp_portal.forms import add_validation_error
from escp_portal.maps import country_map
from escp_portal.pages import ConflictCheckMixin, ForgivingPaginationMixin
from escp_portal.sorting import Column, SortableListMixin

from .. import selectors
from ..filters import ClusterFilterSet, PartnershipFilterSet
from ..forms import ClusterForm
from ..models import ClusterOrganisation, Partnership
from ..rules import can_view_member_figures, can_view_members
from ..services import partnerships as services


class PartnershipListView(SortableListMixin, ForgivingPaginationMixin, FilterView):
    model = Partnership
    sort_columns = {
        "acronym": Column(gettext_lazy("Acronym"), ("acronym", "generation", "pk")),
        "name": Column(gettext_lazy("Name"), ("name", "pk")),
    }
    default_sort = "acronym"
    filterset_class = PartnershipFilterSet
    template_name = "partnerships/partnership_list.html"
    paginate_by = 25
    strict = True

    def get_queryset(self):
        return selectors.partnership_list(self.request.user)


class ClusterListView(ForgivingPaginationMixin, FilterView):
    model = ClusterOrganisation
    filterset_class = ClusterFilterSet
    template_name = "partnerships/cluster_list.html"
    paginate_by = 25
    strict = True

    def get_queryset(self):
        return selectors.clusters(self.request.user)

    def get_context_data(self, **kwargs):
        # The map follows the filters, over every page of the list: one grouped query.
        clusters_map = country_map(
            "europe",
            [(_("Cluster organisations"), selectors.clusters_by_country(self.object_list))],
            key="map-clusters",
            title=_("Cluster organisations by country"),
        )
        return super().get_context_data(
            can_add=can_create(self.request.user, ClusterOrganisation),
            clusters_map=clusters_map,
            **kwargs,
        )


class ClusterDetailView(DetailView):
    model = ClusterOrganisation
    template_name = "partnerships/cluster_detail.html"

    def get_queryset(self):
        return selectors.cluster_detail(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cluster, user = self.object, self.request.user
        context["memberships"] = selectors.cluster_partnerships(cluster, user)
        context["can_edit"] = can_edit(user, cluster)
        context["can_view_members"] = can_view_members(user, cluster)
        if can_view_member_figures(user, cluster, members_visible=context["can_view_members"]):
            context["figures"] = selectors.member_figures(cluster)
        return context


class ClusterFormView(ConflictCheckMixin, LoginRequiredMixin, FormView):
    form_class = ClusterForm
    template_name = "partnerships/cluster_form.html"
    cluster = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.cluster}

    def get_context_data(self, **kwargs):
        return super().get_context_data(cluster=self.cluster, **kwargs)

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in services.CLUSTER_FIELDS}
        try:
            if self.cluster is None:
                cluster = services.cluster_create(
                    actor=self.request.user, sectors=form.cleaned_data["sectors"], **data
                )
            else:
                cluster = services.cluster_update(
                    actor=self.request.user,
                    cluster=ClusterOrganisation.objects.get(pk=self.cluster.pk),
                    sectors=form.cleaned_data["sectors"],
                    **data,
                )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The cluster organisation was saved."))
        return redirect(cluster)


class ClusterCreateView(ClusterFormView):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not can_create(request.user, ClusterOrganisation):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ClusterUpdateView(ClusterFormView):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.cluster = get_object_or_404(
            ClusterOrganisation.objects.visible_to(request.user), pk=kwargs["pk"]
        )
        if not can_edit(request.user, self.cluster):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
