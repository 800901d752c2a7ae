from django import forms
from django.utils.translation import gettext_lazy as _

from escp_portal.forms import BootstrapFormMixin
from partnerships.forms import DateInput
from partnerships.models import Member

from .models import ExportGroup, Mission, Outcome
from .services import missions as services


class MissionForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Mission
        fields = list(services.MISSION_FIELDS)
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "registration_deadline": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "local_support": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = partnership.partners.select_related("cluster")
        self.fields["organiser"].label_from_instance = lambda p: str(p.cluster)


class RegisterForm(BootstrapFormMixin, forms.Form):
    creates = True

    member = forms.ModelChoiceField(queryset=Member.objects.none(), label=_("Member"))
    note = forms.CharField(max_length=300, required=False, label=_("Note"))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class OutcomeForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Outcome
        fields = [*services.OUTCOME_FIELDS, "members"]
        widgets = {
            "date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "members": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, partnership, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = partnership.missions.all()
        self.fields["members"].queryset = members
        self.fields["members"].required = False


class ExportGroupForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ExportGroup
        fields = [*services.EXPORT_GROUP_FIELDS, "members"]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 2}),
            "evaluation": forms.Textarea(attrs={"rows": 2}),
            "members": forms.SelectMultiple(attrs={"size": 8}),
            "target_markets": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members
