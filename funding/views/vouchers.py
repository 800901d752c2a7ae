"""Pages of voucher schemes: a partnership's schemes, one scheme with its ledger and the grant
form, the scheme's edit form, a voucher's status, the ledger as a file."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from escp_portal.forms import add_validation_error
from escp_portal.pages import ConflictCheckMixin, FormPage, InsiderMixin, ObjectMixin

from .. import exports, selectors
from ..filters import VoucherFilterSet
from ..forms import GrantForm, VoucherSchemeForm, VoucherStatusForm
from ..models import Voucher, VoucherScheme
from ..rules import can_manage_schemes, names_voucher_members
from ..services import vouchers as services

LEDGER_PAGE = 100


class SchemeListView(ConflictCheckMixin, InsiderMixin, FormView):
    """A partnership's voucher schemes with their figures; its coordinators add one."""

    template_name = "funding/schemes.html"
    form_class = VoucherSchemeForm

    def post(self, request, *args, **kwargs):
        self.require_coordinator()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        schemes = selectors.schemes_of(self.partnership, self.request.user)
        return super().get_context_data(schemes=schemes, **kwargs)

    def form_valid(self, form):
        try:
            scheme = services.scheme_save(
                actor=self.request.user,
                partnership=self.partnership,
                **{name: form.cleaned_data[name] for name in services.SCHEME_FIELDS},
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The voucher scheme was created."))
        return redirect(scheme)


class SchemeMixin(ObjectMixin):
    model = VoucherScheme
    related = ("partnership",)

    def object_queryset(self):
        return selectors.with_figures(super().object_queryset())


class SchemeDetailView(ConflictCheckMixin, SchemeMixin, FormView):
    """A scheme: its budget and the share for SMEs, the ledger, and the grant form."""

    template_name = "funding/scheme_detail.html"
    form_class = GrantForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "members": selectors.grantable_members(self.object)}

    def post(self, request, *args, **kwargs):
        if not can_manage_schemes(request.user, self.partnership.pk):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        filterset = VoucherFilterSet(
            self.request.GET,
            queryset=selectors.ledger(user, self.object),
            request=self.request,
        )
        vouchers = list(filterset.qs[:LEDGER_PAGE]) if filterset.is_valid() else []
        manages = can_manage_schemes(user, self.partnership.pk)
        context = super().get_context_data(
            scheme=self.object,
            figures=selectors.figures_of(self.object),
            filter=filterset,
            vouchers=vouchers,
            ledger_cut=len(vouchers) == LEDGER_PAGE,
            names_visible=names_voucher_members(user, self.partnership.pk),
            manages=manages,
            status_form=VoucherStatusForm() if manages else None,
            **kwargs,
        )
        if not manages:
            context.pop("form", None)
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.voucher_grant(
                actor=self.request.user,
                scheme=self.object,
                member=data["member"],
                **{n: data[n] for n in services.GRANT_FIELDS if data.get(n) is not None},
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The voucher was granted."))
        return redirect(self.object)


class SchemeEditView(SchemeMixin, FormPage):
    form_class = VoucherSchemeForm
    title = gettext_lazy("Edit voucher scheme")
    saved_message = gettext_lazy("The voucher scheme was saved.")
    edits_object = True
    coordinators_only = True

    def get_cancel_url(self):
        return self.object.get_absolute_url()

    def save(self, form):
        return services.scheme_save(
            actor=self.request.user,
            partnership=self.partnership,
            scheme=self.object,
            **{name: form.cleaned_data[name] for name in services.SCHEME_FIELDS},
        )


class VoucherStatusView(LoginRequiredMixin, View):
    def post(self, request, pk):
        voucher = get_object_or_404(
            Voucher.objects.visible_to(request.user).select_related("scheme"), pk=pk
        )
        form = VoucherStatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose paid or cancelled."))
            return redirect(voucher.scheme)
        try:
            services.voucher_set_status(
                actor=request.user, voucher=voucher, status=form.cleaned_data["status"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The voucher's status was changed."))
        return redirect(voucher.scheme)


class LedgerExportView(SchemeMixin, View):
    """The ledger as the user may read it, as CSV or XLSX (formula-safe)."""

    def get(self, request, pk, fmt):
        if fmt not in exports.CONTENT_TYPES:
            raise Http404
        filterset = VoucherFilterSet(
            request.GET,
            queryset=selectors.ledger(request.user, self.object),
            request=request,
        )
        vouchers = filterset.qs if filterset.is_valid() else Voucher.objects.none()
        body = exports.ledger_file(
            self.object,
            vouchers,
            fmt,
            names_visible=names_voucher_members(request.user, self.partnership.pk),
        )
        response = HttpResponse(body, content_type=exports.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="vouchers-{self.object.pk}.{fmt}"'
        return response
