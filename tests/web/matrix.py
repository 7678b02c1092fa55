"""The web permission matrix's machinery: every route of the `web` URL namespace is
registered here by its area (a `ROUTES` list in any `tests/web/**/web_routes.py`), and
tests/web/test_matrix_web.py calls each one as every class of caller the policy
distinguishes, expecting what the policy table says (read by
tests/permissions/matrix.permits, independently of the code that applies it):

- the view's `slice_target` and `slice_action` (web.slice) name the policy row;
- outside the object's (or its parent's) view slice: 404; inside but the row does
  not allow `slice_action`: 403; else `success` (200 for a page, 302 after a POST);
- a view with no slice target (home, account...) answers `success` to every signed-in
  caller unless the route gives its own `expected(world)`.

A route that is missing from the registry fails the walk, so a new page cannot skip it.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from django.urls import URLPattern, URLResolver, get_resolver, resolve

from marac.agencies.models import AgencyKind, Role
from permissions.actor import PLATFORM_ADMIN
from permissions.policy import POLICY
from tests.permissions.matrix import Endpoint, expected_status


@dataclass
class WebRoute:
    """One web route of the matrix.

    name: the URL name in the `web` namespace. path(world): the URL to call. method:
    "get" or "post"; data(world): the POST body. obj_facts(world) / parent_facts(world):
    the scope facts of the object addressed (or of the parent a page adds under).
    setup(world): adds what the route needs to the world (e.g. world.meeting).
    expected(world): overrides the policy reading for a page with its own rule.
    """

    name: str
    path: Callable[[SimpleNamespace], str]
    method: str = "get"
    data: Callable[[SimpleNamespace], dict] | None = None
    success: int | None = None
    obj_facts: Callable[[SimpleNamespace], dict] | None = None
    parent_facts: Callable[[SimpleNamespace], dict] | None = None
    setup: Callable[[SimpleNamespace], None] | None = None
    expected: Callable[[SimpleNamespace], int] | None = None

    @property
    def id(self) -> str:
        return f"{self.name}-{self.method}"

    def success_status(self) -> int:
        return self.success or (302 if self.method == "post" else 200)


def registered_routes() -> list[WebRoute]:
    """Every ROUTES list of the tests/web/**/web_routes.py modules."""
    routes: list[WebRoute] = []
    root = Path(__file__).parent
    for path in sorted(root.rglob("web_routes.py")):
        module = ".".join(("tests", "web", *path.relative_to(root).with_suffix("").parts))
        routes.extend(importlib.import_module(module).ROUTES)
    return routes


def web_url_names() -> set[str]:
    """The names of every route under the `web` namespace, walked from the root URLconf."""
    names: set[str] = set()

    def walk(patterns, in_web: bool):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, in_web or entry.namespace == "web")
            elif isinstance(entry, URLPattern) and in_web:
                assert entry.name, f"web route {entry.pattern} has no name"
                names.add(entry.name)

    walk(get_resolver().url_patterns, False)
    return names


def view_class_of(path: str):
    func = resolve(path.split("?")[0]).func
    return getattr(func, "view_class", func)


def distinguished_kinds() -> list[str]:
    """Every agency kind a policy grant names, and one kind no grant names: the classes
    of caller the table can tell apart (the API matrix walks every kind)."""
    named = {kind for actions in POLICY.values() for grants in actions.values() for grant in grants
             if grant.kinds for kind in grant.kinds}
    unnamed = [kind for kind in AgencyKind.values if kind not in named]
    return sorted(named) + unnamed[:1]


def web_principals():
    """(role, kind, inside) for the web matrix."""
    for role in Role.values:
        for kind in distinguished_kinds():
            for inside in (True, False):
                yield role, kind, inside
    yield PLATFORM_ADMIN, None, False


def expected_web_status(route: WebRoute, world: SimpleNamespace) -> int:
    if route.expected is not None:
        return route.expected(world)
    view = view_class_of(route.path(world))
    target = getattr(view, "slice_target", None)
    if target is None:
        return route.success_status()
    action = getattr(view, "slice_action", "view")
    parent = None
    if route.parent_facts is not None:
        parent = (getattr(view, "parent_target", "case"), route.parent_facts)
    endpoint = Endpoint(name=route.name, method=route.method, path=route.path, target=target, action=action,
                        success=route.success_status(), obj_facts=route.obj_facts, parent=parent)
    return expected_status(endpoint, world)

