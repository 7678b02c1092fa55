"""The permission matrix for meetings, agendas, actions, packs and notifications,
generated from the policy table: every endpoint x every role x every agency kind x
inside/outside the case (the world of tests/permissions/matrix.py: the caller's agency
is on the case on the meeting's agenda when "inside"). One world per class of caller;
every endpoint and the lists checked in it, each in a savepoint rolled back
(tests/permissions/matrix.assert_world_follows_policy)."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from marac.agencies.models import Role
from marac.meetings.models import Action, ActionCarryOver, AgendaItem, MeetingPack
from marac.notifications.services import notify
from tests.factories import CaseFactory
from tests.meetings.helpers import ActionFactory, make_chair, make_meeting
from tests.permissions.matrix import (
    Endpoint,
    assert_world_follows_policy,
    build_world,
    case_facts,
    permits,
    principal_params,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def meetings_world(role, kind, inside):
    """The platform world plus: a meeting listing the case (and a later one it carried
    into), a ready pack with its files, an action owned by another agency, one owned
    by the caller's agency, and a notification for the caller's agency when inside."""
    w = build_world(role, kind, inside)
    # A chair "inside" chairs the meeting (so may sign its pack off); outside, another chair does.
    chairing = role == Role.CHAIR and w.inside
    w.meeting = make_meeting(on=TODAY - timedelta(days=7), cases=[w.case], chair=w.actor if chairing else None)
    w.later = make_meeting(on=TODAY + timedelta(days=21), cases=[w.case])
    w.extra_case = CaseFactory()
    w.chair_user = make_chair()
    w.other_action = ActionFactory(case=w.case, meeting=w.meeting, owner_agency=w.other)
    # Owned by the caller's agency; outside, the agency is not (or no longer) on the case.
    w.own_action = ActionFactory(case=w.case, meeting=w.meeting, owner_agency=w.agency or w.other)
    ActionCarryOver.objects.create(action=w.other_action, meeting=w.later)
    pack = MeetingPack.objects.create(meeting=w.meeting, requested_by=w.chair_user, status="ready",
                                      fingerprint="stale", generated_at=timezone.now())
    pack.pdf.name = default_storage.save(f"packs/m{w.meeting.pk}.pdf", ContentFile(b"%PDF-1.7 test"))
    pack.json.name = default_storage.save(f"packs/m{w.meeting.pk}.json", ContentFile(b"{}"))
    pack.save()
    w.notification = notify(agency=w.agency if w.inside else w.other, kind="x", message="m", dedupe_key="k")
    return w


def meeting_facts(w):
    return {"participant": w.inside, "chairing": w.meeting.chair_id == w.actor.pk}


def other_action_facts(w):
    return {"participant": w.inside, "own_agency": False}


def own_action_facts(w):
    return {"participant": w.inside, "own_agency": w.agency is not None}


def notification_facts(w):
    # For every role of the agency (`role` blank): addressed to the caller's too.
    return {"own_agency": w.inside, "addressed_to_role": True}


ENDPOINTS = [
    Endpoint("meeting detail", "get", lambda w: f"/api/v1/meetings/{w.meeting.pk}/", "meeting", "view", 200,
             obj_facts=meeting_facts),
    Endpoint("record minutes", "patch", lambda w: f"/api/v1/meetings/{w.meeting.pk}/", "meeting", "change", 200,
             body=lambda w: {"minutes": "Information shared."}, obj_facts=meeting_facts),
    Endpoint("schedule meeting", "post", lambda w: "/api/v1/meetings/", "meeting", "create", 201,
             body=lambda w: {"marac": w.marac.pk, "date": (TODAY + timedelta(days=30)).isoformat(),
                             "chair": w.chair_user.pk}),
    Endpoint("list agenda", "get", lambda w: f"/api/v1/meetings/{w.meeting.pk}/agenda/", "agenda_item", "view", 200,
             parent=("meeting", meeting_facts)),
    Endpoint("add to agenda", "post", lambda w: f"/api/v1/meetings/{w.meeting.pk}/agenda/", "agenda_item", "create",
             201, body=lambda w: {"case": w.extra_case.pk}, parent=("meeting", meeting_facts)),
    # The pack is read against its meeting: "pack.view" decides 404.
    Endpoint("pack status", "get", lambda w: f"/api/v1/meetings/{w.meeting.pk}/pack/", "pack", "view", 200,
             obj_facts=meeting_facts),
    # No broker in tests: the build runs in the request, so the answer is 200 (ready).
    Endpoint("request pack", "post", lambda w: f"/api/v1/meetings/{w.meeting.pk}/pack/", "pack", "create", 200,
             obj_facts=meeting_facts),
    Endpoint("sign off pack", "post", lambda w: f"/api/v1/meetings/{w.meeting.pk}/pack/sign-off/", "pack",
             "sign_off", 200, obj_facts=meeting_facts),
    Endpoint("download pack pdf", "get", lambda w: f"/api/v1/meetings/{w.meeting.pk}/pack/pdf/", "pack", "view", 200,
             obj_facts=meeting_facts),
    Endpoint("download pack json", "get", lambda w: f"/api/v1/meetings/{w.meeting.pk}/pack/json/", "pack", "view",
             200, obj_facts=meeting_facts),
    Endpoint("action detail", "get", lambda w: f"/api/v1/actions/{w.other_action.pk}/", "action", "view", 200,
             obj_facts=other_action_facts),
    Endpoint("update another agency's action", "patch", lambda w: f"/api/v1/actions/{w.other_action.pk}/", "action",
             "change", 200, body=lambda w: {"status": "in_progress", "update": "Started."},
             obj_facts=other_action_facts),
    Endpoint("update own agency's action", "patch", lambda w: f"/api/v1/actions/{w.own_action.pk}/", "action",
             "change", 200, body=lambda w: {"status": "done", "update": "Done."}, obj_facts=own_action_facts),
    # The create grant is MARAC-wide: the body's case decides (400 outside the caller's view).
    Endpoint("create action", "post", lambda w: "/api/v1/actions/", "action", "create", 201,
             body=lambda w: {"case": w.case.pk, "meeting": w.later.pk, "description": "Refer to MASIP.",
                             "owner_agency": w.other.pk, "due_date": (TODAY + timedelta(days=30)).isoformat()},
             extra={"body_parent": ("case", case_facts)}),
    Endpoint("record carry-over reason", "post", lambda w: f"/api/v1/actions/{w.other_action.pk}/carry-over/",
             "action", "record_carry_over", 200,
             body=lambda w: {"meeting": w.later.pk, "reason": "circumstances_changed"}, obj_facts=other_action_facts),
    Endpoint("notification detail", "get", lambda w: f"/api/v1/notifications/{w.notification.pk}/",
             "notification", "view", 200, obj_facts=notification_facts),
    Endpoint("mark notification read", "post", lambda w: f"/api/v1/notifications/{w.notification.pk}/read/",
             "notification", "mark_read", 200, obj_facts=notification_facts),
]


def lists_contain_exactly_the_policy_slice(client, w):
    role, kind = w.role, w.kind
    unrelated = make_meeting(cases=[w.extra_case])

    meetings = [m["id"] for m in client.get("/api/v1/meetings/").json()["results"]]
    if permits("meeting", "view", role, kind, {"participant": False}):
        assert set(meetings) == {w.meeting.pk, w.later.pk, unrelated.pk}
    else:
        assert sorted(meetings) == (sorted([w.meeting.pk, w.later.pk]) if w.inside else [])
    assert len(meetings) == len(set(meetings))  # no duplicate rows from the agenda join

    response = client.get(f"/api/v1/meetings/{w.meeting.pk}/agenda/")
    if permits("meeting", "view", role, kind, meeting_facts(w)):
        items = [i["case"] for i in response.json()["results"]]
        assert items == ([w.case.pk] if permits("agenda_item", "view", role, kind, case_facts(w)) else [])
    else:
        assert response.status_code == 404
    assert AgendaItem.objects.count() == 3  # reading wrote nothing

    actions = {a["id"] for a in client.get("/api/v1/actions/").json()["results"]}
    for action in (w.other_action, w.own_action):
        facts = {"participant": w.inside, "own_agency": action.owner_agency_id == getattr(w.agency, "pk", None)}
        assert (action.pk in actions) == permits("action", "view", role, kind, facts)
    assert Action.objects.count() == 2

    notifications = [n["id"] for n in client.get("/api/v1/notifications/").json()["results"]]
    expected = permits("notification", "view", role, kind, notification_facts(w))
    assert notifications == ([w.notification.pk] if expected else [])


@pytest.mark.parametrize("role,kind,inside", principal_params())
def test_endpoints_and_lists_follow_policy(api, role, kind, inside):
    w = meetings_world(role, kind, inside)
    assert_world_follows_policy(api(w.actor), w, ENDPOINTS, checks=[lists_contain_exactly_the_policy_slice])
