"""Reading many rows at once, as plain tuples; figures per row of a list, without joins."""

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def plain_rows(queryset) -> list[tuple]:
    """The rows of a ``values_list`` queryset (not flat), in one fetch. On PostgreSQL the
    driver hands over Python's types already (ints, dates, Decimals, aware datetimes in UTC),
    so Django's converters are not run on every row: a nightly batch reads over 100,000 rows
    and they cost a third of its time. Elsewhere the queryset is read as usual."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return list(queryset)
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def per_row(related, aggregate, *, by: str, default=0, output_field=None):
    """An annotation for each row of a list: ``aggregate`` (``Count("pk")``, ``Sum("amount")``,
    ``Max("updated_at")``...) over the ``related`` rows that point at it through ``by``; ``default``
    when there are none (``None``: NULL, as a ``Max`` of nothing).

    It is a subquery per row, not the aggregate over a join (``Count("partners")``). A join
    multiplies the list by its related rows and groups them back; counting the list for its pages
    (the paginator's ``COUNT``) then joins and groups every related row of every listed row, and
    two such aggregates over different relations multiply each other's rows. The subquery reads
    the related rows of the listed rows only, through the index on ``by``."""
    figures = (
        related.filter(**{by: OuterRef("pk")})
        .order_by()
        .values(by)
        .annotate(figure=aggregate)
        .values("figure")[:1]
    )
    if default is None:
        return Subquery(figures, output_field=output_field)
    return Coalesce(Subquery(figures), Value(default), output_field=output_field)
