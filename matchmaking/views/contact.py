"""Contact requests: the form from a search result, the requester's list ("my requests"), the
managers' list ("requests to my cluster") and a request's page, where it is answered."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

from escp_portal.forms import add_validation_error
from escp_portal.pages import ConflictCheckMixin, ForgivingPaginationMixin

from ..filters import ContactRequestFilterSet
from ..forms import ContactRequestForm, DeclineForm, ForwardForm
from ..rules import can_answer_contact_request, is_requester
from ..selectors import requests as selectors
from ..services import contact as services
from .common import FindNavMixin, SearcherMixin


class ContactRequestCreateView(ConflictCheckMixin, SearcherMixin, FindNavMixin, FormView):
    """Ask the managers of a found member's cluster for a contact."""

    template_name = "matchmaking/contact_request_form.html"
    form_class = ContactRequestForm

    def dispatch(self, request, *args, **kwargs):
        self.profile = None
        if request.user.is_authenticated:
            self.profile = selectors.findable_member(kwargs["member_pk"])
            if self.profile is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(profile=self.profile, **kwargs)

    def form_valid(self, form):
        try:
            request = services.contact_request_send(
                actor=self.request.user,
                member=self.profile.member,
                purpose=form.cleaned_data["purpose"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Your request was sent to the managers of the member's cluster.")
        )
        return redirect(request)


class ContactRequestListView(
    LoginRequiredMixin, FindNavMixin, ForgivingPaginationMixin, FilterView
):
    filterset_class = ContactRequestFilterSet
    template_name = "matchmaking/contact_requests.html"
    paginate_by = 50
    strict = False
    received = False

    def get_queryset(self):
        user = self.request.user
        if self.received:
            return selectors.received_contact_requests(user)
        return selectors.sent_contact_requests(user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(received=self.received, **kwargs)


class ContactRequestDetailView(LoginRequiredMixin, FindNavMixin, TemplateView):
    """The request: to the requester what they sent and, once forwarded, the contact released;
    to the cluster's managers also the member's record contacts to choose from."""

    template_name = "matchmaking/contact_request_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = get_object_or_404(selectors.contact_requests(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, forward_form=None, decline_form=None, **kwargs):
        user, obj = self.request.user, self.object
        answers = can_answer_contact_request(user, obj)
        return super().get_context_data(
            object=obj,
            requester=is_requester(user, obj),
            answers=answers,
            forward_form=forward_form or (ForwardForm() if answers and obj.is_open else None),
            decline_form=decline_form or (DeclineForm() if answers and obj.is_open else None),
            **kwargs,
        )

    def post(self, request, pk):
        obj, action = self.object, request.POST.get("action")
        if action == "withdraw":
            if not is_requester(request.user, obj):
                raise PermissionDenied
            try:
                services.contact_request_withdraw(actor=request.user, request=obj)
                messages.success(request, _("Your request was withdrawn."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect(obj)
        if not can_answer_contact_request(request.user, obj):
            raise PermissionDenied
        if action == "forward":
            form, service = ForwardForm(request.POST), services.contact_request_forward
            context_name = "forward_form"
        elif action == "decline":
            form, service = DeclineForm(request.POST), services.contact_request_decline
            context_name = "decline_form"
        else:
            raise Http404
        if form.is_valid():
            try:
                service(actor=request.user, request=obj, **form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                forwarded = action == "forward"
                messages.success(
                    request,
                    _("The request was forwarded.")
                    if forwarded
                    else _("The request was declined."),
                )
                return redirect(obj)
        self.object = get_object_or_404(selectors.contact_requests(request.user), pk=pk)
        return self.render_to_response(self.get_context_data(**{context_name: form}))
