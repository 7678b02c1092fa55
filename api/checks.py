"""The start-up check of the slice: every routed viewset names an object the policy
describes (permissions/policy.py), and every action it routes resolves to a row of
that object (or of the sub-resource its `slice_actions` names). A name that resolves to
nothing fails `manage.py check` (so `runserver`, `migrate` and gunicorn's deploy check)
instead of answering 500, or worse, nothing, at the first request."""

from django.core import checks
from django.urls import URLPattern, URLResolver

from permissions.drf import slice_action_of
from permissions.policy import slice_object


def walk_routes(patterns=None, prefix: str = ""):
    """(route, view callback) of every route of api/urls.py, the route written as
    Django's ResolverMatch.route writes it under PREFIX (format suffixes left out)."""
    if patterns is None:
        from . import urls

        patterns = urls.urlpatterns
    for entry in patterns:
        route = URLResolver._join_route(prefix, str(entry.pattern)) if prefix else str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and "format" not in entry.pattern.regex.groupindex:
            yield route, entry.callback


def routed_methods(callback) -> dict[str, str]:
    """{HTTP method: viewset action} of a viewset route; {} for a plain view. HEAD
    (which DRF adds to the route's map at its first GET) answers as GET."""
    return {method: action for method, action in (getattr(callback, "actions", None) or {}).items()
            if method not in ("head", "options")}


def slice_errors(viewset, actions: dict[str, str], route: str = "") -> list[checks.Error]:
    """What in VIEWSET's slice description resolves to nothing, for these routed actions."""
    where = f"{viewset.__module__}.{viewset.__qualname__}"
    try:
        own = slice_object(viewset.slice_target)
    except (AttributeError, LookupError) as exc:
        return [checks.Error(f"{where}: its slice object resolves to nothing ({exc}).", obj=viewset,
                             id="slice.E001")]
    errors = []
    for method, action in sorted(actions.items()):
        try:
            target, policy_action = slice_action_of(viewset, action, method)
            target.row(policy_action)
        except LookupError as exc:
            errors.append(checks.Error(f"{where}: {method.upper()} {route} ({action}) resolves to nothing in "
                                       f"the policy ({exc}).", obj=viewset, id="slice.E002"))
    parent = own.parent
    if parent is not None:
        try:
            slice_object(parent.object).model_class()
        except LookupError as exc:
            errors.append(checks.Error(f"{where}: the parent of {own.name} resolves to nothing ({exc}).",
                                       obj=viewset, id="slice.E003"))
    return errors


@checks.register(checks.Tags.security)
def check_slice(app_configs=None, **kwargs):
    from .viewsets import SliceViewSet

    errors, routed = [], {}
    for route, callback in walk_routes():
        viewset = getattr(callback, "cls", None)
        if viewset is not None and issubclass(viewset, SliceViewSet):
            errors += slice_errors(viewset, routed_methods(callback), route)
            routed.setdefault(viewset, set()).update(routed_methods(callback).values())
    for viewset, actions in routed.items():
        for action in sorted(set(getattr(viewset, "slice_actions", {})) - actions):
            errors.append(checks.Error(f"{viewset.__module__}.{viewset.__qualname__}: slice_actions names "
                                       f"{action!r}, which no route of it offers.", obj=viewset, id="slice.E004"))
    return errors
