from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from escp_portal.choices import SearchableModelMultipleChoiceField, searchable_formfield
from escp_portal.forms import BootstrapFormMixin
from partnerships.forms import DateInput
from partnerships.models import Competence, Member

from .models import (
    ExportGroup,
    LocalCounterpart,
    Meeting,
    MeetingProfile,
    Mission,
    Outcome,
    party_key,
    party_name,
)
from .services import meetings as meeting_services
from .services import missions as services


class MissionForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Mission
        formfield_callback = searchable_formfield
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
    # A partnership may have thousands of members: typed, with suggestions.
    members = SearchableModelMultipleChoiceField(
        Member.objects.none(), kind="member", required=False, label=capfirst(_("members involved"))
    )

    class Meta:
        model = Outcome
        formfield_callback = searchable_formfield
        fields = [*services.OUTCOME_FIELDS, "members"]
        widgets = {
            "date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, partnership, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = partnership.missions.all()
        self.fields["members"].queryset = members
        self.fields["members"].widget.params = {"partnership": partnership.pk}


class ExportGroupForm(BootstrapFormMixin, forms.ModelForm):
    members = SearchableModelMultipleChoiceField(
        Member.objects.none(), kind="member", label=capfirst(_("members"))
    )

    class Meta:
        model = ExportGroup
        formfield_callback = searchable_formfield
        fields = [*services.EXPORT_GROUP_FIELDS, "members"]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 2}),
            "evaluation": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, partnership, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members
        self.fields["members"].widget.params = {"partnership": partnership.pk}


# --- B2B meetings ---------------------------------------------------------------------------------


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class MeetingSettingsForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Mission
        formfield_callback = searchable_formfield
        fields = list(services.MEETING_SETTINGS)
        widgets = {"meeting_day_start": TimeInput(), "meeting_day_end": TimeInput()}


class MeetingProfileForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = MeetingProfile
        fields = ["offers", "seeks", "competences"]
        widgets = {
            "offers": forms.Textarea(attrs={"rows": 3}),
            "seeks": forms.Textarea(attrs={"rows": 3}),
            "competences": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competences"].queryset = Competence.objects.order_by("name")
        self.fields["competences"].required = False


class LocalCounterpartForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = LocalCounterpart
        formfield_callback = searchable_formfield
        fields = list(meeting_services.COUNTERPART_FIELDS)
        widgets = {
            "offers": forms.Textarea(attrs={"rows": 2}),
            "seeks": forms.Textarea(attrs={"rows": 2}),
        }


class MeetingRequestForm(BootstrapFormMixin, forms.Form):
    """Ask for a meeting: for one of the parties the user speaks for, with any other party of
    the mission. The choices are the page's rows (``p<id>`` a participant, ``c<id>`` a local
    counterpart)."""

    creates = True

    requester = forms.ChoiceField(label=_("For"))
    recipient = forms.ChoiceField(label=_("Meet"))
    message = forms.CharField(
        label=_("Message"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What you would like to talk about (at most 500 characters)."),
    )

    def __init__(self, *args, mine, everyone, **kwargs):
        super().__init__(*args, **kwargs)
        self.parties = {party_key(p): p for p in everyone}
        self.fields["requester"].choices = [(party_key(p), party_name(p)) for p in mine]
        self.fields["recipient"].choices = [("", "—")] + [
            (party_key(p), party_label(p)) for p in everyone
        ]

    def clean(self):
        data = super().clean()
        for name in ("requester", "recipient"):
            if name in data:
                data[name] = self.parties.get(data[name])
        if data.get("requester") is not None and data.get("requester") is data.get("recipient"):
            self.add_error("recipient", _("Nobody meets themselves: choose another participant."))
        return data


def party_label(party) -> str:
    if isinstance(party, LocalCounterpart):
        return _("%(name)s (local, %(country)s)") % {
            "name": party.name,
            "country": party.country.name,
        }
    return party_name(party)


class FollowUpForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = list(meeting_services.FOLLOW_UP_FIELDS)
        widgets = {"follow_up_note": forms.Textarea(attrs={"rows": 3})}
