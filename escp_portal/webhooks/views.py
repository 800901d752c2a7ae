"""The webhooks pages: the user's subscriptions, a form to add one, and each one's page with its
delivery log, secret and actions (resume, ping, redeliver, delete) as plain POST forms."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from escp_portal.forms import add_validation_error

from . import services
from .forms import SubscriptionForm
from .models import Delivery, Subscription


def _subscriptions(user):
    return Subscription.objects.visible_to(user)


class SubscriptionListView(LoginRequiredMixin, View):
    template_name = "webhooks/subscription_list.html"

    def get(self, request, form=None):
        return render(
            request,
            self.template_name,
            {"subscriptions": _subscriptions(request.user), "form": form or SubscriptionForm()},
        )

    def post(self, request):
        form = SubscriptionForm(request.POST)
        if form.is_valid():
            try:
                subscription = services.subscription_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                messages.success(request, _("The subscription was created."))
                return redirect("webhooks:detail", pk=subscription.pk)
        return self.get(request, form=form)


class SubscriptionDetailView(LoginRequiredMixin, View):
    template_name = "webhooks/subscription_detail.html"

    def get(self, request, pk):
        subscription = get_object_or_404(_subscriptions(request.user), pk=pk)
        log = Delivery.objects.visible_to(request.user).filter(subscription=subscription)
        page = Paginator(log, 25).get_page(request.GET.get("page"))
        return render(
            request,
            self.template_name,
            {"subscription": subscription, "page_obj": page, "deliveries": page.object_list},
        )


ACTIONS = {
    "resume": (services.subscription_resume, gettext_lazy("The subscription was resumed.")),
    "ping": (services.subscription_ping, gettext_lazy("A test event was sent.")),
    "delete": (services.subscription_delete, gettext_lazy("The subscription was deleted.")),
}


class SubscriptionActionView(LoginRequiredMixin, View):
    def post(self, request, pk, action):
        subscription = get_object_or_404(_subscriptions(request.user), pk=pk)
        if action not in ACTIONS:
            return redirect("webhooks:detail", pk=pk)
        run, done = ACTIONS[action]
        try:
            run(actor=request.user, subscription=subscription)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("webhooks:detail", pk=pk)
        messages.success(request, done)
        if action == "delete":
            return redirect("webhooks:list")
        return redirect("webhooks:detail", pk=pk)


class RedeliverView(LoginRequiredMixin, View):
    def post(self, request, pk, delivery_id):
        subscription = get_object_or_404(_subscriptions(request.user), pk=pk)
        delivery = get_object_or_404(
            Delivery.objects.visible_to(request.user).filter(subscription=subscription),
            pk=delivery_id,
        )
        try:
            services.delivery_redeliver(actor=request.user, delivery=delivery)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The delivery was sent again."))
        return redirect("webhooks:detail", pk=pk)
