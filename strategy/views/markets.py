"""Pages of the target markets and their studies."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from escp_portal.forms import add_validation_error
from escp_portal.pages import ConflictCheckMixin, InsiderMixin, ObjectMixin, PartnerFormMixin

from .. import selectors, services
from ..forms import MarketStudyForm, TargetMarketForm
from ..models import TargetMarket
from .common import form_fields


class TargetMarketListView(ConflictCheckMixin, InsiderMixin, PartnerFormMixin, FormView):
    template_name = "strategy/markets.html"
    form_class = TargetMarketForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            markets=selectors.target_markets_of(self.partnership),
            **kwargs,
        )

    def form_valid(self, form):
        self.require_coordinator()
        try:
            market = services.target_market_save(
                actor=self.request.user,
                partnership=self.partnership,
                **form_fields(form, services.MARKET_FIELDS),
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        return redirect("strategy:market", pk=market.pk)


class TargetMarketView(ConflictCheckMixin, ObjectMixin, TemplateView):
    model = TargetMarket
    related = ("partnership", "lead_partner__cluster")
    template_name = "strategy/market.html"

    def get_context_data(self, market_form=None, study_form=None, **kwargs):
        study = getattr(self.object, "study", None)
        market_form = market_form or TargetMarketForm(instance=self.object)
        market_form.limit_partners(self.partnership)
        return super().get_context_data(
            market=self.object,
            study=study,
            market_form=market_form,
            study_form=study_form or MarketStudyForm(instance=study),
            **kwargs,
        )

    def post(self, request, pk):
        self.require_coordinator()
        market = TargetMarket.objects.get(pk=self.object.pk)
        if request.POST.get("form") == "study":
            form = MarketStudyForm(request.POST, instance=getattr(market, "study", None))
            if form.is_valid():
                try:
                    services.market_study_save(
                        actor=request.user,
                        market=market,
                        **form_fields(form, services.STUDY_FIELDS),
                    )
                    messages.success(request, _("The market study was saved."))
                    return redirect("strategy:market", pk=pk)
                except ValidationError as error:
                    add_validation_error(form, error)
            return self.render_to_response(self.get_context_data(study_form=form))
        form = TargetMarketForm(request.POST, instance=market)
        form.limit_partners(self.partnership)
        if form.is_valid():
            try:
                services.target_market_save(
                    actor=request.user,
                    partnership=self.partnership,
                    market=market,
                    **form_fields(form, services.MARKET_FIELDS),
                )
                messages.success(request, _("The target market was saved."))
                return redirect("strategy:market", pk=pk)
            except ValidationError as error:
                add_validation_error(form, error)
        return self.render_to_response(self.get_context_data(market_form=form))
