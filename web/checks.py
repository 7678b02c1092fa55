"""System check: every web view names a policy row that exists (`slice_target` and
`slice_action`, and `parent_target` for pages under a parent), so a misspelt row fails
`manage.py check` (and the test suite) instead of a page at run time."""

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
    from .slice import policy_row_exists

    errors = []
    for pattern, view in _web_views(get_resolver().url_patterns):
        target = getattr(view, "slice_target", None)
        if target is None:
            continue
        action = getattr(view, "slice_action", "view")
        if not policy_row_exists(target, action):
            errors.append(Error(f"web view {view.__qualname__} ({pattern.name}) names no policy row {target}.{action}",
                                id="web.E001"))
        parent = getattr(view, "parent_target", None)
        if getattr(view, "parent_queryset", None) is not None and not policy_row_exists(parent, "view"):
            errors.append(Error(f"web view {view.__qualname__} ({pattern.name}) names no policy row {parent}.view",
                                id="web.E001"))
    return errors
