"""The permission matrix for MARAC-to-MARAC transfers, generated from the policy table:
every endpoint x every role x every agency kind, coordinators and chairs serving the
sending MARAC, the receiving one or neither, everyone else inside or outside the case.
The world: a case of the sending MARAC (North, the default one) with a transfer pending
to the receiving one (South). One world per class of caller; every endpoint and the
list checked in it, each in a savepoint rolled back
(tests/permissions/matrix.assert_world_follows_policy)."""

from types import SimpleNamespace

import pytest

from marac.agencies.models import AgencyKind, Role
from marac.maracs.services import default_marac
from marac.transfers.models import CaseTransfer
from marac.transfers.services import request_transfer
from permissions.actor import PLATFORM_ADMIN
from tests.factories import (
    CaseFactory,
    make_agency,
    make_marac,
    make_platform_admin,
    make_user,
)
from tests.permissions.matrix import (
    Endpoint,
    assert_world_follows_policy,
    permits,
    principals,
)

pytestmark = pytest.mark.django_db

SERVING = (Role.COORDINATOR, Role.CHAIR)
SENDING, RECEIVING, NEITHER, INSIDE, OUTSIDE = "sending", "receiving", "neither", "in", "out"


def places(role):
    """Where a caller stands: coordinators and chairs serve the sending MARAC, the
    receiving one or neither; agencies are on the case or not; platform admins nowhere."""
    if role == PLATFORM_ADMIN:
        return (OUTSIDE,)
    return (SENDING, RECEIVING, NEITHER) if role in SERVING else (INSIDE, OUTSIDE)


def transfer_world(role, kind, where):
    north, south = default_marac(), make_marac("Southshire MARAC")
    sender = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR, maracs=[north])
    other = make_agency(AgencyKind.POLICE)
    if role == PLATFORM_ADMIN:
        actor, agency = make_platform_admin(), None
    else:
        agency = make_agency(kind)
        served = {SENDING: [north], RECEIVING: [south], NEITHER: [make_marac("Eastshire MARAC")]}.get(where)
        actor = make_user(agency, role, maracs=served)
    case = CaseFactory(marac=north, participants=[other] + ([agency] if where == INSIDE else []))
    spare_case = CaseFactory(marac=north, participants=[other] + ([agency] if where == INSIDE else []))
    transfer = request_transfer(case, to_marac=south, reason="moved_permanently", by=sender, note="Moved.")
    return SimpleNamespace(role=role, kind=kind, where=where, actor=actor, agency=agency, north=north, south=south,
                           case=case, spare_case=spare_case, transfer=transfer)


def case_facts(w):
    return {"participant": w.where == INSIDE, "marac": w.where == SENDING}


def transfer_facts(w):
    return {"marac": w.where == SENDING, "receiving_marac": w.where == RECEIVING}


ENDPOINTS = [
    Endpoint("request transfer", "post", lambda w: f"/api/v1/cases/{w.spare_case.pk}/transfers/", "transfer",
             "create", 201, body=lambda w: {"to_marac": w.south.pk, "reason": "moved_temporarily"},
             parent=("case", case_facts)),
    Endpoint("transfer detail", "get", lambda w: f"/api/v1/transfers/{w.transfer.pk}/", "transfer", "view", 200,
             obj_facts=transfer_facts),
    Endpoint("accept transfer", "post", lambda w: f"/api/v1/transfers/{w.transfer.pk}/accept/", "transfer",
             "decide", 200, body=lambda w: {}, obj_facts=transfer_facts),
    Endpoint("decline transfer", "post", lambda w: f"/api/v1/transfers/{w.transfer.pk}/decline/", "transfer",
             "decide", 200, body=lambda w: {"reason": "She moved back."}, obj_facts=transfer_facts),
]


def params():
    return [(role, kind, where) for role, kind in principals() for where in places(role)]


RECORD_ONLY = {"case", "note", "requested_by", "decided_by"}
SUMMARY_ONLY = {"victim", "risk_level", "open_action_count"}


def the_transfer_list_and_each_rows_fields_follow_policy(client, w):
    role, kind = w.role, w.kind
    rows = client.get("/api/v1/transfers/").json()["results"]
    facts = transfer_facts(w)
    if not permits("transfer", "view", role, kind, facts):
        assert rows == []
        return
    [row] = rows
    assert row["id"] == w.transfer.pk
    assert (RECORD_ONLY <= set(row)) == permits("transfer", "view_record", role, kind, facts)
    assert not (RECORD_ONLY & set(row)) or RECORD_ONLY <= set(row)
    assert (SUMMARY_ONLY <= set(row)) == permits("transfer", "view_summary", role, kind, facts)
    assert not (SUMMARY_ONLY & set(row)) or SUMMARY_ONLY <= set(row)
    assert CaseTransfer.objects.count() == 1  # reading wrote nothing


@pytest.mark.parametrize("role,kind,where", [pytest.param(*p, id="-".join(map(str, p))) for p in params()])
def test_endpoints_and_list_follow_policy(api, role, kind, where):
    w = transfer_world(role, kind, where)
    assert_world_follows_policy(api(w.actor), w, ENDPOINTS,
                                checks=[the_transfer_list_and_each_rows_fields_follow_policy])
