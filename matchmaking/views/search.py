"""The partner search page."""

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from ..filters import PartnerSearchFilterSet
from ..selectors.search import load, ranked, searchable_profiles
from .common import FindNavMixin, SearcherMixin

PAGE_SIZE = 20


class PartnerSearchView(SearcherMixin, FindNavMixin, TemplateView):
    """Clusters and findable members of every partnership, best matches first, with why."""

    template_name = "matchmaking/search.html"

    def get_context_data(self, **kwargs):
        request = self.request
        filterset = PartnerSearchFilterSet(
            request.GET or None, queryset=searchable_profiles(), request=request
        )
        results, page, criteria = [], None, None
        if filterset.is_bound and filterset.is_valid():
            criteria = filterset.criteria()
            if criteria.given:
                page = Paginator(ranked(filterset.qs, criteria), PAGE_SIZE).get_page(
                    request.GET.get("page")
                )
                results = load(page.object_list, criteria)
        return super().get_context_data(
            filter=filterset,
            results=results,
            page_obj=page,
            searched=bool(criteria and criteria.given),
            **kwargs,
        )
