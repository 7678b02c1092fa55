"""Concurrent writers on PostgreSQL: real threads, each with its own connection, released
together by a barrier. Marked `concurrency`: CI runs them in the fault step against a
private PostgreSQL (.ci/faults) because they hold 50-100 connections at once.

Reproduce: bash .ci/faults   (or, on a PostgreSQL with max_connections >= 120:
DATABASE_URL=postgres://... pytest -m concurrency tests/trust/test_concurrency.py -s)"""

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from marac.agencies.models import AgencyKind, Role
from marac.audit.models import AuditEvent
from marac.cases.models import Case
from marac.referrals.models import Referral
from tests.contract import ContractAPIClient as APIClient
from tests.factories import CaseFactory, make_agency, make_user, referral_payload, token_for

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrent sessions need PostgreSQL"),
]


def run_concurrently(n, request_fn):
    """Start n threads, release them at once, return their responses in thread order."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def worker(i):
        try:
            barrier.wait(timeout=60)
            results[i] = request_fn(i)
        except Exception as exc:  # surfaced by the assertions below
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


@pytest.mark.django_db(transaction=True)
def test_50_concurrent_patches_with_one_etag_exactly_one_wins_and_no_update_is_lost():
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR)
    case = CaseFactory(summary="original")
    etag = client_for(coordinator).get(f"/api/v1/cases/{case.pk}/")["ETag"]

    responses = run_concurrently(50, lambda i: client_for(coordinator).patch(
        f"/api/v1/cases/{case.pk}/", {"summary": f"writer {i}"}, format="json", HTTP_IF_MATCH=etag))

    statuses = Counter(getattr(r, "status_code", repr(r)) for r in responses)
    print(f"\n50 concurrent PATCHes with one ETag: {dict(statuses)}")
    assert statuses == {200: 1, 412: 49}
    winner = next(i for i, r in enumerate(responses) if r.status_code == 200)
    assert Case.objects.get(pk=case.pk).summary == f"writer {winner}"  # the winner's write, nobody else's
    assert responses[winner].json()["summary"] == f"writer {winner}"
    assert AuditEvent.objects.filter(action="update", object_type="case").count() == 1
    # The winner's new ETag is the current one: a follow-up with it succeeds.
    follow_up = client_for(coordinator).patch(f"/api/v1/cases/{case.pk}/", {"summary": "after"}, format="json",
                                              HTTP_IF_MATCH=responses[winner]["ETag"])
    assert follow_up.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_100_concurrent_replays_of_one_idempotency_key_create_one_referral():
    user = make_user(make_agency())
    body = referral_payload()

    responses = run_concurrently(100, lambda i: client_for(user).post(
        "/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="partner-system-retry-1"))

    statuses = Counter(getattr(r, "status_code", repr(r)) for r in responses)
    replayed = sum(1 for r in responses if getattr(r, "headers", {}).get("Idempotent-Replayed") == "true")
    print(f"\n100 concurrent replays: {dict(statuses)}, replayed {replayed}, referrals {Referral.objects.count()}")
    assert statuses == {201: 100}
    assert replayed == 99
    assert Referral.objects.count() == 1
    assert len({r.json()["id"] for r in responses}) == 1
    assert AuditEvent.objects.filter(action="create", object_type="referral").count() == 1
