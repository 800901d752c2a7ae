"""Generic page behaviour, written once: every object a page shows comes through the access
policy (an id the user may not see answers 404), every write needs ``can_edit``."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from escp_portal.accounts.policy import can_edit


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
