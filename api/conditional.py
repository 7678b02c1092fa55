"""Conditional requests for single objects (API.md conventions): a GET or PATCH of one
object answers with an `ETag` that changes with every change to it; a PATCH carrying
an `If-Match` that is no longer current gets 412 and changes nothing.

The tag is the object's version (`updated_at`), not a hash of the body, so it is the
same for every caller whatever slice of the fields they see. Any viewset whose model
has `updated_at` can mix this in (before the base viewset)."""

from rest_framework import status
from rest_framework.exceptions import APIException

ETAG_ACTIONS = frozenset({"retrieve", "partial_update", "update"})


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The object has changed since you read it (If-Match is stale): read it again."
    default_code = "precondition_failed"


def etag_for(obj, updated_at) -> str:
    return f'"{obj._meta.label_lower}.{obj.pk}.{updated_at.timestamp():.6f}"'


def _matches(header: str, current: str) -> bool:
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or current in tags


class ConditionalMixin:
    def get_object(self):
        obj = super().get_object()
        if self.action in ETAG_ACTIONS:
            self._etag_object = obj
            if_match = self.request.headers.get("If-Match")
            if self.action != "retrieve" and if_match and not _matches(if_match, etag_for(obj, obj.updated_at)):
                raise PreconditionFailed()
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        obj = getattr(self, "_etag_object", None)
        if obj is not None and 200 <= response.status_code < 300:
            updated_at = type(obj)._default_manager.filter(pk=obj.pk).values_list("updated_at", flat=True).first()
            if updated_at is not None:
                response["ETag"] = etag_for(obj, updated_at)
        return response
