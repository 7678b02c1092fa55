"""The slice's one filter backend and one permission class. Every case-data viewset
uses both; they read the policy table through permissions.scopes.

Outside the caller's slice an object does not exist (the filter backend removes it, so
the lookup answers 404); inside it but not permitted, the permission class answers 403.
"""

from rest_framework.exceptions import PermissionDenied
from rest_framework.filters import BaseFilterBackend
from rest_framework.permissions import BasePermission

from .actor import actor_for
from .policy import grants_for
from .scopes import allowed, allowed_on_parent, slice_queryset

# What a viewset action asks of the policy, unless the viewset names it otherwise.
DEFAULT_ACTIONS = {
    "list": "view",
    "retrieve": "view",
    "create": "create",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
    "metadata": "view",  # OPTIONS
}


def policy_action(view) -> str:
    overrides = getattr(view, "slice_actions", {})
    return overrides.get(view.action) or DEFAULT_ACTIONS.get(view.action, view.action)


class SliceFilterBackend(BaseFilterBackend):
    """Keeps only the objects in the caller's view slice: one `IN` subquery."""

    def filter_queryset(self, request, queryset, view):
        return slice_queryset(actor_for(request), view.slice_target, "view", queryset)


class SlicePermission(BasePermission):
    message = "Your agency may see this, but your role or agency may not do this to it."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if view.action is None:
            return True  # a method the route does not offer: the view answers 405
        action = policy_action(view)
        if action == "view":
            return True
        actor = actor_for(request)
        parent = view.get_slice_parent() if hasattr(view, "get_slice_parent") else None
        if parent is not None and not view.detail:
            # A nested write (e.g. research on a case): the parent is looked up in the
            # caller's slice first (404 outside), then the row is read against it. A
            # nested object's own route is decided per object below (404 outside its slice).
            return allowed_on_parent(actor, view.slice_target, action, parent, view.parent_target)
        if view.detail:
            return True  # decided per object below
        return bool(grants_for(view.slice_target, action, actor))

    def has_object_permission(self, request, view, obj):
        action = policy_action(view)
        if action == "view":
            return True
        return allowed(actor_for(request), view.slice_target, action, obj)


def require_allowed_on_parent(request, target: str, action: str, parent, parent_target: str) -> None:
    """For a create whose parent comes in the body (e.g. {"case": 7}): the serializer
    has already resolved it within the caller's slice; this is the 403 half."""
    if not allowed_on_parent(actor_for(request), target, action, parent, parent_target):
        raise PermissionDenied(SlicePermission.message)
