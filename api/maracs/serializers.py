from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from marac.maracs.models import Marac

from ..serializers import StrictModelSerializer


class MaracSerializer(StrictModelSerializer):
    """A MARAC of the directory (everyone reads it; platform administrators write it)."""

    class Meta:
        model = Marac
        fields = ["id", "name", "local_area", "is_active", "confidentiality_statement", "adult_female_population"]
        extra_kwargs = {
            "name": {"validators": [UniqueValidator(Marac.objects.all(), message="A MARAC with that name exists.")]},
            # Bounded here, not by the database's integer range (which differs between
            # SQLite and PostgreSQL and so would change the schema): England and Wales
            # together have about 25 million adult women.
            "adult_female_population": {"min_value": 1, "max_value": 30_000_000},
        }


class MaracUpdateSerializer(MaracSerializer):
    """PATCH /maracs/{id}/: any field; none has a default (a generated client would send it)."""

    class Meta(MaracSerializer.Meta):
        extra_kwargs = {**MaracSerializer.Meta.extra_kwargs, "is_active": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            if getattr(field, "default", serializers.empty) is not serializers.empty:
                field.default = serializers.empty

    def to_representation(self, instance):
        return MaracSerializer(instance, context=self.context).data
