from collections import defaultdict
from functools import partial
from itertools import groupby

from auditlog.models import LogEntry, _get_manager_from_settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.encoding import smart_str
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView

from escp_portal.accounts.policy import (
    INSIDER,
    can_create,
    can_edit,
    scope_for,
    visible_to,
    with_insider,
)
from escp_portal.forms import add_validation_error
from escp_portal.pages import (
    EditObjectMixin,
    ForgivingPaginationMixin,
    VisibleObjectsMixin,
)
from partnerships.rules import can_view_members

from . import services
from .filters import ClusterFilterSet, PartnershipFilterSet
from .forms import ClusterForm, PartnerForm, PartnershipForm
from .models import ClusterOrganisation, Partner, Partnership
from .queries import member_figures


def _partners_by_country(partners):
    rows = sorted(partners, key=lambda p: (p.cluster.country.name, p.cluster.name))
    return [(country, list(group)) for country, group in groupby(rows, lambda p: p.cluster.country)]


class PartnershipListView(ForgivingPaginationMixin, VisibleObjectsMixin, FilterView):
    model = Partnership
    filterset_class = PartnershipFilterSet
    template_name = "partnerships/partnership_list.html"
    paginate_by = 25
    strict = True

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("programme")
            .prefetch_related(
                Prefetch(
                    "partners",
                    queryset=Partner.objects.select_related("cluster").order_by("cluster__country"),
                )
            )
            .annotate(partner_count=Count("partners"))
            .order_by("acronym", "generation")
        )


