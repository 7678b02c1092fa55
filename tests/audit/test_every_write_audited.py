"""Every successful write and every download through a case-data viewset leaves an audit
event naming what was written or sent. The operations are read from the URL conf: a new
write or download route without an entry in OPERATIONS fails
`test_every_routed_write_and_download_has_an_audit_case`."""

import itertools
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from api.viewsets import SliceViewSet
from marac.agencies.models import AgencyKind, Role
from marac.maracs.services import default_marac
from marac.audit.models import AuditEvent
from marac.meetings.services import add_to_agenda
from marac.notifications.services import notify
from marac.orders.services import record_notifiable_change
from marac.transfers.services import request_transfer
from tests.factories import (
    CaseFactory,
    make_agency,
    make_marac,
    make_platform_admin,
    make_referral,
    make_user,
    referral_payload,
)
from tests.meetings.helpers import ActionFactory, make_coordinator, make_meeting
from tests.orders.factories import make_breach, make_order, make_plan, make_requirement

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
WRITE_METHODS = ("post", "put", "patch", "delete")


def _walk(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns)
        else:
            yield pattern


def routed_operations() -> set[tuple[str, str]]:
    """(route name, method) of every write, and of every GET declared a download, on a
    SliceViewSet (format-suffix duplicates fold into their route's name)."""
    operations = set()
    for pattern in _walk(get_resolver().url_patterns):
        view = getattr(pattern.callback, "cls", None)
        actions = getattr(pattern.callback, "actions", None) or {}
        if view is None or not issubclass(view, SliceViewSet):
            continue
        for method, action in actions.items():
            # DRF's view adds "head" (as "get") to a route's shared actions at its first
            # request, so whether it is listed depends on which tests ran first: a HEAD is
            # its GET, audited as that.
            if method not in view.http_method_names or method == "head":
                continue
            if method in WRITE_METHODS or view.audit_actions.get(action) == "download":
                operations.add((pattern.name, method))
    return operations


@pytest.fixture
def world():
    police, advocacy, housing = (make_agency(k) for k in (AgencyKind.POLICE, AgencyKind.ADVOCACY, AgencyKind.HOUSING))
    provider = make_agency(AgencyKind.INTERVENTION_PROVIDER)
    case = CaseFactory(participants=[police, advocacy, housing])
    officer, advocate, housing_officer = make_user(police), make_user(advocacy), make_user(housing)
    chair = make_user(make_agency(AgencyKind.POLICE), Role.CHAIR)
    meeting = make_meeting(on=TODAY + timedelta(days=7), chair=chair, cases=[case])
    return SimpleNamespace(police=police, advocacy=advocacy, housing=housing, provider=provider, case=case,
                           officer=officer, advocate=advocate, housing_officer=housing_officer, chair=chair,
                           meeting=meeting, coordinator=make_coordinator(), admin=make_platform_admin(),
                           provider_worker=make_user(provider))


CREATED = object()  # the expected object id is the `id` of the answer's body
_ids = itertools.count()  # one X-Request-ID per request, to find its events


def _order(w):
    return make_order(w.case, w.police, w.officer)


def _carried_action(w):
    action = ActionFactory(case=w.case, meeting=w.meeting, owner_agency=w.housing, due_date=TODAY)
    later = make_meeting(on=TODAY + timedelta(days=35))
    add_to_agenda(later, w.case)
    return action, later


def _pending_transfer(w):
    """A transfer of the world's case to another MARAC, and that MARAC's coordinator."""
    south = make_marac()
    transfer = request_transfer(w.case, to_marac=south, reason="moved_permanently", by=w.coordinator)
    return transfer, make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR, maracs=[south])


def _ready_pack(w, capture):
    with capture(execute=True):
        from marac.meetings.packs import request_pack

        request_pack(w.meeting, by=w.chair)
    return w.meeting


