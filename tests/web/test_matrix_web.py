"""The web permission matrix, generated from the policy table: every route of the `web`
namespace x every role x every agency kind the policy distinguishes x inside/outside
the case, coordinators and chairs serving another MARAC, plus platform admins.
Expected statuses come from the policy (see tests/web/matrix.py); a web route missing
from the registry fails `test_every_web_route_is_in_the_matrix`.

Cheap by construction: one world per class of caller (one test each, so xdist spreads
them), signed in once; the routes sharing a `setup` share one run of it, each route
called in a savepoint rolled back afterwards (tests/permissions/matrix.rolled_back, as
the API matrix does). Every page a caller reaches has a title that says where they are."""

import re
from functools import partial
from itertools import groupby

import pytest
from django.conf import settings

from tests.permissions.matrix import build_world, rolled_back
from tests.web.matrix import expected_web_status, registered_routes, web_principals, web_url_names

pytestmark = pytest.mark.django_db

ROUTES = registered_routes()


def test_every_web_route_is_in_the_matrix():
    registered = {route.name for route in ROUTES}
    missing = sorted(web_url_names() - registered)
    assert not missing, f"web routes missing from the web permission matrix (tests/web/**/web_routes.py): {missing}"
    assert not sorted(registered - web_url_names()), "matrix rows for routes that do not exist"


def _by_setup(routes):
    """The routes grouped by their `setup` (in registry order within a group)."""
    key = lambda route: (route.setup is not None, id(route.setup))  # noqa: E731
    return [list(group) for _, group in groupby(sorted(routes, key=key), key=key)]


def _inside_id(inside) -> str:
    return {True: "in", False: "out"}.get(inside, inside)


class _SignedIn:
    """One client per world, signed in once. A route that changes its session (signing
    out, a password change) leaves a session whose row the savepoint rolled back: the
    client signs in again inside each following call's savepoint, and once more for
    good outside the savepoints (`settle`), before the next group."""

    def __init__(self, web, user):
        self.web, self.user = web, user
        self.client = web(user)
        self.stale = False

    def session_key(self):
        cookie = self.client.cookies.get(settings.SESSION_COOKIE_NAME)
        return cookie.value if cookie else None

    def settle(self):
        if self.stale:
            self.client, self.stale = self.web(self.user), False

    def call(self, route, path, data):
        if self.stale:
            self.client = self.web(self.user)  # rolled back with this call's savepoint
        key = self.session_key()
        if route.method == "post":
            response = self.client.post(path, data)
        else:
            response = self.client.get(path)
        self.stale = self.stale or self.session_key() != key
        return response


@pytest.mark.parametrize("role,kind,inside", [
    pytest.param(role, kind, inside, id=f"{role}-{kind}-{_inside_id(inside)}")
    for role, kind, inside in web_principals()])
def test_web_route_status_follows_policy(web, role, kind, inside):
    """One world per class of caller; the routes sharing a setup share one run of it,
    and each route is called in a savepoint rolled back afterwards (a successful POST
    changes nothing the next route sees). A 404 is the GOV.UK "Page not found" page,
    across MARACs too."""
    world = build_world(role, kind, inside)
    caller = _SignedIn(web, world.actor)
    wrong = []
    for group in _by_setup(ROUTES):
        caller.settle()
        wrong += rolled_back(world, partial(_group_mismatches, caller, group, world))
    assert not wrong, "\n".join(wrong)


def _group_mismatches(caller, group, world) -> list[str]:
    if group[0].setup is not None:
        group[0].setup(world)
    wrong = []
    for route in group:
        wrong += rolled_back(world, partial(_route_mismatch, caller, route, world))
    return wrong


def _route_mismatch(caller, route, world) -> list[str]:
    path = route.path(world)
    response = caller.call(route, path, route.data(world) if route.data else {})
    expected = expected_web_status(route, world)
    if response.status_code != expected:
        return [f"{route.method.upper()} {path} ({route.name}): {response.status_code}, expected {expected}"]
    if expected == 404 and b"Page not found" not in response.content:
        return [f"{route.method.upper()} {path} ({route.name}): 404 without 'Page not found'"]
    if (response.status_code == 200 and not response.streaming and b"<html" in response.content
            and not _says_where(response)):  # a whole page: not a download, not an htmx fragment
        return [f"{route.method.upper()} {path} ({route.name}): its title does not say where you are"]
    return []


TITLE = re.compile(r"<title>(?:Error: )?(.+?) – (.+?)</title>", re.S)


def _says_where(response) -> bool:
    """The page's <title> names the page before the service's name ("Case MARAC-… –
    Northshire MARAC"), not the service's name alone."""
    match = TITLE.search(response.content.decode())
    return match is not None and match.group(1).strip() not in ("", match.group(2).strip())


def test_signed_out_callers_are_sent_to_sign_in_from_every_page(web):
    """Every web page needs a session, except the sign-in page itself (each setup run
    once: a signed-out call writes nothing)."""
    world = build_world("practitioner", "police", True)
    client = web()
    for group in _by_setup(ROUTES):
        if group[0].setup is not None:
            group[0].setup(world)
        for route in group:
            path = route.path(world)
            response = getattr(client, route.method)(path)
            if route.name == "sign-in":
                assert response.status_code in (200, 302)
                continue
            assert response.status_code == 302 and response["Location"].startswith("/sign-in/"), (path, response)
