"""Schema-driven fuzzing: schemathesis generates requests for EVERY operation in the
committed openapi.yaml (positive and negative data) and sends them through the Django
app (WSGI, in-process) as several roles. Zero 5xx, zero responses that do not match
the schema (status, content type, body, documented headers), and invalid data must be
rejected. New endpoints are covered as soon as they are in openapi.yaml.

Reproduce: pytest -m fuzz tests/fuzz -s   (prints the request count per role)
Size: MARAC_FUZZ_EXAMPLES examples per operation and mode (default 10: about 2,250 requests)."""

import logging
import os
from pathlib import Path

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from marac.agencies.models import AgencyKind, Role
from tests.factories import (
    CaseFactory,
    IncidentFactory,
    MeetingFactory,
    ResearchFactory,
    make_agency,
    make_platform_admin,
    make_referral,
    make_user,
    token_for,
)

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

SCHEMA = schemathesis.openapi.from_path(Path(__file__).resolve().parents[2] / "openapi.yaml")
APP = WSGIHandler()
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance, negative_data_rejection]
EXAMPLES = int(os.environ.get("MARAC_FUZZ_EXAMPLES", "10"))
ROLES = ["coordinator", "police_practitioner", "advocate", "police_manager", "platform_admin"]
MIN_REQUESTS_TOTAL = 2000
# Each role's operations in SHARES interleaved parts, one test each: a role's fuzzing
# takes minutes, and shorter tests spread evenly over the suite's workers.
SHARES = 2


def build_world():
    """A small MARAC whose ids the generator will hit (small integers)."""
    coordination = make_agency(AgencyKind.MARAC_COORDINATION)
    police, advocacy, housing = (make_agency(AgencyKind.POLICE), make_agency(AgencyKind.ADVOCACY),
                                 make_agency(AgencyKind.HOUSING))
    users = {
        "coordinator": make_user(coordination, Role.COORDINATOR),
        "police_practitioner": make_user(police),
        "advocate": make_user(advocacy),
        "police_manager": make_user(police, Role.MANAGER),
        "platform_admin": make_platform_admin(),
    }
    make_user(housing)
    MeetingFactory()
    for i in range(3):
        case = CaseFactory(participants=[police, advocacy] if i < 2 else [housing])
        ResearchFactory(case=case, agency=police)
        IncidentFactory(case=case, agency=police)
        make_referral(user=users["police_practitioner"])
    return users


def operations(share: int):
    """Every SHARES-th operation from the SHARE-th: the shares together are all of them."""
    return [result.ok() for result in SCHEMA.get_all_operations()][share::SHARES]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django's raw WSGI handler closes "old" connections at each request's start and end;
    inside the test's transaction that would close it (the test client does the same
    disconnect)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def request_counts():
    counts = {}
    yield counts
    total = sum(counts.values())
    print(f"\nschemathesis requests by role: {counts}; total {total}")


@pytest.mark.parametrize("share", range(SHARES), ids=lambda share: f"share{share}")
@pytest.mark.parametrize("role", ROLES)
def test_every_operation_survives_fuzzing_as(role, share, request_counts, caplog):
    caplog.set_level(logging.CRITICAL, logger="django.request")  # thousands of expected 4xx lines
    users = build_world()
    headers = {"Authorization": f"Token {token_for(users[role])}"}
    sent = 0
    for operation in operations(share):
        # Logging out revokes the token it is sent with: each call gets its own, so the
        # operations after it are still fuzzed as this role.
        revokes = operation.path.startswith("/api/v1/auth/logout")
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def fuzz(case):
                nonlocal sent
                sent += 1
                own = {"Authorization": f"Token {token_for(users[role])}"} if revokes else headers
                case.call_and_validate(app=APP, headers=own, checks=CHECKS)

            try:
                fuzz()
            except Unsatisfiable:
                pass  # nothing to make invalid (e.g. negative data for GET /me/)
    request_counts[(role, share)] = sent
    # Every role and share sends its part of the >= 2000 requests of the run.
    assert sent >= MIN_REQUESTS_TOTAL / (len(ROLES) * SHARES), sent
