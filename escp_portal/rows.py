"""Reading many rows at once, as plain tuples."""

from django.core.exceptions import EmptyResultSet
from django.db import connections


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
