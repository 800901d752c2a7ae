from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.core.validators import MaxLengthValidator
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from escp_portal.choices import SearchableModelChoiceField
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


class InvitationForm(BootstrapFormMixin, forms.Form):
    """Invite a person by email: the roles, partnerships and clusters offered are those the
    user may invite to (the service checks again)."""

    creates = True

    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"))
    partnership = forms.ModelChoiceField(
        label=_("Partnership"),
        queryset=None,
        required=False,
        help_text=_("For a coordinator."),
    )
    cluster = SearchableModelChoiceField(
        label=_("Cluster organisation"),
        queryset=None,
        kind="cluster",
        required=False,
        help_text=_("For a cluster manager: a cluster that accepted to partner."),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=_language_choices, required=False
    )

    def __init__(self, *args, user, **kwargs):
        from partnerships.models import ClusterOrganisation, Partnership

        from .models import Role
        from .policy import invitable_cluster_ids, invitable_partnership_ids, may_invite_officers

        super().__init__(*args, **kwargs)
        roles = [(Role.COORDINATOR, Role.COORDINATOR.label)]
        roles.append((Role.CLUSTER_MANAGER, Role.CLUSTER_MANAGER.label))
        if may_invite_officers(user):
            roles.append((Role.EC_OFFICER, Role.EC_OFFICER.label))
        self.fields["role"].choices = roles
        partnerships, clusters = invitable_partnership_ids(user), invitable_cluster_ids(user)
        self.fields["partnership"].queryset = (
            Partnership.objects.all()
            if partnerships is None
            else Partnership.objects.filter(pk__in=partnerships)
        )
        self.fields["cluster"].queryset = (
            ClusterOrganisation.objects.all()
            if clusters is None
            else ClusterOrganisation.objects.filter(pk__in=clusters)
        )
        # The suggestions offer the same clusters as the field accepts.
        self.fields["cluster"].widget.params = {"for": "invitation"}

    def clean(self):
        from .models import Role

        data = super().clean()
        role = data.get("role")
        if role == Role.COORDINATOR:
            data["cluster"] = None
            if not data.get("partnership"):
                self.add_error("partnership", _("Choose the partnership to coordinate."))
        elif role == Role.CLUSTER_MANAGER:
            data["partnership"] = None
            if not data.get("cluster"):
                self.add_error("cluster", _("Choose the cluster to manage."))
        elif role == Role.EC_OFFICER:
            data["partnership"] = data["cluster"] = None
        return data


class InvitationSignUpForm(BootstrapFormMixin, forms.Form):
    """Accept an invitation with a new account: the invited address, a name and a password."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email="", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        from django.contrib.auth import password_validation

        from .models import User

        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(
                    first, User(email=self.email, full_name=data.get("full_name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class TokenForm(BootstrapFormMixin, forms.Form):
    """A new API token and its scope. The partnerships and clusters offered are those the user
    may limit a token to (``policy.token_limit_choices``); a field with nothing to offer is
    left out."""

    creates = False  # a token is shown once: sending the form twice makes two, both listed

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        help_text=_("To recognise the token in the list, e.g. the system that uses it."),
    )
    read_only = forms.BooleanField(
        label=_("Read only"),
        required=False,
        help_text=_("The token may read, never change anything (it may still revoke itself)."),
    )
    partnerships = forms.ModelMultipleChoiceField(
        label=_("Limited to partnerships"),
        queryset=None,
        required=False,
        help_text=_("None chosen: not limited by partnership."),
    )
    clusters = forms.ModelMultipleChoiceField(
        label=_("Limited to cluster organisations"),
        queryset=None,
        required=False,
        help_text=_("None chosen: not limited by cluster."),
    )

    def __init__(self, *args, user, **kwargs):
        from partnerships.models import ClusterOrganisation, Partnership

        from .limits import token_limit_choices

        super().__init__(*args, **kwargs)
        partnership_ids, cluster_ids = token_limit_choices(user)
        self.fields["partnerships"].queryset = Partnership.objects.filter(
            pk__in=partnership_ids
        ).order_by("acronym")
        self.fields["clusters"].queryset = ClusterOrganisation.objects.filter(
            pk__in=cluster_ids
        ).order_by("name")
        if not partnership_ids:
            del self.fields["partnerships"]
        if not cluster_ids:
            del self.fields["clusters"]
