"""The slice's one filter backend and one permission class. Every case-data viewset
uses both; they read the object descriptions of permissions/policy.py.

Outside the caller's slice an object does not exist (the filter backend removes it, so
the lookup answers 404); inside it but not permitted, the permission class answers 403.
The permission class decides every case itself, so no view checks a permission by hand:

- a detail route: the object's row, once the slice's lookup found the object;
- a create under a parent: the row read against the parent (in the URL of a nested
  route, or named in the body: `Parent.in_body`), and the roles an account may be given;
- a field of a create's or change's body that needs another row (`body_field_rows`:
  an account's `maracs`, user.assign_maracs);
- a sub-resource (the meeting's pack): a viewset action mapped to ANOTHER object whose
  rows are read against the viewset's object: 404 unless its "view" row allows, 403
  unless its action's row does.
"""

from collections.abc import Mapping

from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.filters import BaseFilterBackend
from rest_framework.permissions import BasePermission

from .actor import actor_for
from .decisions import Refusal, create_refusal, object_refusal
from .policy import SliceObject, slice_object
from .scopes import slice_queryset

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


def slice_action_of(viewset, action: str | None, method: str) -> tuple[SliceObject, str]:
    """(object, policy action) for a viewset ACTION requested with METHOD.

    `slice_actions` maps a viewset action to a policy action of the viewset's own object
    (`"history": "view"`), to another object's (`"pack_pdf": (PACK, "view")`: a
    sub-resource read against the viewset's object), or by HTTP method to either
    (`"pack": {"get": (PACK, "view"), "post": (PACK, "create")}`)."""
    own = slice_object(viewset.slice_target)
    entry = getattr(viewset, "slice_actions", {}).get(action)
    if isinstance(entry, Mapping):
        method = method.lower()
        entry = entry.get(method) or (entry.get("get") if method == "head" else None)
    if entry is None:
        return own, DEFAULT_ACTIONS.get(action, action)
    if isinstance(entry, str):
        return own, entry
    target, policy_action = entry
    return slice_object(target), policy_action


def view_slice_action(view) -> tuple[SliceObject, str]:
    return slice_action_of(view, view.action, view.request.method)


def policy_action(view) -> str:
    return view_slice_action(view)[1]


class SliceFilterBackend(BaseFilterBackend):
    """Keeps only the objects in the caller's view slice: one `IN` subquery. (A report's
    subjects: those in the reach of the report's own row, `SliceObject.reach`.)"""

    def filter_queryset(self, request, queryset, view):
        reach = slice_object(view.slice_target).reach(policy_action(view))
        return slice_queryset(actor_for(request), view.slice_target, reach, queryset)


def _body_value(view, name: str):
    """The body's NAME, read by the field of the view's serializer that reads it (so
    exactly what the create will use); None when absent or invalid (the serializer
    answers 400 for it)."""
    data = view.request.data
    if not isinstance(data, Mapping) or name not in data:
        return None
    serializer_field = view.get_serializer().fields.get(name)
    if serializer_field is None or serializer_field.read_only:
        return None
    try:
        return serializer_field.run_validation(data[name])
    except ValidationError:
        return None


def _fields_needing_rows(view, target: SliceObject):
    """The body fields of the request that need another row of TARGET."""
    data = view.request.data
    if not target.body_field_rows or not isinstance(data, Mapping):
        return []
    return [row for name, row in target.body_field_rows.items() if name in data]


class SlicePermission(BasePermission):
    message = "Your agency may see this, but your role or agency may not do this to it."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if view.action is None:
            return True  # a method the route does not offer: the view answers 405
        target, action = view_slice_action(view)
        if target.name != view.slice_target:
            return True  # a sub-resource: decided against the object below
        if action == "view" or view.detail:
            return True  # decided per object below (the lookup answers 404 outside the slice)
        actor = actor_for(request)
        parent = target.parent
        if parent is not None and not parent.in_body and hasattr(view, "get_slice_parent"):
            # A nested write (e.g. research on a case): the parent is looked up in the
            # caller's slice first (404 outside), then the row is read against it.
            return _decide(create_refusal(actor, target, action, parent=view.get_slice_parent()))
        if create_refusal(actor, target, action) is not None:
            return False  # no applicable grant: before the body is read
        # The parent the body names, in the caller's view slice (else the serializer's
        # 400, like an id that does not exist): the row is read against it.
        named = _body_value(view, parent.field) if parent is not None and parent.in_body else None
        if named is not None and create_refusal(actor, target, action, parent=named) is not None:
            return False
        for row in _fields_needing_rows(view, target):
            if create_refusal(actor, target, row.action, parent=named) is not None:
                raise PermissionDenied(row.message)
        # The role the body gives an account (the description's RoleLimit).
        role = _body_value(view, target.role_limit.body_field) if target.role_limit is not None else None
        return _decide(create_refusal(actor, target, action, role=role))

    def has_object_permission(self, request, view, obj):
        target, action = view_slice_action(view)
        actor = actor_for(request)
        refusal = object_refusal(actor, target, action, obj, sub_resource=target.name != view.slice_target)
        if refusal is None and action != "view":
            for row in _fields_needing_rows(view, target):
                if object_refusal(actor, target, row.action, obj) is not None:
                    raise PermissionDenied(row.message)
        return _decide(refusal)


def _decide(refusal: Refusal | None) -> bool:
    """The door's answer to a decision of permissions.decisions: 404, 403 or allowed."""
    if refusal is None:
        return True
    if refusal.not_found:
        raise NotFound()  # e.g. a sub-resource the caller may not see: it does not exist
    if refusal.message:
        raise PermissionDenied(refusal.message)
    return False
