"""What the pages of this app share: a partnership's list with its filters and, for those who
may add, the form that adds a row; and the edit page of one row."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView

from escp_portal.forms import add_validation_error
from escp_portal.pages import (
    ConflictCheckMixin,
    FormPage,
    InsiderMixin,
    ObjectMixin,
    PartnerFormMixin,
)

from ..rules import can_add, can_change, sees_names


class ListPage(ConflictCheckMixin, PartnerFormMixin, InsiderMixin, FormView):
    """A partnership's list (filtered by ``filterset_class``) and the form that adds a row
    through ``save``. Readers of the figures only get ``figures`` instead of the rows."""

    filterset_class = None
    prefix = "add"  # the filter form on the same page has fields of the same names
    service_fields = ()
    saved_message = ""
    names_only = True  # the rows name people: figure readers see figures

    def form_kwargs(self) -> dict:
        return {"partnership": self.partnership}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **self.form_kwargs()}

    def rows(self):
        raise NotImplementedError

    def figures(self):
        return None

    def save(self, **data):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        if not can_add(request.user, self.partnership.pk):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        names = sees_names(user, self.partnership.pk)
        context = {"names_visible": names, "can_add": can_add(user, self.partnership.pk)}
        if names or not self.names_only:
            filterset = self.filterset_class(
                self.request.GET or None, queryset=self.rows(), request=self.request
            )
            filterset.form.fields.pop("partnership", None)  # the page is the partnership's
            context.update(filterset=filterset, rows=filterset.qs)
        else:
            context["figures"] = self.figures()
        if not context["can_add"]:
            kwargs.pop("form", None)
            context["form"] = None
        return super().get_context_data(**context, **kwargs)

    def get_form(self, form_class=None):
        if not can_add(self.request.user, self.partnership.pk):
            return None
        return super().get_form(form_class)

    def form_valid(self, form):
        try:
            saved = self.save(
                actor=self.request.user,
                partnership=self.partnership,
                **{name: form.cleaned_data[name] for name in self.service_fields},
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.saved_message)
        return redirect(self.success_url_for(saved))

    def success_url_for(self, saved) -> str:
        return self.request.path


class EditPage(ObjectMixin, FormPage):
    """The edit form of one row; whoever may not change it gets 403 (404 if not visible)."""

    template_name = "opportunities/edit.html"
    related = ("partnership",)
    edits_object = True
    service_fields = ()
    object_name = ""

    def get_form(self, form_class=None):
        if not can_change(self.request.user, self.object):
            raise PermissionDenied
        return super().get_form(form_class)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "partnership": self.partnership}

    def get_cancel_url(self) -> str:
        return self.list_url()

    def list_url(self) -> str:
        raise NotImplementedError

    def call(self, **data):
        raise NotImplementedError

    def save(self, form):
        self.call(
            actor=self.request.user,
            partnership=self.partnership,
            **{self.object_name: self.object},
            **{name: form.cleaned_data[name] for name in self.service_fields},
        )
        return self.list_url()
