"""The filter backend of every SliceViewSet: django-filter, made strict where it is lax.

django-filter reads a boolean filter through a widget that turns any unknown value
into "no filter", so `?stalking=maybe` silently listed everything; here it is a 400
naming the parameter, like any other bad filter value. Likewise a NumberFilter on an
integer column (every id filter: `?meeting=`, `?case=`...) reads its value as a decimal,
so `?meeting=8.1e-258` listed the rows of "meeting 0" (none) instead of answering 400;
the schema says integer, and so does this backend. Ids beyond 64 bits
(`?case=99999999999999999999`) and dates past api.fields.LATEST_DATE (or date-times that
cannot be converted to UTC: `?at_after=9999-12-31T23:59:59-12:00`) are 400 too: the
database driver could not take them (OverflowError, a 500)."""

import re
from datetime import date, datetime, timezone

from django.db import models
from django_filters import filters as django_filters
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import get_model_field
from rest_framework.exceptions import ValidationError

from .fields import LATEST_DATE, TOO_LATE

BOOLEAN_VALUES = {"", "true", "false", "True", "False", "1", "0"}
WHOLE_NUMBER = re.compile(r"^-?[0-9]+$")
INTEGER_FIELDS = (models.IntegerField, models.AutoField, models.ForeignKey)
BIGGEST = 2**63 - 1  # a bigint column's largest value
TOO_BIG = f"Send a whole number no larger than {BIGGEST} in magnitude."


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
            errors.update({
                name: [TOO_BIG]
                for name, filter_ in filterset.filters.items()
                if name not in errors and _integer_filter(filterset, filter_)
                and any(WHOLE_NUMBER.match(value) and abs(int(value)) > BIGGEST
                        for value in request.query_params.getlist(name) if value.isascii())
            })
            if errors:
                raise ValidationError(errors)
            if filterset.is_valid():
                errors = _calendar_errors(filterset)
                if errors:
                    raise ValidationError(errors)
        return filterset


def _calendar_errors(filterset) -> dict[str, list[str]]:
    """Date and date-time filter values the database could not compare with: past the
    API's latest date, or beyond the calendar once converted to UTC."""
    errors = {}
    for name, value in filterset.form.cleaned_data.items():
        if isinstance(value, slice):  # a from-to range: name_after, name_before
            suffixes = getattr(filterset.filters[name].field.widget, "suffixes", ["after", "before"])
            parts = [(f"{name}_{suffix}", part) for suffix, part in zip(suffixes, (value.start, value.stop))]
        else:
            parts = [(name, value)]
        for parameter, part in parts:
            if not isinstance(part, date):
                continue
            if (part.date() if isinstance(part, datetime) else part) > LATEST_DATE:
                errors[parameter] = [TOO_LATE]
            elif isinstance(part, datetime):
                try:
                    part.astimezone(timezone.utc)
                except OverflowError:
                    errors[parameter] = ["Enter a date and time the calendar can hold in UTC."]
    return errors
