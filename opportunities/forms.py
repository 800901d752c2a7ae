"""Page input of brokers, opportunities, investor contacts and investment projects."""

from django import forms
from django.utils.translation import gettext_lazy as _

from escp_portal.accounts.models import User
from escp_portal.choices import searchable_formfield
from escp_portal.forms import BootstrapFormMixin, PartnerChoiceMixin, choices_from
from missions.models import Mission, Outcome
from partnerships.forms import DateInput

from .models import Broker, InvestmentProject, InvestorContact, Opportunity
from .services.brokers import AGREEMENT_KINDS, BROKER_FIELDS, OPPORTUNITY_FIELDS
from .services.investment import INVESTOR_FIELDS, PROJECT_FIELDS


class BrokerForm(PartnerChoiceMixin, BootstrapFormMixin, forms.ModelForm):
    partner_fields = ("named_by",)

    class Meta:
        model = Broker
        formfield_callback = searchable_formfield
        fields = list(BROKER_FIELDS)
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_market"].queryset = partnership.target_markets.order_by("country")
        self.fields["target_market"].label_from_instance = lambda m: m.country.name


class OpportunityForm(PartnerChoiceMixin, BootstrapFormMixin, forms.ModelForm):
    partner_fields = ("partner",)

    class Meta:
        model = Opportunity
        formfield_callback = searchable_formfield
        fields = list(OPPORTUNITY_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "next_follow_up": DateInput(),
        }

    def __init__(self, *args, partnership, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["broker"].queryset = partnership.brokers.filter(erased_at__isnull=True)
        self.fields["owner"].queryset = User.objects.filter(pk__in=[p.pk for p in people])
        choices_from(self.fields["owner"], people)
        self.fields["owner"].required = False
        if self.instance.stage != Opportunity.Stage.AGREEMENT:
            # An agreement is recorded with its outcome, on the agreement form.
            self.fields["stage"].choices = [
                c for c in self.fields["stage"].choices if c[0] != Opportunity.Stage.AGREEMENT
            ]


class AgreementForm(BootstrapFormMixin, forms.Form):
    """The agreement an opportunity reached, recorded as an outcome of the partnership."""

    creates = True
    kind = forms.ChoiceField(
        label=_("Kind of agreement"),
        choices=[(k, Outcome.Kind(k).label) for k in AGREEMENT_KINDS],
    )
    date = forms.DateField(label=_("Signed on"), widget=DateInput())
    value = forms.DecimalField(
        label=_("Value (EUR)"), required=False, min_value=0, max_digits=15, decimal_places=2
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InvestorContactForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = InvestorContact
        formfield_callback = searchable_formfield
        fields = list(INVESTOR_FIELDS)
        widgets = {"met_on": DateInput(), "interests": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Mission.objects.filter(partnership=partnership).order_by(
            "-start_date"
        )
        self.fields["event"].label_from_instance = lambda mission: mission.title


class InvestmentProjectForm(PartnerChoiceMixin, BootstrapFormMixin, forms.ModelForm):
    partner_fields = ("lead_partner",)

    class Meta:
        model = InvestmentProject
        formfield_callback = searchable_formfield
        fields = list(PROJECT_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "mobilised_on": DateInput(),
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
