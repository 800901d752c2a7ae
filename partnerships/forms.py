from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from escp_portal.choices import NaceField, SearchableModelChoiceField, searchable_formfield
from escp_portal.forms import BootstrapFormMixin

from .models import (
    ClusterOrganisation,
    Member,
    Partner,
    PartnerExpectation,
    PartnerInvitation,
    Partnership,
)
from .models.members import MEMBER_FIELDS
from .services import partnerships as services


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
        formfield_callback = searchable_formfield
        fields = [*services.CLUSTER_FIELDS, "sectors"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "sectors": forms.CheckboxSelectMultiple(),
        }


class PartnerForm(BootstrapFormMixin, forms.ModelForm):
    cluster = SearchableModelChoiceField(
        queryset=ClusterOrganisation.objects.order_by("name"),
        kind="cluster",
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


class MemberForm(BootstrapFormMixin, forms.ModelForm):
    competence_names = forms.CharField(
        label=_("Competences"),
        required=False,
        help_text=_("Separated by semicolons, e.g. 3D printing; food safety"),
    )
    member_since = forms.DateField(label=_("Member since"), required=False, widget=DateInput())

    class Meta:
        model = Member
        formfield_callback = searchable_formfield
        field_classes = {"nace_code": NaceField}
        fields = MEMBER_FIELDS
        help_texts = {
            "employees": _(
                "Persons employed. With turnover or balance sheet, it decides "
                "whether the member counts as an SME."
            ),
        }

    def __init__(self, *args, with_since=False, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["competence_names"] = "; ".join(
                c.name for c in self.instance.competences.all()
            )
        if not with_since:
            del self.fields["member_since"]

    def clean_nace_code(self):
        from .nace import normalise

        return normalise(self.cleaned_data["nace_code"])

    def competences(self) -> list[str]:
        return [c.strip() for c in self.cleaned_data["competence_names"].split(";") if c.strip()]

    def member_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MemberImportForm(BootstrapFormMixin, forms.Form):
    creates = True

    file = forms.FileField(
        label=_("Member file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        from .imports import limits

        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            _(
                "CSV or Excel (.xlsx) with the columns of the template; at most %(max_mb)s MB "
                "and %(max_rows)s rows."
            )
            % limits()
        )


class PartnerInviteForm(BootstrapFormMixin, forms.ModelForm):
    """A coordinator invites a cluster; it becomes a partner when one of its managers accepts."""

    cluster = SearchableModelChoiceField(
        queryset=ClusterOrganisation.objects.order_by("name"),
        kind="cluster",
        label=_("Cluster organisation"),
        help_text=_(
            "Its managers are asked to accept. Until one does, the partnership sees only the "
            "cluster's public profile."
        ),
    )

    class Meta:
        model = PartnerInvitation
        fields = ["cluster", "role", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}


class ExpectationForm(BootstrapFormMixin, forms.ModelForm):
    """A partner's expectation or commitment, and its review."""

    class Meta:
        model = PartnerExpectation
        fields = ["entry_kind", "text", "review", "reviewed_on", "review_note"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "reviewed_on": DateInput(),
            "review_note": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        data = super().clean()
        # A review given without its date is dated today (the service does the same).
        if data.get("review") not in (None, PartnerExpectation.Review.OPEN) and not data.get(
            "reviewed_on"
        ):
            data["reviewed_on"] = timezone.localdate()
        return data
