from django import forms
from django.utils.translation import gettext_lazy as _

from escp_portal.forms import BootstrapFormMixin

from . import services
from .models import ClusterOrganisation, Partner, Partnership


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PartnershipForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Partnership
        fields = [*services.PARTNERSHIP_COORDINATOR_FIELDS, "sectors"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "objectives": forms.Textarea(attrs={"rows": 6}),
            "sectors": forms.CheckboxSelectMultiple(),
        }


class ClusterForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ClusterOrganisation
        fields = [*services.CLUSTER_FIELDS, "sectors"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "sectors": forms.CheckboxSelectMultiple(),
        }


class PartnerForm(BootstrapFormMixin, forms.ModelForm):
    cluster = forms.ModelChoiceField(
        queryset=ClusterOrganisation.objects.order_by("name"),
        label=_("Cluster organisation"),
        help_text=_("Not listed? Add the cluster organisation first."),
    )

    class Meta:
        model = Partner
        fields = ["cluster", *services.PARTNER_FIELDS]
        widgets = {"joined_on": DateInput(), "left_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["cluster"].disabled = True
