"""What the app's pages share: who may open them, and the links between them."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from ..rules import can_post_partner_request, can_search_partners
from ..selectors.requests import clusters_kept_by


class FindNavMixin:
    """The links of the app's pages (the user's clusters' findability pages among them)."""

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            find_nav={
                "search": can_search_partners(user),
                "post": can_post_partner_request(user),
                "clusters": clusters_kept_by(user),
            },
            **kwargs,
        )


class SearcherMixin(LoginRequiredMixin):
    """Pages for those who look for partners: others get 403 (anonymous: the login)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not can_search_partners(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
