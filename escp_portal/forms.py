from django import forms
from django.forms.models import ModelChoiceIterator

from escp_portal.hostile import bound_fields


class BootstrapFormMixin:
    """Gives every widget the Bootstrap class it needs; labels, help and errors come from
    Django's own field template, which ties them to the input with aria-describedby."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        bound_fields(self.fields)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def add_validation_error(form, error) -> None:
    """Show a service's ValidationError on the form: on its fields where it names them."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class FilterForm(BootstrapFormMixin, forms.Form):
    """The form of every FilterSet, so that filters look and behave like the other forms."""


class LoadedChoiceIterator(ModelChoiceIterator):
    """A model choice field's choices from rows the page has loaded already (the same rows,
    in the same order, as its queryset), instead of a query of their own. The queryset still
    checks the answer."""

    def __init__(self, field, rows):
        super().__init__(field)
        self.rows = list(rows)

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.rows:
            yield self.choice(obj)

    def __len__(self):
        return len(self.rows) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.rows)


def choices_from(field, rows) -> None:
    """Show ``rows`` as the choices of the model choice ``field``, without a query."""
    field.choices = LoadedChoiceIterator(field, rows)


class PartnerChoiceMixin:
    """Limit partner fields to the partners of the partnership the form is for."""

    partner_fields: tuple[str, ...] = ()

    def limit_partners(self, partnership):
        partners = partnership.partners.select_related("cluster").order_by("cluster__name")
        for name in self.partner_fields:
            if name in self.fields:
                self.fields[name].queryset = partners
                self.fields[name].label_from_instance = lambda p: str(p.cluster)
