"""The web permission matrix, generated from the policy table: every route of the `web`
namespace x every role x every agency kind the policy distinguishes x inside/outside
the case, plus platform admins. Expected statuses come from the policy (see
tests/web/matrix.py); a web route missing from the registry fails
`test_every_web_route_is_in_the_matrix`."""

import pytest
from django.db import transaction

from tests.permissions.matrix import build_world
from tests.web.matrix import expected_web_status, registered_routes, web_principals, web_url_names

pytestmark = pytest.mark.django_db

ROUTES = registered_routes()


def test_every_web_route_is_in_the_matrix():
    registered = {route.name for route in ROUTES}
    missing = sorted(web_url_names() - registered)
    assert not missing, f"web routes missing from the web permission matrix (tests/web/**/web_routes.py): {missing}"
    assert not sorted(registered - web_url_names()), "matrix rows for routes that do not exist"


@pytest.mark.parametrize("role,kind,inside", [
    pytest.param(role, kind, inside, id=f"{role}-{kind}-{'in' if inside else 'out'}")
    for role, kind, inside in web_principals()])
def test_web_route_status_follows_policy(web, role, kind, inside):
    """One world per class of caller; each route is called in a savepoint rolled back
    afterwards (a successful POST changes nothing the next route sees)."""
    world = build_world(role, kind, inside)
    wrong = []
    for route in ROUTES:
        with transaction.atomic():
            if route.setup is not None:
                route.setup(world)
            path = route.path(world)
            client = web(world.actor)
            if route.method == "post":
                response = client.post(path, route.data(world) if route.data else {})
            else:
                response = client.get(path)
            expected = expected_web_status(route, world)
            if response.status_code != expected:
                wrong.append(f"{route.method.upper()} {path} ({route.name}): "
                             f"{response.status_code}, expected {expected}")
            transaction.set_rollback(True)
    assert not wrong, "\n".join(wrong)


def test_signed_out_callers_are_sent_to_sign_in_from_every_page(web):
    """Every web page needs a session, except the sign-in page itself."""
    world = build_world("practitioner", "police", True)
    for route in ROUTES:
        if route.setup is not None:
            route.setup(world)
        path = route.path(world)
        response = getattr(web(), route.method)(path)
        if route.name == "sign-in":
            assert response.status_code in (200, 302)
            continue
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/"), (path, response)
