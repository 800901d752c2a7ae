from django import forms
from django.utils.translation import gettext_lazy as _

from escp_portal.choices import NaceListField, searchable_formfield
from escp_portal.forms import BootstrapFormMixin
from partnerships.forms import DateInput
from partnerships.models import Member

from .models import ContactRequest, FindableProfile, PartnerRequest, Purpose
from .services.wanted import POST_FIELDS

FLAGS = FindableProfile.SHOW_FLAGS


class ProfileBulkForm(BootstrapFormMixin, forms.Form):
    """The cluster's members on the page, the ones chosen, and the fields their profiles show.
    Setting the same again changes nothing: the form may be sent twice."""

    ACTIONS = [("set", _("Make findable, showing these fields")), ("end", _("Stop findability"))]

    members = forms.ModelMultipleChoiceField(
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Members"),
        error_messages={"required": _("Choose at least one member.")},
    )
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.RadioSelect, initial="set")

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members
        for name in FLAGS:
            field = FindableProfile._meta.get_field(name)
            self.fields[name] = forms.BooleanField(
                required=False, initial=field.default, label=field.verbose_name
            )
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def flags(self) -> dict:
        return {name: self.cleaned_data[name] for name in FLAGS}


class ProfileForm(BootstrapFormMixin, forms.ModelForm):
    """One member's profile: which fields it shows."""

    class Meta:
        model = FindableProfile
        fields = list(FLAGS)


class ContactRequestForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ContactRequest
        fields = ["purpose", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 5, "maxlength": 2000})}
        help_texts = {
            "message": _(
                "Who you are, what you look for and why this member. The cluster's managers read "
                "it and decide whether to pass on a contact."
            )
        }


class ForwardForm(BootstrapFormMixin, forms.Form):
    release_name = forms.BooleanField(required=False, label=_("Release the contact person"))
    release_email = forms.BooleanField(required=False, label=_("Release the contact email"))
    release_phone = forms.BooleanField(required=False, label=_("Release the contact phone"))
    note = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Note to the requester"),
    )


class DeclineForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        max_length=1000, widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason")
    )


class PartnerRequestForm(BootstrapFormMixin, forms.ModelForm):
    """A post; a new one also says whom it is for (a partnership or a cluster of the poster)."""

    posted_for = forms.ChoiceField(label=_("Posted for"))
    nace_codes = NaceListField(separator=" ", required=False, label=_("NACE codes"))

    class Meta:
        model = PartnerRequest
        formfield_callback = searchable_formfield
        fields = list(POST_FIELDS)
        widgets = {
            "until": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["posted_for"]
        else:
            self.fields["posted_for"].choices = choices
            self.order_fields(["posted_for", *POST_FIELDS])


class AnswerForm(BootstrapFormMixin, forms.Form):
    creates = True

    message = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Your answer"),
        help_text=_("Only the poster reads it, with your name and email."),
    )


class SuggestionForm(BootstrapFormMixin, forms.Form):
    """One click on a suggestion: saved once, whatever the clicks."""

    creates = True

    target = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        choices=[("cluster", "cluster"), ("member", "member")], widget=forms.HiddenInput
    )


class ExportGroupSuggestionForm(BootstrapFormMixin, forms.Form):
    creates = True

    market = forms.CharField(max_length=2, widget=forms.HiddenInput)
    members = forms.CharField(max_length=400, widget=forms.HiddenInput)

    def member_ids(self) -> list[int]:
        ids = []
        for part in self.cleaned_data["members"].split(","):
            if part.isdigit() and len(part) < 12:
                ids.append(int(part))
        return ids


PURPOSES = Purpose.choices
