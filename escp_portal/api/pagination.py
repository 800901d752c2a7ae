import re

from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        page = request.query_params.get(self.page_query_param, "1")
        # ASCII digits only, and a length an int can take (``"²".isdigit()`` is true too)
        if page != "last" and not (re.fullmatch(r"[0-9]{1,9}", page) and int(page) >= 1):
            raise exceptions.ValidationError({"page": [_("A page is a whole number from 1.")]})
        return super().paginate_queryset(queryset, request, view)
