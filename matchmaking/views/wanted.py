""" "We look for …" posts: the list for every signed-in user, a post with its answers, the
form to post or edit, and closing."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

from escp_portal.accounts.policy import clusters_managed_by, partnerships_coordinated_by
from escp_portal.forms import add_validation_error
from escp_portal.pages import ConflictCheckMixin, ForgivingPaginationMixin
from partnerships.models import ClusterOrganisation, Partnership

from ..filters import PartnerRequestFilterSet
from ..forms import AnswerForm, PartnerRequestForm
from ..models import PartnerRequest
from ..rules import (
    can_answer_partner_request,
    can_change_partner_request,
    can_post_partner_request,
    sees_all_answers,
)
from ..selectors import requests as selectors
from ..services import wanted as services
from .common import FindNavMixin


class PartnerRequestListView(
    LoginRequiredMixin, FindNavMixin, ForgivingPaginationMixin, FilterView
):
    """Open posts first shown; the filters reach the closed and expired ones."""

    filterset_class = PartnerRequestFilterSet
    template_name = "matchmaking/partner_requests.html"
    paginate_by = 30
    strict = False

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if "state" not in self.request.GET:
            data = self.request.GET.copy()
            data["state"] = PartnerRequest.State.OPEN
            kwargs["data"] = data
        return kwargs

    def get_queryset(self):
        return selectors.partner_requests(self.request.user)


class PostMixin(LoginRequiredMixin):
    def get_post(self):
        return get_object_or_404(
            selectors.partner_requests(self.request.user), pk=self.kwargs["pk"]
        )


class PartnerRequestFormView(ConflictCheckMixin, PostMixin, FindNavMixin, FormView):
    """Post what you look for (for a partnership you coordinate or a cluster you manage), or
    edit your post."""

    template_name = "matchmaking/partner_request_form.html"
    form_class = PartnerRequestForm
    post_obj = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if "pk" in kwargs:
            self.post_obj = self.get_post()
            if not can_change_partner_request(request.user, self.post_obj):
                raise PermissionDenied
        elif not can_post_partner_request(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        user = self.request.user
        kwargs = super().get_form_kwargs()
        if self.post_obj is not None:
            kwargs["instance"] = PartnerRequest.objects.get(pk=self.post_obj.pk)
        else:
            kwargs["choices"] = selectors.posting_choices(
                user, partnerships_coordinated_by(user), clusters_managed_by(user)
            )
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(post_obj=self.post_obj, **kwargs)

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in services.POST_FIELDS}
        poster = {}
        if self.post_obj is None:
            chosen = form.cleaned_data["posted_for"]
            if chosen.startswith("p"):
                poster["partnership"] = get_object_or_404(Partnership, pk=int(chosen[1:]))
            else:
                poster["cluster"] = get_object_or_404(ClusterOrganisation, pk=int(chosen[1:]))
        try:
            post = services.partner_request_save(
                actor=self.request.user, post=self.post_obj, **poster, **data
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your post was saved."))
        return redirect(post)


class PartnerRequestDetailView(PostMixin, FindNavMixin, TemplateView):
    template_name = "matchmaking/partner_request_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.get_post()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        user, post = self.request.user, self.object
        answering = post.is_open and can_answer_partner_request(user, post)
        return super().get_context_data(
            object=post,
            answers=selectors.answers_to(post, user),
            all_answers=sees_all_answers(user, post),
            can_change=can_change_partner_request(user, post),
            form=form or (AnswerForm() if answering else None),
            **kwargs,
        )

    def post(self, request, pk):
        if not can_answer_partner_request(request.user, self.object):
            raise PermissionDenied
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.partner_request_answer(
                    actor=request.user, post=self.object, message=form.cleaned_data["message"]
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Your answer was sent to the poster."))
                return redirect(self.object)
        return self.render_to_response(self.get_context_data(form=form))


class PartnerRequestCloseView(PostMixin, View):
    def post(self, request, pk):
        post = self.get_post()
        if not can_change_partner_request(request.user, post):
            raise PermissionDenied
        try:
            services.partner_request_close(actor=request.user, post=post)
            messages.success(request, _("The post is closed; it takes no more answers."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(post)
