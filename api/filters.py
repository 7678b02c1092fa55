"""The filter backend of every SliceViewSet: django-filter, made strict where it is lax.

django-filter reads a boolean filter through a widget that turns any unknown value
into "no filter", so `?stalking=maybe` silently listed everything; here it is a 400
naming the parameter, like any other bad filter value."""

from django import forms
from django_filters import filters as django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

BOOLEAN_VALUES = {"", "true", "false", "True", "False", "1", "0"}


class StrictDjangoFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            errors = {
                name: ["Send true or false."]
                for name, filter_ in filterset.filters.items()
                if isinstance(filter_, django_filters.BooleanFilter)
                and any(value not in BOOLEAN_VALUES for value in request.query_params.getlist(name))
            }
            if errors:
                raise ValidationError(errors)
        return filterset


class IdFilter(django_filters.NumberFilter):
    """Filter by an object id: a whole number (NumberFilter would take `7.5` or `1e-9`)."""

    field_class = forms.IntegerField