# (route name, method) -> builds (caller, url, body, expected status, (audit action, object type, object id)).
OPERATIONS = {
    ("case-research-list", "post"): lambda w, c: (
        w.officer, f"/api/v1/cases/{w.case.pk}/research/", {"summary": "Known.", "shared_with_marac": True}, 201,
        ("create", "research", CREATED)),
    ("case-incident-list", "post"): lambda w, c: (
        w.advocate, f"/api/v1/cases/{w.case.pk}/incidents/",
        {"occurred_at": "2025-01-02T08:15:00Z", "behaviour": "following", "description": "From the diary."}, 201,
        ("create", "incident", CREATED)),
    ("order-requirement-list", "post"): lambda w, c: (
        w.officer, f"/api/v1/orders/{_order(w).pk}/requirements/",
        {"kind": "intervention_programme", "description": "Complete the programme.",
         "responsible_agency": w.provider.pk}, 201, ("create", "requirement", CREATED)),
    ("case-spo-request-list", "post"): lambda w, c: (
        w.advocate, f"/api/v1/cases/{w.case.pk}/spo-requests/", {"requested_on": TODAY.isoformat(),
                                                                  "requested_by_victim": True}, 201,
        ("create", "spo_request", CREATED)),
    ("order-breach-list", "post"): lambda w, c: (
        w.advocate, f"/api/v1/orders/{_order(w).pk}/breaches/",
        {"occurred_at": "2025-04-01T12:00:00+00:00", "description": "Sent messages via a friend."}, 201,
        ("create", "breach", CREATED)),
    ("meeting-agenda-list", "post"): lambda w, c: (
        w.coordinator, f"/api/v1/meetings/{w.meeting.pk}/agenda/", {"case": CaseFactory(participants=[w.police]).pk},
        201, ("create", "agenda_item", CREATED)),
    ("agency-list", "post"): lambda w, c: (
        w.admin, "/api/v1/agencies/", {"name": "Northshire Fire", "kind": "other"}, 201, ("create", "agency", CREATED)),
    ("marac-list", "post"): lambda w, c: (
        w.admin, "/api/v1/maracs/", {"name": "Northshire East MARAC", "local_area": "East"}, 201,
        ("create", "marac", CREATED)),
    ("marac-detail", "patch"): lambda w, c: (
        w.admin, f"/api/v1/maracs/{default_marac().pk}/", {"adult_female_population": 95000}, 200,
        ("update", "marac", default_marac().pk)),
    ("user-list", "post"): lambda w, c: (
        w.admin, "/api/v1/users/", {"username": "new.user", "password": "correct-horse-battery",
                                    "email": "new@example.org", "agency": w.housing.pk, "role": "practitioner"},
        201, ("create", "user", CREATED)),
    ("user-detail", "patch"): lambda w, c: (
        w.admin, f"/api/v1/users/{w.provider_worker.pk}/", {"is_active": False}, 200,
        ("update", "user", w.provider_worker.pk)),
    ("referral-list", "post"): lambda w, c: (
        w.officer, "/api/v1/referrals/", referral_payload(), 201, ("create", "referral", CREATED)),
    ("referral-accept", "post"): lambda w, c: (lambda r: (
        w.coordinator, f"/api/v1/referrals/{r.pk}/accept/", {}, 200, ("update", "referral", r.pk)))(
        make_referral(user=w.officer)),
    ("referral-decline", "post"): lambda w, c: (lambda r: (
        w.coordinator, f"/api/v1/referrals/{r.pk}/decline/", {"reason": "No."}, 200, ("update", "referral", r.pk)))(
        make_referral(user=w.officer)),
    ("referral-link", "post"): lambda w, c: (lambda r: (
        w.coordinator, f"/api/v1/referrals/{r.pk}/link/", {"case": w.case.pk}, 200, ("update", "referral", r.pk)))(
        make_referral(user=w.officer)),
    ("case-detail", "patch"): lambda w, c: (
        w.coordinator, f"/api/v1/cases/{w.case.pk}/", {"status": "closed"}, 200, ("update", "case", w.case.pk)),
    ("case-participants", "post"): lambda w, c: (
        w.coordinator, f"/api/v1/cases/{w.case.pk}/participants/", {"agency": w.provider.pk}, 201,
        ("update", "case", w.case.pk)),
    ("case-remove-participant", "delete"): lambda w, c: (
        w.coordinator, f"/api/v1/cases/{w.case.pk}/participants/{w.housing.pk}/", None, 204,
        ("update", "case", w.case.pk)),
    ("order-list", "post"): lambda w, c: (
        w.officer, "/api/v1/orders/",
        {"case": w.case.pk, "kind": "full", "status": "granted", "applied_on": "2025-02-18", "granted_on": "2025-03-10",
         "court": "Northshire Magistrates' Court", "prohibitions": ["No contact with the victim by any means."]},
        201, ("create", "order", CREATED)),
    ("order-detail", "patch"): lambda w, c: (lambda o: (
        w.officer, f"/api/v1/orders/{o.pk}/", {"court": "Elsewhere"}, 200, ("update", "order", o.pk)))(_order(w)),
    ("requirement-detail", "patch"): lambda w, c: (lambda r: (
        w.provider_worker, f"/api/v1/requirements/{r.pk}/", {"status": "scheduled"}, 200,
        ("update", "requirement", r.pk)))(make_requirement(_order(w), w.provider)),
    ("requirement-events", "post"): lambda w, c: (lambda r: (
        w.provider_worker, f"/api/v1/requirements/{r.pk}/events/", {"kind": "attended", "occurred_on": "2025-04-01"},
        201, ("update", "requirement", r.pk)))(make_requirement(_order(w), w.provider)),
    ("breach-detail", "patch"): lambda w, c: (lambda b: (
        w.officer, f"/api/v1/breaches/{b.pk}/", {"status": "investigating", "police_response": "Attended."}, 200,
        ("update", "breach", b.pk)))(make_breach(_order(w), w.advocacy, w.advocate)),
    ("order-notification-list", "post"): lambda w, c: (
        w.officer, f"/api/v1/orders/{_order(w).pk}/notifications/",
        {"kind": "address_change", "changed_on": "2025-04-01"}, 201, ("create", "notifiable_change", CREATED)),
    ("order-notification-detail", "patch"): lambda w, c: (lambda n: (
        w.officer, f"/api/v1/orders/{n.order_id}/notifications/{n.pk}/", {"notified_on": "2025-04-02"}, 200,
        ("update", "notifiable_change", n.pk)))(record_notifiable_change(
            _order(w), by=w.officer, kind="name_change", changed_on=date(2025, 4, 1))),
    ("support-plan-list", "post"): lambda w, c: (
        w.advocate, "/api/v1/support-plans/",
        {"case": w.case.pk, "needs": ["Safe housing"], "safety_measures": ["Panic alarm"], "goals": "Feel safe.",
         "next_review": (TODAY + timedelta(days=28)).isoformat(), "status": "active"},
        201, ("create", "support_plan", CREATED)),
    ("support-plan-detail", "patch"): lambda w, c: (lambda p: (
        w.advocate, f"/api/v1/support-plans/{p.pk}/", {"goals": "Feel safe at work."}, 200,
        ("update", "support_plan", p.pk)))(make_plan(w.case, w.advocacy, w.advocate)),
    ("meeting-list", "post"): lambda w, c: (
        w.coordinator, "/api/v1/meetings/", {"date": (TODAY + timedelta(days=60)).isoformat(), "chair": w.chair.pk},
        201, ("create", "meeting", CREATED)),
    ("meeting-detail", "patch"): lambda w, c: (
        w.coordinator, f"/api/v1/meetings/{w.meeting.pk}/", {"status": "held"}, 200, ("update", "meeting", w.meeting.pk)),
    # No broker in tests: the build runs in the request, so the answer is 200 (ready).
    ("meeting-pack", "post"): lambda w, c: (
        w.chair, f"/api/v1/meetings/{w.meeting.pk}/pack/", None, 200, ("update", "meeting", w.meeting.pk)),
    ("meeting-pack-sign-off", "post"): lambda w, c: (
        w.chair, f"/api/v1/meetings/{_ready_pack(w, c).pk}/pack/sign-off/", None, 200,
        ("update", "meeting", w.meeting.pk)),
    ("meeting-pack-pdf", "get"): lambda w, c: (
        w.chair, f"/api/v1/meetings/{_ready_pack(w, c).pk}/pack/pdf/", None, 200,
        ("download", "meeting", w.meeting.pk)),
    ("meeting-pack-json", "get"): lambda w, c: (
        w.chair, f"/api/v1/meetings/{_ready_pack(w, c).pk}/pack/json/", None, 200,
        ("download", "meeting", w.meeting.pk)),
    ("action-list", "post"): lambda w, c: (
        w.coordinator, "/api/v1/actions/",
        {"case": w.case.pk, "meeting": w.meeting.pk, "description": "Fit a door alarm.", "owner_agency": w.housing.pk,
         "due_date": (TODAY + timedelta(days=14)).isoformat()}, 201, ("create", "action", CREATED)),
    ("action-detail", "patch"): lambda w, c: (lambda a: (
        w.housing_officer, f"/api/v1/actions/{a.pk}/", {"status": "in_progress", "update": "Visit booked."}, 200,
        ("update", "action", a.pk)))(ActionFactory(case=w.case, meeting=w.meeting, owner_agency=w.housing)),
    ("action-carry-over", "post"): lambda w, c: (lambda a, later: (
        w.coordinator, f"/api/v1/actions/{a.pk}/carry-over/", {"meeting": later.pk, "reason": "circumstances_changed"},
        200, ("update", "action", a.pk)))(*_carried_action(w)),
    ("notification-read", "post"): lambda w, c: (lambda n: (
        w.housing_officer, f"/api/v1/notifications/{n.pk}/read/", None, 200, ("update", "notification", n.pk)))(
        notify(agency=w.housing, kind="action_overdue", message="Due.", dedupe_key="k1", case=w.case)),
    ("case-transfer-list", "post"): lambda w, c: (
        w.coordinator, f"/api/v1/cases/{w.case.pk}/transfers/",
        {"to_marac": make_marac().pk, "reason": "moved_temporarily", "note": "In a refuge."}, 201,
        ("create", "transfer", CREATED)),
    ("transfer-accept", "post"): lambda w, c: (lambda t, receiver: (
        receiver, f"/api/v1/transfers/{t.pk}/accept/", {}, 200, ("update", "transfer", t.pk)))(*_pending_transfer(w)),
    ("transfer-decline", "post"): lambda w, c: (lambda t, receiver: (
        receiver, f"/api/v1/transfers/{t.pk}/decline/", {"reason": "She moved back."}, 200,
        ("update", "transfer", t.pk)))(*_pending_transfer(w)),
}


