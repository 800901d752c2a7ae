"""Sortable columns on list pages, without JavaScript: each sortable header is a link that sets
``?ordering=<key>`` (``-<key>`` for descending; a second click turns the order round), the sorted
header says so with ``aria-sort``, and the other parameters of the page (filters) stay. The keys
are the page's own, each mapped to an order on indexed columns (as the API's ``?ordering=``);
an unknown key is ignored and the list keeps its default order — a page never fails on it."""

from dataclasses import dataclass

from django.http import QueryDict

SORT_PARAM = "ordering"


@dataclass(frozen=True)
class Column:
    label: str
    order: tuple[str, ...]  # ascending; reversed term by term for descending


def _reverse(term: str) -> str:
    return term[1:] if term.startswith("-") else f"-{term}"


def chosen(params: QueryDict, columns: dict[str, Column]) -> tuple[str | None, bool]:
    """The sorted column's key and whether it is descending; (None, False) for the default."""
    raw = (params.get(SORT_PARAM) or "").strip()
    key = raw.removeprefix("-")
    if key not in columns:
        return None, False
    return key, raw.startswith("-")


def sort_queryset(queryset, params: QueryDict, columns: dict[str, Column]):
    key, descending = chosen(params, columns)
    if key is None:
        return queryset
    order = columns[key].order
    return queryset.order_by(*(_reverse(t) for t in order) if descending else order)


def headers(params: QueryDict, columns: dict[str, Column], default: str | None = None) -> dict:
    """key -> {label, url, aria_sort} for the page's sortable headers."""
    key, descending = chosen(params, columns)
    if key is None and default is not None:
        key, descending = default.removeprefix("-"), default.startswith("-")
    result = {}
    for name, column in columns.items():
        query = params.copy()
        query.pop("page", None)
        query[SORT_PARAM] = f"-{name}" if name == key and not descending else name
        sort = None
        if name == key:
            sort = "descending" if descending else "ascending"
        result[name] = {"label": column.label, "url": f"?{query.urlencode()}", "aria_sort": sort}
    return result


class SortableListMixin:
    """For a list view (``ListView``/``FilterView``): ``sort_columns`` (key -> ``Column``) and
    ``default_sort`` (the key the list is in without ``?ordering=``, for ``aria-sort``). The
    template gets ``sort_headers`` for ``includes/sort_header.html``."""

    sort_columns: dict[str, Column] = {}
    default_sort: str | None = None

    def paginate_queryset(self, queryset, page_size):
        queryset = sort_queryset(queryset, self.request.GET, self.sort_columns)
        return super().paginate_queryset(queryset, page_size)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sort_headers"] = headers(self.request.GET, self.sort_columns, self.default_sort)
        return context
