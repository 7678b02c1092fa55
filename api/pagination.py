from rest_framework import pagination
from rest_framework.exceptions import ValidationError

from permissions.counting import SliceCountPaginator, subquery_count

__all__ = ["PageNumberPagination", "SliceCountPaginator", "subquery_count"]


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (1..200). A malformed value is a 400 naming the
    parameter, not silently replaced by a default; a page past the end is 404."""

    django_paginator_class = SliceCountPaginator
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [f"Send a whole number from 1 to {self.max_page_size}."]})
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and raw not in self.last_page_strings and (
                not raw.isascii() or not raw.isdigit() or int(raw) < 1):
            raise ValidationError({self.page_query_param: ["Send a page number from 1."]})
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
            elif parameter["name"] == self.page_query_param:
                parameter["schema"].update({"minimum": 1})
        return parameters
