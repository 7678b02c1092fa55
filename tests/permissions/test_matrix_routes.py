"""Every routed (path, method) of api/urls.py is in the permission matrix: an Endpoint
of a test_matrix_* module, a list test of one (named below), or a deliberate exemption
(named below, with why). A new route fails here until the matrix covers it."""

import pytest
from django.urls import resolve

from api.checks import routed_methods, walk_routes
from tests.permissions import (
    test_matrix_meetings,
    test_matrix_orders,
    test_matrix_platform,
    test_matrix_spo_requests,
    test_matrix_transfers,
    test_matrix_trust,
)

MATRIX_ENDPOINTS = [*test_matrix_platform.ENDPOINTS, *test_matrix_meetings.ENDPOINTS,
                    *test_matrix_orders.ENDPOINTS, *test_matrix_trust.ENDPOINTS, *test_matrix_transfers.ENDPOINTS,
                    *test_matrix_spo_requests.ENDPOINTS]

# Routes whose status and rows a matrix test checks without an Endpoint row: the
# collections, compared row for row with the slice by each area's list check (run in
# each world of the area's matrix test).
COVERED_BY_LIST_TESTS = {
    ("GET", "/api/v1/cases/"): "test_matrix_platform.py::lists_contain_exactly_the_policy_slice",
    ("GET", "/api/v1/referrals/"): "test_matrix_platform.py::lists_contain_exactly_the_policy_slice",
    ("GET", "/api/v1/agencies/"): "test_matrix_accounts.py::agency_list_follows_policy",
    ("POST", "/api/v1/agencies/"): "test_matrix_accounts.py::agency_create_follows_policy",
    ("GET", "/api/v1/users/"): "test_matrix_accounts.py::user_list_follows_policy",
    ("POST", "/api/v1/users/"): "test_matrix_accounts.py::user_create_follows_policy",
    ("PATCH", "/api/v1/users/1/"): "test_matrix_accounts.py::user_change_follows_policy",
    ("GET", "/api/v1/orders/"): "test_matrix_orders.py::lists_contain_exactly_the_policy_slice",
    ("GET", "/api/v1/requirements/"): "test_matrix_orders.py::lists_contain_exactly_the_policy_slice",
    ("GET", "/api/v1/breaches/"): "test_matrix_orders.py::lists_contain_exactly_the_policy_slice",
    ("GET", "/api/v1/support-plans/"): "test_matrix_orders.py::lists_contain_exactly_the_policy_slice",
    ("GET", "/api/v1/meetings/"): "test_matrix_meetings.py::lists_contain_exactly_the_policy_slice",
    ("GET", "/api/v1/actions/"): "test_matrix_meetings.py::lists_contain_exactly_the_policy_slice",
    ("GET", "/api/v1/notifications/"): "test_matrix_meetings.py::lists_contain_exactly_the_policy_slice",
    ("GET", "/api/v1/audit-events/"): "test_matrix_trust.py::audit_log_lists_exactly_the_policy_slice",
    ("GET", "/api/v1/transfers/"): "test_matrix_transfers.py::the_transfer_list_and_each_rows_fields_follow_policy",
    ("GET", "/api/v1/spo-requests/"): "test_matrix_spo_requests.py::lists_contain_exactly_the_policy_slice",
    ("GET", "/api/v1/reports/data-return/"): "test_matrix_reports.py::test_report_status_follows_policy",
    ("GET", "/api/v1/reports/spo-performance/"): "test_matrix_reports.py::test_report_status_follows_policy",
    ("GET", "/api/v1/reports/actions/"): "test_matrix_reports.py::test_report_status_follows_policy",
}

# Deliberately outside the matrix: no case data and no slice.
EXEMPT = {
    ("GET", "/api/v1/"): "the root: links to the collections, no authentication",
    ("POST", "/api/v1/auth/token/"): "login: no caller yet",
    ("POST", "/api/v1/auth/logout/"): "revokes the caller's own token",
    ("POST", "/api/v1/auth/logout-all/"): "revokes the caller's own tokens",
    ("GET", "/api/v1/me/"): "the caller's own account",
    ("GET", "/api/v1/schema/"): "the OpenAPI document",
    ("GET", "/api/v1/docs/"): "Swagger UI",
    ("GET", "/api/v1/checklists/"): "the DASH / S-DASH labels: any signed-in user, not case data",
    ("GET", "/api/v1/checklists/dash/"): "the DASH / S-DASH labels: any signed-in user, not case data",
}


class _Anything:
    """A stand-in world: every attribute is another stand-in, whose pk is 1."""

    pk = 1

    def __getattr__(self, name):
        return _Anything()


def _route(method: str, url: str) -> tuple[str, str]:
    return method.upper(), resolve(url).route


def routed() -> set[tuple[str, str]]:
    """(METHOD, route) of every route of api/urls.py that a client can call (methods a
    viewset refuses in `http_method_names` answer 405 and are left out)."""
    routes = set()
    for route, callback in walk_routes(prefix="api/v1/"):
        view_class = getattr(callback, "view_class", None) or callback.cls
        if routed_methods(callback):  # a viewset route: {method: action}
            # DRF adds "head" (as "get") to a route's shared actions at its first request,
            # so whether it is listed depended on which tests ran first: a HEAD is its GET.
            methods = [m for m in routed_methods(callback) if m in view_class.http_method_names and m != "head"]
        else:
            methods = [m for m in view_class.http_method_names if m not in ("head", "options") and hasattr(view_class, m)]
        routes |= {(method.upper(), route) for method in methods}
    return routes


def test_every_route_is_in_the_permission_matrix():
    world = _Anything()
    covered = {_route(e.method, e.path(world)) for e in MATRIX_ENDPOINTS}
    covered |= {_route(method, url) for method, url in [*COVERED_BY_LIST_TESTS, *EXEMPT]}
    missing = sorted(routed() - covered)
    assert not missing, f"Routes in no permission matrix (add an Endpoint, or an exemption saying why): {missing}"


@pytest.mark.parametrize("method,url", [*COVERED_BY_LIST_TESTS, *EXEMPT])
def test_each_named_route_exists(method, url):
    assert _route(method, url) in routed()
