import uuid

from django import forms
from django.db import transaction
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from escp_portal import once, versions
from escp_portal.hostile import bound_fields

VERSION_FIELD = "loaded_version"


class PortalFormRenderer(Jinja2):
    """Form fields and widgets rendered with Jinja2: Django's own field and widget templates
    exist for it, with the same markup as the template language's, at a fraction of the cost
    per field. A widget template that exists only for the template language (the admin's
    related-object wrapper, the password hash of a user's change page) is rendered by
    Django's template renderer instead."""

    @cached_property
    def fallback(self):
        return DjangoTemplates()

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)


class BootstrapFormMixin:
    """Gives every widget the Bootstrap class it needs; labels, help and errors come from
    Django's own field template, which ties them to the input with aria-describedby.

    A form that edits a saved record also carries, in a hidden field, the values of its fields
    as they were when the page was loaded (signed). If another person has changed any of them
    since, the form is refused with a message naming those fields and their new values, and
    nothing is written; the hidden field then holds the new values, so that saving again
    overwrites them knowingly. The page layer (``escp_portal.pages.ConflictCheckMixin``) runs
    the check and the write in one transaction, with the record's row locked."""

    # Does the form create something? None: a model form without a saved instance does. A
    # creating form carries a one-time token, so that sending it twice saves once
    # (``escp_portal.once``).
    creates = None

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if self.is_create_form():
            self.fields[once.FIELD] = forms.CharField(
                widget=forms.HiddenInput, required=False, label=_("Form")
            )
            self.initial[once.FIELD] = uuid.uuid4().hex
        if self.versioned_fields():
            self.fields[VERSION_FIELD] = forms.CharField(
                widget=forms.HiddenInput, required=False, label=_("Version")
            )
            # The record's many-to-many choices were read for the form's initial data already
            # (unless the page gave other initial values).
            given = kwargs.get("initial") or {}
            loaded = {n: v for n, v in self.initial.items() if n not in given}
            self.initial[VERSION_FIELD] = versions.sign(
                versions.snapshot(self.instance, self.versioned_fields(), loaded)
            )
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

    def is_create_form(self) -> bool:
        if self.creates is not None:
            return self.creates
        instance = getattr(self, "instance", None)
        return (
            isinstance(self, forms.BaseModelForm) and instance is not None and instance.pk is None
        )

    def versioned_fields(self) -> list[str]:
        """The model fields this form edits, when it edits a saved record."""
        instance = getattr(self, "instance", None)
        if instance is None or instance.pk is None:
            return []
        names = {f.name for f in instance._meta.get_fields() if f.concrete or f.many_to_many}
        return [name for name in self.fields if name in names]

    def check_version(self) -> None:
        """Refuse the form if a field it edits was changed since the form was loaded."""
        loaded = versions.unsign(self.data.get(self.add_prefix(VERSION_FIELD), ""))
        if loaded is None:
            return  # a form from before versions, or none sent: the write goes ahead
        instance = self.instance
        in_transaction = transaction.get_connection().in_atomic_block
        current = versions.locked(instance) if in_transaction else versions.fresh(instance)
        now = versions.snapshot(current, self.versioned_fields())
        changed = versions.changed_fields(loaded, now)
        if not changed:
            return
        values = "; ".join(
            f"{self.fields[name].label}: {versions.display(current, name)}" for name in changed
        )
        self.add_error(
            None,
            _(
                "Someone else changed this record while you were editing it. Their values: "
                "%(values)s. Nothing was saved: check your changes and save again to replace "
                "their values."
            )
            % {"values": values},
        )
        self.data = self.data.copy()
        self.data[self.add_prefix(VERSION_FIELD)] = versions.sign(now)

    def full_clean(self):
        super().full_clean()
        if self.is_bound and VERSION_FIELD in self.fields and not self.errors:
            self.check_version()
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
