"""The filter backend of every SliceViewSet: django-filter, made strict where it is lax.

django-filter reads a boolean filter through a widget that turns any unknown value
into "no filter", so `?stalking=maybe` silently listed everything; here it is a 400
naming the parameter, like any other bad filter value. Likewise a NumberFilter on an
integer column (every id filter: `?meeting=`, `?case=`...) reads its value as a decimal,
so `?meeting=8.1e-258` listed the rows of "meeting 0" (none) instead of answering 400;
the schema says integer, and so does this backend."""

import re

from django.db import models
from django_filters import filters as django_filters
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import get_model_field
from rest_framework.exceptions import ValidationError

BOOLEAN_VALUES = {"", "true", "false", "True", "False", "1", "0"}
WHOLE_NUMBER = re.compile(r"^-?[0-9]+$")
INTEGER_FIELDS = (models.IntegerField, models.AutoField, models.ForeignKey)


def _integer_filter(filterset, filter_) -> bool:
    if not isinstance(filter_, django_filters.NumberFilter) or filterset._meta.model is None:
        return False
    field = get_model_field(filterset._meta.model, filter_.field_name)
    return isinstance(field, INTEGER_FIELDS)


class StrictDjangoFilterBackend(DjangoFilterBackend):
    # Query parameters that are never filters: a request with only these (the first page
    # of every list) is not filtered, so no filterset or form is built for it.
    NOT_FILTERS = frozenset({"page", "page_size", "format"})

    def filter_queryset(self, request, queryset, view):
        if self.NOT_FILTERS.issuperset(request.query_params):
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            errors = {
                name: ["Send true or false."]
                for name, filter_ in filterset.filters.items()
                if isinstance(filter_, django_filters.BooleanFilter)
                and any(value not in BOOLEAN_VALUES for value in request.query_params.getlist(name))
            }
            errors.update({
                name: ["Send a whole number."]
                for name, filter_ in filterset.filters.items()
                if name not in errors and any(value != "" and not (value.isascii() and WHOLE_NUMBER.match(value))
                                              for value in request.query_params.getlist(name))
                and _integer_filter(filterset, filter_)
            })
            if errors:
                raise ValidationError(errors)
        return filterset
