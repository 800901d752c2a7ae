"""Pages of EU funding calls: the list (open calls; closed ones on request), one call, the form
staff and EC officers record it with, and the calls that fit a partnership."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, TemplateView
from django_filters.views import FilterView

from escp_portal.forms import add_validation_error
from escp_portal.pages import ConflictCheckMixin, ForgivingPaginationMixin, InsiderMixin

from .. import selectors
from ..filters import FundingCallFilterSet
from ..forms import FundingCallForm
from ..models import FundingCall
from ..rules import can_record_calls
from ..services import calls as services


class CallListView(LoginRequiredMixin, ForgivingPaginationMixin, FilterView):
    """The calls every signed-in user may read: the open ones, or those closed (``?closed=1``)."""

    filterset_class = FundingCallFilterSet
    template_name = "funding/call_list.html"
    paginate_by = 50

    def closed(self) -> bool:
        return self.request.GET.get("closed") == "1"

    def get_queryset(self):
        today = timezone.localdate()
        calls = FundingCall.objects.visible_to(self.request.user)
        if self.closed():
            return (
                calls.filter(deadline__lt=today)
                .prefetch_related("sectors")
                .order_by("-deadline", "-pk")
            )
        return selectors.open_calls(today, calls)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            closed=self.closed(),
            records_calls=can_record_calls(self.request.user),
            **kwargs,
        )


class CallDetailView(LoginRequiredMixin, DetailView):
    template_name = "funding/call_detail.html"
    context_object_name = "call"

    def get_queryset(self):
        return FundingCall.objects.visible_to(self.request.user).prefetch_related("sectors")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            today=timezone.localdate(),
            records_calls=can_record_calls(self.request.user),
            **kwargs,
        )


class CallFormView(ConflictCheckMixin, LoginRequiredMixin, FormView):
    """Record a call, or edit one (``pk``): staff and EC officers."""

    template_name = "form_page.html"
    form_class = FundingCallForm
    call = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if "pk" in kwargs:
            self.call = get_object_or_404(
                FundingCall.objects.visible_to(request.user), pk=kwargs["pk"]
            )
        if not can_record_calls(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.call is not None:
            kwargs["instance"] = FundingCall.objects.get(pk=self.call.pk)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Edit funding call") if self.call else _("Record a funding call"),
            cancel_url=self.call.get_absolute_url() if self.call else reverse("funding:calls"),
            **kwargs,
        )

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in services.CALL_FIELDS}
        try:
            call = services.call_save(
                actor=self.request.user,
                call=self.call,
                sectors=form.cleaned_data["sectors"],
                **data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The funding call was saved."))
        return redirect(call)


class PartnershipCallsView(InsiderMixin, TemplateView):
    """The open calls that fit a partnership, best first, each with why."""

    template_name = "funding/partnership_calls.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            matches=selectors.partnership_calls(self.partnership, today), today=today, **kwargs
        )
