"""What the strategy's pages share."""

from django.urls import reverse

from escp_portal.pages import FormPage as BaseFormPage


class FormPage(BaseFormPage):
    """A form page of the strategy: "Cancel" leads back to the strategy overview."""

    def get_cancel_url(self) -> str:
        return reverse("strategy:overview", args=[self.partnership.pk])


def form_fields(form, names):
    """The form's cleaned values of the given fields, for a service's keyword arguments."""
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}
