"""Pages of one partnership: its page, its coordinators' edit and its history, and its list of
partners (added, edited, removed by its coordinators)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView

from escp_portal.accounts.policy import INSIDER, can_create, can_edit, clusters_managed_by
from escp_portal.forms import add_validation_error
from escp_portal.maps import country_map
from escp_portal.pages import ConflictCheckMixin, EditObjectMixin, VisibleObjectsMixin

from .. import selectors
from ..forms import PartnerForm, PartnerInviteForm, PartnershipForm
from ..models import ClusterOrganisation, Partner, Partnership
from ..rules import can_invite_partner, can_record_partner, can_view_history
from ..services import consent
from ..services import partnerships as services


class PartnershipDetailView(DetailView):
    model = Partnership
    template_name = "partnerships/partnership_detail.html"

    def get_queryset(self):
        return selectors.partnership_detail(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partnership = self.object
        user = self.request.user
        context.update(
            # Read when the page's cached part is rendered, not when the cache has it
            # (escp_portal/fragments.py).
            shown=SimpleLazyObject(lambda: self.shown(partnership, user)),
            can_edit=can_edit(user, partnership),
            can_record_partner=can_record_partner(user, partnership),
            can_invite_partner=can_invite_partner(user, partnership),
            can_see_history=can_view_history(user, partnership),
            own_clusters=clusters_managed_by(user),
            insider=getattr(partnership, INSIDER),
        )
        return context

    @staticmethod
    def shown(partnership, user) -> dict:
        """The sectors, partners, markets and maps of the page."""
        partners = selectors.partnership_partners(partnership)
        return {
            **partners,
            "partners_map": country_map(
                "europe",
                [(_("Partner clusters"), partners["current_clusters_by_country"])],
                key="map-partners",
                title=_("Partner clusters of %(acronym)s by country")
                % {"acronym": partnership.acronym},
            ),
            "world_map": country_map(
                "world",
                selectors.partnership_country_figures(partnership, user),
                key="map-world",
                title=_("Target markets, missions and outcomes of %(acronym)s by country")
                % {"acronym": partnership.acronym},
            ),
        }


class PartnershipUpdateView(ConflictCheckMixin, LoginRequiredMixin, FormView):
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
        if not can_view_history(self.request.user, obj):
            raise PermissionDenied
        return obj

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = selectors.partnership_history(self.object)
        return context


class PartnerFormMixin(ConflictCheckMixin, LoginRequiredMixin):
    form_class = PartnerForm
    template_name = "partnerships/partner_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            partnership=self.partnership,
            can_add_cluster=can_create(self.request.user, ClusterOrganisation),
            **kwargs,
        )

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
    """Staff record a partner directly (programme data); coordinators invite a cluster, which
    becomes a partner when one of its managers accepts."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.partnership = get_object_or_404(
            Partnership.objects.visible_to(request.user), pk=kwargs["pk"]
        )
        self.records = can_record_partner(request.user, self.partnership)
        if not self.records and not can_invite_partner(request.user, self.partnership):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return PartnerForm if self.records else PartnerInviteForm

    def get_template_names(self):
        return [self.template_name if self.records else "partnerships/partner_invite.html"]

    def get_initial(self):
        return {"joined_on": self.partnership.start_date} if self.records else {}

    def form_valid(self, form):
        if self.records:
            return super().form_valid(form)
        try:
            consent.partner_invite(
                actor=self.request.user,
                partnership=self.partnership,
                cluster=form.cleaned_data["cluster"],
                role=form.cleaned_data["role"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(cluster)s was invited; it becomes a partner when one of its managers accepts.")
            % {"cluster": form.cleaned_data["cluster"]},
        )
        return redirect(self.partnership)

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