def test_every_routed_write_and_download_has_an_audit_case():
    assert routed_operations() == set(OPERATIONS)


@pytest.mark.parametrize("operation", sorted(OPERATIONS), ids=lambda op: f"{op[1].upper()} {op[0]}")
def test_every_successful_write_and_download_is_audited(api, world, operation, django_capture_on_commit_callbacks):
    caller, url, body, expected_status, (action, object_type, object_id) = OPERATIONS[operation](
        world, django_capture_on_commit_callbacks)
    request_id = f"every-write-{next(_ids)}"
    client = api(caller)
    method = operation[1]
    with django_capture_on_commit_callbacks(execute=False):
        response = getattr(client, method)(url, body, format="json", HTTP_X_REQUEST_ID=request_id)
    assert response.status_code == expected_status, response.content
    if object_id is CREATED:
        object_id = response.json()["id"]
    recorded = set(AuditEvent.objects.filter(request_id=request_id).values_list("action", "object_type", "object_id"))
    assert (action, object_type, str(object_id)) in recorded



def test_listing_a_case_already_on_the_agenda_is_audited_as_a_view_not_a_create(api, world):
    client = api(world.coordinator)
    response = client.post(f"/api/v1/meetings/{world.meeting.pk}/agenda/", {"case": world.case.pk}, format="json")
    assert response.status_code == 200
    assert list(AuditEvent.objects.values_list("action", "object_type", "object_id")) == [
        ("view", "agenda_item", str(response.json()["id"]))]
