from django import forms
from django.utils.translation import gettext_lazy as _

from escp_portal.forms import BootstrapFormMixin

from . import events


class SubscriptionForm(BootstrapFormMixin, forms.Form):
    url = forms.URLField(
        label=_("Target URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where the events are sent (POST, JSON): an https address on the internet."),
    )
    description = forms.CharField(
        label=_("Description"), max_length=200, required=False, help_text=_("A note for yourself.")
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(name, f"{name} — {spec.help_text}") for name, spec in events.EVENTS.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("You receive only the events about what you may see in the portal."),
    )
