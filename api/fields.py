from rest_framework import serializers

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
