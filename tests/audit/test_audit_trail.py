"""The audit trail: every read and write of case data through the base viewset leaves
events; the log is append-only; managers and platform admins read it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from marac.agencies.models import AgencyKind, Role
from marac.audit.models import AppendOnlyError, AuditEvent
from tests.factories import (
    CaseFactory,
    ResearchFactory,
    make_agency,
    make_platform_admin,
    make_referral,
    make_user,
    referral_payload,
)

pytestmark = pytest.mark.django_db


def events(**filters):
    return list(AuditEvent.objects.filter(**filters).order_by("id").values_list("action", "object_type", "object_id"))


def test_reading_a_case_records_a_view_event_with_who_when_and_where(api):
    police = make_agency(AgencyKind.POLICE)
    user = make_user(police)
    case = CaseFactory(participants=[police])
    before = timezone.now()
    response = api(user).get(f"/api/v1/cases/{case.pk}/", HTTP_X_REQUEST_ID="req-123", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id) == ("view", "case", str(case.pk))
    assert (event.user_id, event.agency_id, event.username) == (user.pk, police.pk, user.username)
    assert event.request_id == "req-123" and response["X-Request-ID"] == "req-123"
    assert event.client_address == "10.1.2.3"
    assert event.at >= before and event.operation == "retrieve"


def test_a_list_page_records_one_view_event_per_row_in_one_insert(api, django_assert_num_queries):
    police = make_agency(AgencyKind.POLICE)
    user = make_user(police)
    cases = CaseFactory.create_batch(3, participants=[police])
    client = api(user)
    # token, count, page, the page's policy rows (safe contact, children), participants,
    # children, 1 INSERT
    with django_assert_num_queries(7) as captured:
        response = client.get("/api/v1/cases/")
    inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert response.status_code == 200 and len(inserts) == 1
    assert sorted(e[2] for e in events(action="view")) == sorted(str(c.pk) for c in cases)


def test_list_audit_costs_the_same_queries_for_2_and_50_rows(api, django_assert_num_queries):
    police = make_agency(AgencyKind.POLICE)
    user = make_user(police)
    client = api(user)
    CaseFactory.create_batch(2, participants=[police])
    with django_assert_num_queries(7):  # as above
        client.get("/api/v1/cases/")
    CaseFactory.create_batch(48, participants=[police])
    with django_assert_num_queries(7):
        assert len(client.get("/api/v1/cases/").json()["results"]) == 50
    assert AuditEvent.objects.filter(action="view").count() == 52


def test_nested_lists_of_research_are_audited_as_research(api):
    police = make_agency(AgencyKind.POLICE)
    user = make_user(police)
    case = CaseFactory(participants=[police])
    research = ResearchFactory(case=case, agency=police)
    assert api(user).get(f"/api/v1/cases/{case.pk}/research/").status_code == 200
    assert events() == [("view", "research", str(research.pk))]


def test_writes_record_create_and_update_events(api):
    police = make_agency(AgencyKind.POLICE)
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR)
    user = make_user(police)
    case = CaseFactory(participants=[police])
    created = api(user).post(f"/api/v1/cases/{case.pk}/research/", {"summary": "Known.", "shared_with_marac": True})
    assert created.status_code == 201
    referral = make_referral(user=user)
    assert api(coordinator).post(f"/api/v1/referrals/{referral.pk}/decline/", {"reason": "No."}).status_code == 200
    assert api(coordinator).patch(f"/api/v1/cases/{case.pk}/", {"status": "closed"}).status_code == 200
    assert events() == [("create", "research", str(created.json()["id"])), ("update", "referral", str(referral.pk)),
                        ("update", "case", str(case.pk))]
    assert AuditEvent.objects.get(object_type="referral").operation == "decline"


def test_failed_requests_write_no_audit_event(api):
    police = make_agency(AgencyKind.POLICE)
    user = make_user(police)
    outside = CaseFactory()
    assert api(user).get(f"/api/v1/cases/{outside.pk}/").status_code == 404
    assert api(user).post("/api/v1/referrals/", {"summary": "no checklist"}).status_code == 400
    assert events() == []


def test_directory_reads_are_not_case_data_and_not_audited(api):
    user = make_user(make_agency())
    assert api(user).get("/api/v1/agencies/").status_code == 200
    assert api(user).get("/api/v1/users/").status_code == 200
    assert events() == []


def test_submitting_a_referral_records_its_creation(api):
    user = make_user(make_agency())
    response = api(user).post("/api/v1/referrals/", referral_payload(), format="json")
    assert response.status_code == 201
    assert events() == [("create", "referral", str(response.json()["id"]))]


def test_audit_events_cannot_be_updated_or_deleted_through_the_application():
    event = AuditEvent.objects.create(at=timezone.now(), action="view", object_type="case", object_id="1")
    event.object_id = "2"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(object_id="3")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().object_id == "1"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_rejects_update_and_delete_of_audit_events_on_postgresql():
    from django.db import DatabaseError, transaction

    event = AuditEvent.objects.create(at=timezone.now(), action="view", object_type="case", object_id="1")
    for sql in ("UPDATE audit_auditevent SET object_id = '9'", "DELETE FROM audit_auditevent"):
        with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.get(pk=event.pk).object_id == "1"


# ---- GET /api/v1/audit-events/ ---------------------------------------------------------

def _event(user, agency, when, object_type="case", object_id="1", action="view"):
    return AuditEvent.objects.create(at=when, user_id=user.pk, agency_id=agency.pk, username=user.username,
                                     action=action, object_type=object_type, object_id=object_id)


@pytest.fixture
def log():
    police, housing = make_agency(AgencyKind.POLICE), make_agency(AgencyKind.HOUSING)
    officer, housing_officer = make_user(police), make_user(housing)
    now = timezone.now()
    return {
        "police": police, "housing": housing, "officer": officer, "housing_officer": housing_officer,
        "e1": _event(officer, police, now - timedelta(days=3), object_id="7"),
        "e2": _event(officer, police, now, object_type="research", object_id="8", action="create"),
        "e3": _event(housing_officer, housing, now, object_id="7"),
    }


def ids(response):
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


def test_managers_see_the_events_of_their_own_agencys_users_only(api, log):
    manager = make_user(log["police"], Role.MANAGER)
    assert ids(api(manager).get("/api/v1/audit-events/")) == sorted([log["e1"].pk, log["e2"].pk])


def test_platform_admins_see_every_event(api, log):
    assert ids(api(make_platform_admin()).get("/api/v1/audit-events/")) == sorted(
        [log["e1"].pk, log["e2"].pk, log["e3"].pk])


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.COORDINATOR, Role.CHAIR])
def test_nobody_else_sees_audit_events(api, log, role):
    assert ids(api(make_user(log["police"], role)).get("/api/v1/audit-events/")) == []


def test_audit_events_filter_by_user_object_and_date(api, log):
    client = api(make_platform_admin())
    assert ids(client.get(f"/api/v1/audit-events/?user={log['housing_officer'].pk}")) == [log["e3"].pk]
    assert ids(client.get("/api/v1/audit-events/?object_type=case&object_id=7")) == sorted([log["e1"].pk, log["e3"].pk])
    today = timezone.localdate()
    assert ids(client.get(f"/api/v1/audit-events/?date_after={today}")) == sorted([log["e2"].pk, log["e3"].pk])
    assert ids(client.get(f"/api/v1/audit-events/?date_before={today - timedelta(days=1)}")) == [log["e1"].pk]
    assert client.get("/api/v1/audit-events/?action=bogus").status_code == 400


def test_audit_event_rows_carry_the_contract_fields(api, log):
    row = api(make_platform_admin()).get("/api/v1/audit-events/?object_type=research").json()["results"][0]
    assert {"at", "user", "agency", "action", "object_type", "object_id"} <= set(row)
    assert (row["user"], row["agency"], row["action"], row["object_id"]) == (
        log["officer"].pk, log["police"].pk, "create", "8")


@pytest.mark.not_in_contract("POST and DELETE are not operations of the audit log: that is the point")
def test_the_audit_log_has_no_write_endpoint(api, log):
    client = api(make_platform_admin())
    assert client.post("/api/v1/audit-events/", {}).status_code == 405
    assert client.delete(f"/api/v1/audit-events/{log['e1'].pk}/").status_code == 404


@pytest.mark.urls("tests.audit.urls")
@pytest.mark.not_in_contract("a test-only viewset at /packlike/")
def test_a_custom_action_declares_download_in_audit_actions(api):
    police = make_agency(AgencyKind.POLICE)
    case = CaseFactory(participants=[police])
    assert api(make_user(police)).get(f"/packlike/{case.pk}/download/").status_code == 200
    assert events() == [("download", "case", str(case.pk))]


@pytest.mark.urls("tests.audit.urls")
@pytest.mark.not_in_contract("a test-only viewset at /packlike/")
def test_a_custom_action_records_downloads_through_the_audit_hook_in_one_insert(api, django_assert_num_queries):
    police = make_agency(AgencyKind.POLICE)
    case = CaseFactory(participants=[police])
    client = api(make_user(police))
    with django_assert_num_queries(3) as captured:  # token, object, 1 INSERT (nothing serialised)
        assert client.get(f"/packlike/{case.pk}/files/").status_code == 200
    assert sum(q["sql"].startswith("INSERT") for q in captured.captured_queries) == 1
    assert events() == [("download", "meeting_pack_pdf", str(case.pk)), ("download", "meeting_pack_json", str(case.pk))]
