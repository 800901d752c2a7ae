"""The shared page layer, written once for every app.

- Every object a page shows comes through the access policy: an id the user may not see answers
  404; a write the policy refuses answers 403 (``EditObjectMixin``).
- Pages of one partnership (``InsiderMixin``) and of one object inside it (``ObjectMixin``) let
  only the partnership's insiders in.
- ``FormPage``: parse with a form, call one service in ``save``; a refusal of the service shows
  as a message on the form, never as an error page.
- ``ConflictCheckMixin`` (in ``FormPage`` and every other page with an edit form): the form's
  check that nobody changed the record since it was loaded (``BootstrapFormMixin``) and the
  write happen in one transaction, the record's row locked, so two people saving at once cannot
  both pass it.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from escp_portal.accounts.policy import INSIDER, can_edit, coordinates, is_insider, with_insider
from escp_portal.forms import PartnerChoiceMixin, add_validation_error
from escp_portal.services import saved_at_the_same_time


class VisibleObjectsMixin:
    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)


class EditObjectMixin(LoginRequiredMixin, VisibleObjectsMixin):
    """Login first; then 404 if the object is not visible, 403 if it is but not editable."""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not can_edit(self.request.user, obj):
            raise PermissionDenied
        return obj


class ForgivingPaginationMixin:
    """A page number out of range or mistyped shows the nearest page, not an error."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


class InsiderMixin(LoginRequiredMixin):
    """Resolves the partnership of the page and lets only its insiders in (others: 404)."""

    coordinators_only = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.partnership = self.get_partnership()
        if not self.user_is_insider():
            raise Http404
        self.coordinator = coordinates(request.user, self.partnership.pk)
        if self.coordinators_only and not self.coordinator:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_partnership(self):
        from partnerships.models import Partnership

        user = self.request.user
        return get_object_or_404(
            with_insider(Partnership.objects.visible_to(user), user), pk=self.kwargs["pk"]
        )

    def user_is_insider(self) -> bool:
        # Answered with the partnership (or the page's object) when ``with_insider`` loaded it.
        for loaded in (getattr(self, "object", None), self.partnership):
            known = getattr(loaded, INSIDER, None)
            if known is not None:
                return known
        return is_insider(self.request.user, self.partnership.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            partnership=self.partnership, coordinator=self.coordinator, **kwargs
        )

    def require_coordinator(self):
        if not self.coordinator:
            raise PermissionDenied


class ObjectMixin(InsiderMixin):
    """Pages of one object of a partnership: its partnership comes from the object."""

    model = None
    related = ()  # select_related paths, the path to the object's partnership first

    def object_queryset(self):
        user = self.request.user
        queryset = self.model.objects.visible_to(user).select_related(*self.related)
        if not self.related:
            return queryset
        return with_insider(queryset, user, f"{self.related[0]}_id")

    def get_partnership(self):
        self.object = get_object_or_404(self.object_queryset(), pk=self.kwargs["pk"])
        return self.partnership_of(self.object)

    def partnership_of(self, obj):
        for name in self.related[0].split("__"):
            obj = getattr(obj, name)
        return obj


class PartnerFormMixin:
    """A form's partner fields offer the partners of the page's partnership only."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if isinstance(form, PartnerChoiceMixin):
            form.limit_partners(self.partnership)
        return form


class ConflictCheckMixin:
    """A POST in one transaction: the edit form's version check locks the record's row, which
    stays locked until the write is done. A database constraint that a simultaneous write
    tripped shows as a message on the page, not as an error page."""

    def dispatch(self, request, *args, **kwargs):
        if request.method != "POST":
            return super().dispatch(request, *args, **kwargs)
        try:
            with transaction.atomic():
                return super().dispatch(request, *args, **kwargs)
        except IntegrityError:
            messages.error(request, saved_at_the_same_time())
            return redirect(request.get_full_path())


class FormPage(ConflictCheckMixin, PartnerFormMixin, FormView):
    """A form page of a partnership: the service call in ``save`` may refuse with a message on
    the form. ``get_cancel_url`` says where "Cancel" leads."""

    template_name = "form_page.html"
    title = ""
    saved_message = None
    # The form edits the page's object: it gets a copy of its own, so that a refused save
    # leaves the object the service sees as it is in the database.
    edits_object = False

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.edits_object:
            kwargs["instance"] = type(self.object).objects.get(pk=self.object.pk)
        return kwargs

    def save(self, form):
        raise NotImplementedError

    def get_cancel_url(self) -> str:
        return self.partnership.get_absolute_url()

    def form_valid(self, form):
        try:
            target = self.save(form)
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.saved_message or _("Saved."))
        return redirect(target)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("cancel_url", self.get_cancel_url())
        return super().get_context_data(title=self.title, **kwargs)
