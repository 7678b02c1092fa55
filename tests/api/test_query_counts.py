"""Every list costs the same number of queries for 2 rows as for 50: pinned here.

The pins count: token + user + membership + agency (1, one join), page COUNT (1), the
page (1, slice subquery inlined), one query per to-many relation shown, and for case
data the page's audit events (1 bulk INSERT)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    CaseFactory,
    IncidentFactory,
    ResearchFactory,
    make_agency,
    make_marac,
    make_referral,
    make_user,
)

pytestmark = pytest.mark.django_db


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), len(response.json()["results"])


def build_cases(n, agency):
    for _ in range(n):
        CaseFactory(participants=[agency, make_agency("health")])


def build_referrals(n, user):
    for i in range(n):
        make_referral(user=user, victim={"first_name": f"V{i}", "last_name": "Q", "date_of_birth": "1990-01-01",
                                         "gender": "female"})


LISTS = {
    # name: (pinned queries, path builder, row builder)
    # cases: + the page's children, + one query for the view_safe_contact and
    # view_children_in_full rows together (api.rowslice).
    "cases": (7, lambda ctx: "/api/v1/cases/", lambda ctx, n: build_cases(n, ctx["agency"])),
    # referrals: + one query per page for the view_case_link and view_safe_contact rows
    # together (api.rowslice), + the page's children.
    "referrals": (6, lambda ctx: "/api/v1/referrals/", lambda ctx, n: build_referrals(n, ctx["user"])),
    "research": (5, lambda ctx: f"/api/v1/cases/{ctx['case'].pk}/research/",
                 lambda ctx, n: [ResearchFactory(case=ctx["case"], agency=ctx["agency"]) for _ in range(n)]),
    "incidents": (5, lambda ctx: f"/api/v1/cases/{ctx['case'].pk}/incidents/",
                  lambda ctx, n: [IncidentFactory(case=ctx["case"], agency=ctx["agency"]) for _ in range(n)]),
    "agencies": (3, lambda ctx: "/api/v1/agencies/", lambda ctx, n: [make_agency() for _ in range(n)]),
    "maracs": (3, lambda ctx: "/api/v1/maracs/", lambda ctx, n: [make_marac() for _ in range(n)]),
    # users: + the MARACs each membership serves (`maracs`), one query per page.
    "users": (4, lambda ctx: "/api/v1/users/", lambda ctx, n: [make_user(ctx["agency"]) for _ in range(n)]),
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_list_queries_do_not_grow_with_rows(api, name):
    pinned, path, build = LISTS[name]
    counts = {}
    for rows in (2, 50):
        agency = make_agency("police")
        user = make_user(agency)
        ctx = {"agency": agency, "user": user, "case": CaseFactory(participants=[agency])}
        build(ctx, rows)
        client = api(user)
        client.get("/api/v1/me/")  # warm any per-process caches (content types, permissions)
        counts[rows], seen = count_queries(client, path(ctx))
        assert seen >= rows
    assert counts[2] == counts[50] == pinned, counts
