import django_filters

# Ids beyond a 64-bit integer are refused with a message rather than reaching the database.
MAX_ID = 2**63 - 1


def id_filter(**kwargs) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(min_value=1, max_value=MAX_ID, **kwargs)
