"""Page input of vouchers and EU funding: parsed and checked here, saved by the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from escp_portal.choices import NaceListField, searchable_formfield
from escp_portal.forms import BootstrapFormMixin
from partnerships.models import Member, Sector

from .models import FundingCall, Voucher, VoucherScheme
from .services.calls import CALL_FIELDS
from .services.vouchers import GRANT_FIELDS, SCHEME_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VoucherSchemeForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = VoucherScheme
        fields = list(SCHEME_FIELDS)
        widgets = {
            "opens_on": DATE,
            "closes_on": DATE,
            "purpose": forms.Textarea(attrs={"rows": 3}),
        }


class GrantForm(BootstrapFormMixin, forms.ModelForm):
    """A voucher to a member of one of the partnership's partner clusters."""

    member = forms.ModelChoiceField(queryset=Member.objects.none(), label=_("Member"))

    class Meta:
        model = Voucher
        fields = ["member", *GRANT_FIELDS]
        widgets = {"granted_on": DATE}

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["member"].queryset = members
        self.fields["granted_on"].required = False
        self.fields["granted_on"].help_text = _("Leave empty for today.")
        self.fields["member"].label_from_instance = lambda m: (
            f"{m.name} ({_('SME') if m.is_sme else _('not an SME')})"
        )

    def _post_clean(self):
        # The service checks the voucher (partner cluster, budget, cap): the form only parses.
        pass


class VoucherStatusForm(BootstrapFormMixin, forms.Form):
    creates = False
    status = forms.ChoiceField(
        choices=[(Voucher.Status.PAID, _("Paid")), (Voucher.Status.CANCELLED, _("Cancelled"))],
        label=_("New status"),
    )


class FundingCallForm(BootstrapFormMixin, forms.ModelForm):
    nace_codes = NaceListField(separator=", ", required=False, label=_("NACE codes"))
    sectors = forms.ModelMultipleChoiceField(
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Sectors"),
    )

    class Meta:
        model = FundingCall
        formfield_callback = searchable_formfield
        fields = [*CALL_FIELDS, "sectors"]
        widgets = {
            "opens_on": DATE,
            "deadline": DATE,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "topics": forms.Textarea(attrs={"rows": 4}),
        }

    def _post_clean(self):
        # Constraints and the full check run in the service.
        pass
