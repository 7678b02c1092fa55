from django.core.paginator import Paginator
from django.db.models.lookups import In
from django.db.models.sql.query import Query
from django.db.models.sql.where import AND, WhereNode
from django.utils.functional import cached_property
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


def _only_condition(where: WhereNode):
    """The single lookup a WHERE consists of, or None."""
    while isinstance(where, WhereNode):
        if where.negated or len(where.children) != 1 or (where.connector != AND and len(where.children) > 1):
            return None
        where = where.children[0]
    return where


def subquery_count(queryset) -> int | None:
    """COUNT(*) of `queryset` read from its slice subquery alone, when that is exact.

    It is exact when the queryset's whole WHERE is `pk IN (subquery)` and the subquery
    is marked `values_are_distinct_existing_pks` (each value a distinct primary key of an
    existing row: e.g. the participant grants of one agency, unique per case and bound
    by a foreign key). Counting those grant rows is one index-only scan, instead of
    joining every one of them back to the cases; and when the subquery also carries an
    `exact_count` that still applies to it (its WHERE unchanged), that kept count is
    read instead of scanning the grants. Otherwise None: count as usual.
    """
    query = queryset.query
    if query.distinct or query.combinator or query.is_sliced or query.annotations or query.extra:
        return None
    lookup = _only_condition(query.where)
    if not isinstance(lookup, In) or not isinstance(lookup.rhs, Query):
        return None
    if not getattr(lookup.rhs, "values_are_distinct_existing_pks", False):
        return None
    target = getattr(lookup.lhs, "target", None)
    if target is None or target != queryset.model._meta.pk or lookup.lhs.alias != query.get_initial_alias():
        return None
    exact = getattr(lookup.rhs, "exact_count", None)
    if exact is not None and exact.applies_to(lookup.rhs):
        counted = exact(queryset.db)  # a count the database keeps (e.g. GroupGrantCount)
        if counted is not None:
            return counted
    subquery = lookup.rhs.clone()
    subquery.subquery = False
    return subquery.get_count(using=queryset.db)


class SliceCountPaginator(Paginator):
    @cached_property
    def count(self):
        fast = subquery_count(self.object_list) if hasattr(self.object_list, "query") else None
        return super().count if fast is None else fast


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
