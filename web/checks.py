"""System check: every web view names an object description of permissions/policy.py
with the row of its action (`slice_target` and `slice_action`, and `slice_creates`'s
`create` row), and a page under a parent names an object whose description has one
(`Parent`), so a misspelt row fails `manage.py check` (and the test suite) instead of
a page at run time."""

from django.core.checks import Error, register
from django.urls import URLPattern, URLResolver, get_resolver


def _web_views(patterns, in_web=False):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _web_views(entry.url_patterns, in_web or entry.namespace == "web")
        elif isinstance(entry, URLPattern) and in_web:
            yield entry, getattr(entry.callback, "view_class", None)


@register()
def web_views_name_policy_rows(app_configs, **kwargs):
    from .slice import SliceParentMixin, has_parent, policy_row_exists

    errors = []
    for pattern, view in _web_views(get_resolver().url_patterns):
        target = getattr(view, "slice_target", None)
        if target is None:
            continue
        action = getattr(view, "slice_action", "view")
        if not policy_row_exists(target, action):
            errors.append(Error(f"web view {view.__qualname__} ({pattern.name}) names no policy row {target}.{action}",
                                id="web.E001"))
        creates = getattr(view, "slice_creates", None)
        if creates is not None and not policy_row_exists(creates, "create"):
            errors.append(Error(f"web view {view.__qualname__} ({pattern.name}) names no policy row {creates}.create",
                                id="web.E001"))
        if issubclass(view, SliceParentMixin) and not has_parent(target):
            errors.append(Error(f"web view {view.__qualname__} ({pattern.name}) adds under a parent, but the "
                                f"description of {target} names none", id="web.E001"))
    return errors
