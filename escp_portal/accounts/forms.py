from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.core.validators import MaxLengthValidator
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from escp_portal.forms import BootstrapFormMixin


class LoginForm(BootstrapFormMixin, auth_forms.AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email address")
        self.fields["username"].max_length = 254
        self.fields["username"].validators.append(MaxLengthValidator(254))
        self.fields["username"].widget.attrs.update(autocomplete="email", type="email")


class PasswordResetForm(BootstrapFormMixin, auth_forms.PasswordResetForm):
    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        """The message is written in the language saved on the account it is sent to."""
        user = context.get("user")
        language = getattr(user, "language", None) or settings.LANGUAGE_CODE
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class SetPasswordForm(BootstrapFormMixin, auth_forms.SetPasswordForm):
    pass


def _language_choices():
    """Each language in its own name; read when the form is made, not at import."""
    return [
        (code, translation.get_language_info(code)["name_local"])
        for code, _name in settings.LANGUAGES
    ]


class PreferencesForm(BootstrapFormMixin, forms.Form):
    language = forms.ChoiceField(
        label=_("Language of pages and emails"),
        # Left out, the saved language stays.
        required=False,
        choices=_language_choices,
    )
    muted_reminders = forms.MultipleChoiceField(
        label=_("Mission reminders I do not want"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        from missions.models import ReminderLog

        super().__init__(*args, **kwargs)
        self.fields["muted_reminders"].choices = ReminderLog.Kind.choices
