"""An Idempotency-Key replay answers the stored body only while the caller may still see
what the first request created or acted on: a caller removed from the case since gets
404, like any object outside its slice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marac.agencies.models import AgencyKind, Membership
from marac.cases.participants import remove_participant
from marac.notifications.services import notify
from tests.factories import CaseFactory, make_agency, make_user

pytestmark = pytest.mark.django_db

SECRET = "Moved to the refuge on Mill Lane."


def order_body(case):
    return {"case": case.pk, "kind": "full", "status": "granted", "applied_on": "2025-02-18",
            "granted_on": "2025-03-10", "court": SECRET, "prohibitions": ["No contact with the victim."]}


def plan_body(case):
    return {"case": case.pk, "needs": ["Safe housing"], "safety_measures": [SECRET], "goals": "Feel safe.",
            "next_review": (timezone.localdate() + timedelta(days=28)).isoformat(), "status": "active"}


@pytest.mark.parametrize("kind, url, body", [
    (AgencyKind.POLICE, "/api/v1/orders/", order_body),
    (AgencyKind.ADVOCACY, "/api/v1/support-plans/", plan_body),
])
def test_a_participant_removed_from_the_case_cannot_replay_a_create_to_read_it(api, kind, url, body):
    agency = make_agency(kind)
    case = CaseFactory(participants=[agency])
    client = api(make_user(agency))
    first = client.post(url, body(case), format="json", HTTP_IDEMPOTENCY_KEY="create-1")
    assert first.status_code == 201, first.content
    assert client.post(url, body(case), format="json", HTTP_IDEMPOTENCY_KEY="create-1").status_code == 201

    remove_participant(case, agency)
    replay = client.post(url, body(case), format="json", HTTP_IDEMPOTENCY_KEY="create-1")
    assert replay.status_code == 404
    assert SECRET not in replay.content.decode() and "Idempotent-Replayed" not in replay


def test_a_participant_removed_from_the_case_cannot_replay_a_nested_create(api):
    police = make_agency(AgencyKind.POLICE)
    case = CaseFactory(participants=[police])
    client = api(make_user(police))
    url, body = f"/api/v1/cases/{case.pk}/research/", {"summary": SECRET, "shared_with_marac": False}
    assert client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="nested-1").status_code == 201
    remove_participant(case, police)
    replay = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="nested-1")
    assert replay.status_code == 404 and SECRET not in replay.content.decode()


def test_a_user_moved_to_another_agency_cannot_replay_an_action_on_its_old_agencys_object(api):
    housing = make_agency(AgencyKind.HOUSING)
    user = make_user(housing)
    notification = notify(agency=housing, kind="action_overdue", message=SECRET, dedupe_key="n-1",
                          case=CaseFactory(participants=[housing]))
    client = api(user)
    url = f"/api/v1/notifications/{notification.pk}/read/"
    assert client.post(url, HTTP_IDEMPOTENCY_KEY="read-1").status_code == 200
    Membership.objects.filter(user=user).update(agency=make_agency(AgencyKind.HEALTH))
    replay = client.post(url, HTTP_IDEMPOTENCY_KEY="read-1")
    assert replay.status_code == 404 and SECRET not in replay.content.decode()


def test_a_deactivated_user_cannot_replay_anything(api):
    police = make_agency(AgencyKind.POLICE)
    user = make_user(police)
    case = CaseFactory(participants=[police])
    client = api(user)
    assert client.post("/api/v1/orders/", order_body(case), format="json",
                       HTTP_IDEMPOTENCY_KEY="gone-1").status_code == 201
    user.is_active = False
    user.save(update_fields=["is_active"])
    replay = client.post("/api/v1/orders/", order_body(case), format="json", HTTP_IDEMPOTENCY_KEY="gone-1")
    assert replay.status_code == 401 and SECRET not in replay.content.decode()
