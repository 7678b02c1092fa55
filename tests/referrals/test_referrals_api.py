import pytest

from marac.cases.models import Case, Perpetrator, Victim
from marac.cases.participants import participant_agencies
from marac.meetings.models import AgendaItem
from marac.notifications.models import Notification
from marac.referrals.models import Referral
from tests.factories import MeetingFactory, dash, make_agency, make_referral, make_user, referral_payload, sdash

pytestmark = pytest.mark.django_db


@pytest.fixture
def police():
    return make_user(make_agency("police"))


@pytest.fixture
def coordinator():
    return make_user(make_agency("marac_coordination"), "coordinator")


def test_submit_referral_scores_and_answers_201(api, police):
    response = api(police).post("/api/v1/referrals/", referral_payload(risk_checklist=dash(17)), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "submitted"
    assert body["risk_score"] == 17
    assert body["risk_level"] == "high"
    assert body["is_repeat"] is False
    assert body["referring_agency"] == police.membership.agency_id
    assert body["victim"]["last_name"] == "Doe"
    assert body["created_at"]
    assert "risk_checklist" not in body and body["checklist_answers"]["17"] == "yes"


def test_sdash_referral_on_professional_judgement(api, police):
    payload = referral_payload(reason="professional_judgement", risk_checklist=sdash(7))
    response = api(police).post("/api/v1/referrals/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["risk_score"] == 7


def test_submitting_notifies_coordinating_agencies(api, police, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(police).post("/api/v1/referrals/", referral_payload(), format="json")
    notification = Notification.objects.get()
    assert notification.agency_id == coordinator.membership.agency_id
    assert notification.role == "coordinator"
    assert notification.object_id == str(response.json()["id"])


def test_repeat_referral_is_flagged_and_linked(api, police, coordinator, django_capture_on_commit_callbacks):
    first = api(police).post("/api/v1/referrals/", referral_payload(), format="json").json()
    accepted = api(coordinator).post(f"/api/v1/referrals/{first['id']}/accept/", {}, format="json").json()
    with django_capture_on_commit_callbacks(execute=True):
        again = api(police).post("/api/v1/referrals/", referral_payload(), format="json").json()
    assert again["is_repeat"] is True
    assert again["case"] == accepted["case"]
    assert Notification.objects.filter(kind="repeat_referral").count() == 1


def test_accept_creates_case_grants_referrer_and_lists_on_meeting(api, police, coordinator):
    referral = make_referral(user=police)
    meeting = MeetingFactory()
    response = api(coordinator).post(f"/api/v1/referrals/{referral.pk}/accept/", {"meeting": meeting.pk},
                                     format="json")
    assert response.status_code == 200, response.json()
    case = Case.objects.get(pk=response.json()["case"])
    assert response.json()["status"] == "accepted"
    assert list(participant_agencies(case)) == [police.membership.agency]
    assert case.risk_score == referral.risk_score and case.stalking is True
    assert case.reference.startswith("MARAC-")
    assert AgendaItem.objects.filter(meeting=meeting, case=case).exists()
    # The referrer now sees the case.
    assert api(police).get(f"/api/v1/cases/{case.pk}/").status_code == 200


def test_accepting_a_repeat_reopens_its_case(api, police, coordinator):
    first = make_referral(user=police)
    case_id = api(coordinator).post(f"/api/v1/referrals/{first.pk}/accept/", {}, format="json").json()["case"]
    Case.objects.filter(pk=case_id).update(status="closed")
    again = make_referral(user=police, risk_checklist=dash(20))
    response = api(coordinator).post(f"/api/v1/referrals/{again.pk}/accept/", {}, format="json")
    assert response.json()["case"] == case_id
    case = Case.objects.get(pk=case_id)
    assert case.status == "open" and case.is_repeat is True and case.risk_score == 20
    assert Case.objects.count() == 1


def test_decline_needs_a_reason(api, police, coordinator):
    referral = make_referral(user=police)
    response = api(coordinator).post(f"/api/v1/referrals/{referral.pk}/decline/", {}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    response = api(coordinator).post(f"/api/v1/referrals/{referral.pk}/decline/", {"reason": "   "}, format="json")
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.status == "submitted"

    response = api(coordinator).post(f"/api/v1/referrals/{referral.pk}/decline/",
                                     {"reason": "Standard risk; signposted to IDVA service."}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert response.json()["decline_reason"] == "Standard risk; signposted to IDVA service."


def test_a_triaged_referral_cannot_be_triaged_again(api, police, coordinator):
    referral = make_referral(user=police)
    client = api(coordinator)
    assert client.post(f"/api/v1/referrals/{referral.pk}/accept/", {}, format="json").status_code == 200
    again = client.post(f"/api/v1/referrals/{referral.pk}/decline/", {"reason": "x"}, format="json")
    assert again.status_code == 400 and "status" in again.json()
    assert client.post(f"/api/v1/referrals/{referral.pk}/accept/", {}, format="json").status_code == 400
    assert Case.objects.count() == 1


def test_accept_on_a_closed_meeting_is_400_and_creates_no_case(api, police, coordinator):
    referral = make_referral(user=police)
    meeting = MeetingFactory(status="closed")
    response = api(coordinator).post(f"/api/v1/referrals/{referral.pk}/accept/", {"meeting": meeting.pk},
                                     format="json")
    assert response.status_code == 400 and "meeting" in response.json()
    assert Case.objects.count() == 0
    referral.refresh_from_db()
    assert referral.status == "submitted"


def test_referrals_are_seen_by_referring_agency_coordinators_and_chairs_only(api, police, coordinator):
    referral = make_referral(user=police)
    colleague = make_user(police.membership.agency, "manager")
    chair = make_user(make_agency("police"), "chair")
    other_police = make_user(make_agency("police"))
    housing = make_user(make_agency("housing"))
    for user in (police, colleague, coordinator, chair):
        assert api(user).get(f"/api/v1/referrals/{referral.pk}/").status_code == 200
    for user in (other_police, housing):
        assert api(user).get(f"/api/v1/referrals/{referral.pk}/").status_code == 404
        assert api(user).get("/api/v1/referrals/").json()["results"] == []


def test_filter_referrals_by_status(api, police, coordinator):
    submitted = make_referral(user=police)
    declined = make_referral(user=police, victim={"first_name": "Ann", "last_name": "Lee",
                                                  "date_of_birth": "1970-01-01", "gender": "female"})
    api(coordinator).post(f"/api/v1/referrals/{declined.pk}/decline/", {"reason": "no"}, format="json")
    rows = api(coordinator).get("/api/v1/referrals/?status=submitted").json()["results"]
    assert [r["id"] for r in rows] == [submitted.pk]


@pytest.mark.parametrize(
    "change,field",
    [
        ({"risk_checklist": {"tool": "dash", "answers": {str(n): "yes" for n in range(1, 24)}}}, "risk_checklist"),
        ({"risk_checklist": {"tool": "dash", "answers": {**dash(15)["answers"], "25": "yes"}}}, "risk_checklist"),
        ({"risk_checklist": {"tool": "dash", "answers": {**dash(15)["answers"], "3": "maybe"}}}, "risk_checklist"),
        ({"risk_checklist": {"tool": "sdash", "answers": dash(15)["answers"]}}, "risk_checklist"),
        ({"risk_checklist": {"tool": "oasys", "answers": {}}}, "risk_checklist"),
        ({"reason": "gut_feeling"}, "reason"),
        ({"reason": "visible_high_risk", "risk_checklist": dash(13)}, "reason"),
        ({"children_in_household": -1}, "children_in_household"),
        ({"children_in_household": "two"}, "children_in_household"),
        ({"stalking": "perhaps"}, "stalking"),
        ({"victim": {"first_name": "A", "last_name": "B", "date_of_birth": "2999-01-01", "gender": "female"}},
         "victim"),
        ({"victim": {"first_name": "A", "last_name": "B", "date_of_birth": "1990-02-30", "gender": "female"}},
         "victim"),
        ({"victim": {"first_name": "A", "last_name": "B", "date_of_birth": "1990-01-01", "gender": "woman"}},
         "victim"),
        ({"perpetrator": {"first_name": "A", "last_name": "B", "relationship": "neighbour"}}, "perpetrator"),
        ({"victim": "Jane Doe"}, "victim"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
def test_bad_referral_is_400_keyed_by_field_and_writes_nothing(api, police, coordinator, change, field,
                                                               django_capture_on_commit_callbacks):
    payload = referral_payload(**change)
    with django_capture_on_commit_callbacks(execute=True):
        response = api(police).post("/api/v1/referrals/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Referral.objects.count() == 0 and Victim.objects.count() == 0 and Perpetrator.objects.count() == 0
    assert Notification.objects.count() == 0


def test_notifying_twice_raises_one_notification_per_agency(police, coordinator):
    from marac.referrals.tasks import notify_coordinators_of_referral

    referral = make_referral(user=police)
    notify_coordinators_of_referral(referral.pk)
    notify_coordinators_of_referral(referral.pk)
    assert Notification.objects.filter(object_id=str(referral.pk)).count() == 1


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"text"', b""])
def test_a_body_that_is_not_a_json_object_is_400(api, police, body):
    response = api(police).generic("POST", "/api/v1/referrals/", body, content_type="application/json")
    assert response.status_code == 400
    assert Referral.objects.count() == 0
