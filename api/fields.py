from rest_framework import serializers

from marac.dates import LATEST_DATE
from permissions.actor import actor_for
from permissions.scopes import slice_queryset


class SlicedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference to an object in the caller's view slice. An id outside the slice
    gets the same 400 as an id that does not exist, so ids leak nothing."""

    def __init__(self, *, slice_target: str, **kwargs):
        self.slice_target = slice_target
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is None:
            return queryset.none()
        return slice_queryset(actor_for(request), self.slice_target, "view", queryset)


# The latest date any API input may carry. Nothing a MARAC records is planned or
# happened after it, and dates near year 9999 overflow date arithmetic (an order granted
# 9998-06-01 runs "at least 2 years") and time-zone conversion (9999-12-31T23:59:59-12:00
# in UTC): past it, every date and date-time field answers 400.
TOO_LATE = f"Enter a date no later than {LATEST_DATE.isoformat()}."


class DateField(serializers.DateField):
    """Every date the API accepts: ISO 8601, no later than LATEST_DATE."""

    def to_internal_value(self, value):
        value = super().to_internal_value(value)
        if value > LATEST_DATE:
            raise serializers.ValidationError(TOO_LATE, code="too_late")
        return value


class DateTimeField(serializers.DateTimeField):
    """Every date-time the API accepts: ISO 8601, on a day no later than LATEST_DATE."""

    def enforce_timezone(self, value):
        # Before the conversion to the current time zone, which may overflow near 9999.
        if value.date() > LATEST_DATE:
            raise serializers.ValidationError(TOO_LATE, code="too_late")
        return super().enforce_timezone(value)

    def to_internal_value(self, value):
        value = super().to_internal_value(value)
        if value.date() > LATEST_DATE:
            raise serializers.ValidationError(TOO_LATE, code="too_late")
        return value
