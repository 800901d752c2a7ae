from django import template
from django.templatetags.static import static

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ mapping|get_item:key }}``: a dict lookup with a variable key."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def flag_src(country):
    """A country's flag image through the static files storage, so that production serves it
    under its hashed, long-cached name (django-countries' own ``flag`` is the bare path). Empty
    for a code without a flag image."""
    code = getattr(country, "code", "") or ""
    if not code:
        return ""
    try:
        return static(f"flags/{code.lower()}.gif")
    except ValueError:  # not in the manifest: no image for this code
        return ""


def _tables_read_by(queryset) -> set[str]:
    """The tables a query set reads, its subqueries' included (django-cachalot's walk of the
    query; else its SQL searched for the portal's table names)."""
    from cachalot.utils import _get_tables, _get_tables_from_sql
    from django.db import connections

    try:
        return set(_get_tables(queryset.db, queryset.query))
    except Exception:  # a query cachalot would not cache (raw parts, random order): by its SQL
        return set(_get_tables_from_sql(connections[queryset.db], str(queryset.query).lower()))


@register.simple_tag
def form_changed(form):
    """When the rows a form's choices come from last changed (django-cachalot's time of the
    last write to their tables, 0.0 if none): the key of a cached rendering of the form
    (``includes/filter_sidebar.html``). The tables are those the query sets behind the form's
    fields read (model choices, the searchable fields' rows, with their subqueries), which is
    where a form reads the database; choices fixed in the code change only with a new release
    (and a fragment is kept at most ``FRAGMENT_CACHE_SECONDS``)."""
    from cachalot.api import get_last_invalidation

    tables = set()
    for field in getattr(form, "fields", {}).values():
        for source in (field, getattr(field, "widget", None)):
            queryset = getattr(source, "queryset", None)
            if queryset is not None and hasattr(queryset, "query"):
                tables |= _tables_read_by(queryset)
    return get_last_invalidation(*sorted(tables)) if tables else 0.0
