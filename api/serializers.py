"""Shared serializer behaviour."""

from collections.abc import Mapping
from datetime import date

from django.db import models
from django.utils import timezone
from rest_framework import serializers

from marac.dates import birth_date_problem

from .fields import DateField, DateTimeField


class StrictSerializer(serializers.Serializer):
    """Rejects fields it does not know, so a misspelt field is a 400 naming it
    rather than a silent no-op."""

    # An update serializer names the fields fixed at creation ({name: message}):
    # sending one is a 400 saying why, not "Unknown field.".
    fixed_fields: dict[str, str] = {}

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [self.fixed_fields.get(name, "Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


class ModelSerializer(serializers.ModelSerializer):
    """Model date and date-time fields become the API's bounded ones (api.fields)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: DateField,
        models.DateTimeField: DateTimeField,
    }


class StrictModelSerializer(StrictSerializer, ModelSerializer):
    pass


def not_in_future(value: date) -> date:
    if value > timezone.localdate():
        raise serializers.ValidationError("This date cannot be in the future.")
    return value


def plausible_birth_date(value: date) -> date:
    """The domain's rule (marac.dates.birth_date_problem), as a field validator."""
    if problem := birth_date_problem(value, timezone.localdate()):
        raise serializers.ValidationError(problem)
    return value