class PartnershipDetailView(VisibleObjectsMixin, DetailView):
    model = Partnership
    template_name = "partnerships/partnership_detail.html"

    def get_queryset(self):
        queryset = (
            super()
            .get_queryset()
            .select_related("programme")
            .prefetch_related(
                "sectors",
                "target_markets",
                Prefetch("partners", queryset=Partner.objects.select_related("cluster")),
            )
        )
        return with_insider(queryset, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partnership = self.object
        user = self.request.user
        partners = list(partnership.partners.all())
        scope = scope_for(user)
        context.update(
            partners=partners,
            current_partners=[p for p in partners if p.is_current],
            partners_by_country=_partners_by_country(partners),
            country_count=len({p.cluster.country.code for p in partners}),
            can_edit=can_edit(user, partnership),
            can_see_history=can_edit(user, partnership) or scope.reads_everything,
            insider=getattr(partnership, INSIDER),
            target_countries=[m.country for m in partnership.target_markets.all()],
        )
        return context


class PartnershipUpdateView(LoginRequiredMixin, FormView):
    """The coordinator edits their partnership; the service validates and records the change."""

    form_class = PartnershipForm
    template_name = "partnerships/partnership_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = get_object_or_404(
            Partnership.objects.visible_to(request.user), pk=kwargs["pk"]
        )
        if not can_edit(request.user, self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(partnership=self.object, **kwargs)

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in services.PARTNERSHIP_COORDINATOR_FIELDS}
        partnership = Partnership.objects.get(pk=self.object.pk)
        try:
            services.partnership_update(
                actor=self.request.user,
                partnership=partnership,
                sectors=form.cleaned_data["sectors"],
                **data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The partnership was saved."))
        return redirect(partnership)


class PartnershipHistoryView(LoginRequiredMixin, VisibleObjectsMixin, DetailView):
    """Who changed what, and when, in a partnership and its list of partners."""

    model = Partnership
    template_name = "partnerships/partnership_history.html"

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not (can_edit(self.request.user, obj) or scope_for(self.request.user).reads_everything):
            raise PermissionDenied
        return obj

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        types = ContentType.objects.get_for_models(Partnership, Partner)
        entries = (
            LogEntry.objects.filter(
                Q(content_type=types[Partnership], object_pk=str(self.object.pk))
                | Q(
                    content_type=types[Partner],
                    additional_data__partnership_id=self.object.pk,
                )
            )
            .select_related("actor", "content_type")
            .order_by("-timestamp")[:200]
        )
        context["entries"] = with_related_names(entries)
        return context


def with_related_names(entries):
    """Log entries whose ``changes_display_dict`` names the objects their foreign keys point
    at from one query per model, where auditlog would ask once per key and entry."""
    entries = list(entries)
    wanted = defaultdict(set)
    for entry in entries:
        for field, value in _foreign_key_changes(entry):
            wanted[field.related_model].add(value)
    names = {
        model: {
            obj.pk: smart_str(obj) for obj in _get_manager_from_settings(model).filter(pk__in=pks)
        }
        for model, pks in wanted.items()
    }
    for entry in entries:
        entry._get_changes_display_for_fk_field = partial(_foreign_key_display, names)
    return entries


def _foreign_key_changes(entry):
    """(field, primary key) of every foreign key value in the entry's changes."""
    model = entry.content_type.model_class()
    if model is None:
        return
    for name, values in entry.changes_dict.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if getattr(field, "choices", None) or not field.is_relation:
            continue
        if field.get_internal_type() not in ("ForeignKey", "OneToOneField"):
            continue
        for value in values:
            if value == "None":
                continue
            try:
                yield field, field.related_model._meta.pk.to_python(value)
            except ValidationError:
                continue


def _foreign_key_display(names, field, value):
    """What ``LogEntry._get_changes_display_for_fk_field`` answers, from the names at hand."""
    if value == "None":
        return value
    try:
        pk = field.related_model._meta.pk.to_python(value)
    except ValidationError:
        return value
    try:
        return names[field.related_model][pk]
    except KeyError:
        return f"Deleted '{field.related_model.__name__}' ({value})"


class PartnerFormMixin(LoginRequiredMixin):
    form_class = PartnerForm
    template_name = "partnerships/partner_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(partnership=self.partnership, **kwargs)

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.save(form)
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The list of partners was saved."))
        return redirect(self.partnership)


class PartnerCreateView(PartnerFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.partnership = get_object_or_404(
            Partnership.objects.visible_to(request.user), pk=kwargs["pk"]
        )
        if not can_create(request.user, Partner, self.partnership):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"joined_on": self.partnership.start_date}

    def save(self, form):
        data = {name: form.cleaned_data[name] for name in services.PARTNER_FIELDS}
        services.partner_add(
            actor=self.request.user,
            partnership=self.partnership,
            cluster=form.cleaned_data["cluster"],
            **data,
        )


class PartnerUpdateView(PartnerFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.partner = get_object_or_404(
            Partner.objects.visible_to(request.user).select_related("partnership", "cluster"),
            pk=kwargs["pk"],
        )
        if not can_edit(request.user, self.partner):
            raise PermissionDenied
        self.partnership = self.partner.partnership
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Partner.objects.get(pk=self.partner.pk)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(partner=self.partner, **kwargs)

    def save(self, form):
        data = {name: form.cleaned_data[name] for name in services.PARTNER_FIELDS}
        services.partner_update(actor=self.request.user, partner=self.partner, **data)


class PartnerDeleteView(EditObjectMixin, DetailView):
    model = Partner
    template_name = "partnerships/partner_confirm_delete.html"

    def get_queryset(self):
        return super().get_queryset().select_related("partnership", "cluster")

    def post(self, request, *args, **kwargs):
        partner = self.get_object()
        try:
            services.partner_remove(actor=request.user, partner=partner)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("partnerships:partner_edit", pk=partner.pk)
        messages.success(
            request,
            _("%(cluster)s is no longer listed as a partner.") % {"cluster": partner.cluster},
        )
        return redirect(partner.partnership)


class ClusterListView(ForgivingPaginationMixin, VisibleObjectsMixin, FilterView):
    model = ClusterOrganisation
    filterset_class = ClusterFilterSet
    template_name = "partnerships/cluster_list.html"
    paginate_by = 25
    strict = True

    def get_queryset(self):
        visible = visible_to(Partner.objects.all(), self.request.user)
        return (
            super()
            .get_queryset()
            .annotate(
                partnership_count=Count(
                    "partnerships_joined", filter=Q(partnerships_joined__in=visible)
                )
            )
            .order_by("name")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_add=can_create(self.request.user, ClusterOrganisation), **kwargs
        )


class ClusterDetailView(VisibleObjectsMixin, DetailView):
    model = ClusterOrganisation
    template_name = "partnerships/cluster_detail.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("sectors")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = (
            Partner.objects.visible_to(self.request.user)
            .filter(cluster=self.object)
            .select_related("partnership__programme")
            .order_by("partnership__acronym")
        )
        user = self.request.user
        context["can_edit"] = can_edit(user, self.object)
        context["can_view_members"] = can_view_members(user, self.object)
        # can_view_member_figures, without asking the database twice.
        if context["can_view_members"] or scope_for(user).reads_everything:
            context["figures"] = member_figures(self.object)
        return context


class ClusterFormView(LoginRequiredMixin, FormView):
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
