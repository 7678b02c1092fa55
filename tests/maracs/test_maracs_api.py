"""MARACs (issue 12): the directory, who serves which MARAC, which MARAC a referral,
case and meeting belongs to, and the reach of coordinators and chairs."""

import pytest

from marac.agencies.models import AgencyKind, Membership, Role
from marac.maracs.models import Marac
from marac.maracs.services import MARAC_NOT_ACTIVE, NAME_THE_MARAC, default_marac
from marac.meetings.services import CASE_OF_ANOTHER_MARAC
from marac.referrals.services import MEETING_OF_ANOTHER_MARAC, accept_referral
from tests.factories import (
    CaseFactory,
    TEST_PASSWORD,
    make_agency,
    make_marac,
    make_platform_admin,
    make_referral,
    make_user,
    referral_payload,
)
from tests.meetings.helpers import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def north():
    return default_marac()


@pytest.fixture
def south():
    return make_marac("Southshire MARAC", local_area="Southshire")


def coordinator_of(marac):
    return make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR, maracs=[marac])


def chair_of(marac):
    return make_user(make_agency(AgencyKind.POLICE), Role.CHAIR, maracs=[marac])


# The directory

def test_any_user_reads_the_marac_directory(api, north, south):
    rows = api(make_user()).get("/api/v1/maracs/").json()["results"]
    assert {row["name"] for row in rows} == {north.name, south.name}
    assert set(rows[0]) == {"id", "name", "local_area", "is_active", "confidentiality_statement",
                            "adult_female_population"}


def test_platform_admins_record_and_change_maracs_and_members_may_not(api, north):
    admin = make_platform_admin()
    created = api(admin).post("/api/v1/maracs/", {"name": "Eastshire MARAC", "adult_female_population": 81000},
                              format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["is_active"] is True
    changed = api(admin).patch(f"/api/v1/maracs/{created.json()['id']}/", {"is_active": False}, format="json")
    assert changed.status_code == 200 and changed.json()["is_active"] is False
    coordinator = coordinator_of(north)
    assert api(coordinator).post("/api/v1/maracs/", {"name": "Mine"}, format="json").status_code == 403
    assert api(coordinator).patch(f"/api/v1/maracs/{north.pk}/", {"local_area": "x"}, format="json").status_code == 403


def test_a_marac_name_is_unique_and_a_population_positive(api, north):
    response = api(make_platform_admin()).post("/api/v1/maracs/", {"name": north.name, "adult_female_population": 0},
                                               format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"name", "adult_female_population"}
    assert Marac.objects.count() == 1


# Who serves which MARAC

def test_coordinators_and_chairs_serve_the_only_active_marac_when_none_is_named(api, north):
    body = {"username": "new.chair", "password": TEST_PASSWORD, "agency": make_agency().pk, "role": "chair"}
    response = api(make_platform_admin()).post("/api/v1/users/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["maracs"] == [north.pk]


def test_maracs_are_required_for_coordinators_and_chairs_when_several_are_active(api, north, south):
    admin = make_platform_admin()
    body = {"username": "new.coordinator", "password": TEST_PASSWORD,
            "agency": make_agency(AgencyKind.MARAC_COORDINATION).pk, "role": "coordinator"}
    missing = api(admin).post("/api/v1/users/", body, format="json")
    assert missing.status_code == 400 and missing.json()["maracs"] == [NAME_THE_MARAC]
    named = api(admin).post("/api/v1/users/", {**body, "maracs": [south.pk]}, format="json")
    assert named.status_code == 201 and named.json()["maracs"] == [south.pk]
    both = api(admin).patch(f"/api/v1/users/{named.json()['id']}/", {"maracs": [north.pk, south.pk]}, format="json")
    assert both.status_code == 200 and sorted(both.json()["maracs"]) == sorted([north.pk, south.pk])


def test_only_coordinators_and_chairs_serve_maracs_and_only_platform_admins_set_them(api, north):
    agency = make_agency()
    practitioner = {"username": "p", "password": TEST_PASSWORD, "agency": agency.pk, "role": "practitioner",
                    "maracs": [north.pk]}
    refused = api(make_platform_admin()).post("/api/v1/users/", practitioner, format="json")
    assert refused.status_code == 400 and "maracs" in refused.json()
    manager = make_user(agency, Role.MANAGER)
    assert api(manager).post("/api/v1/users/", practitioner, format="json").status_code == 403
    colleague = make_user(agency)
    assert api(manager).patch(f"/api/v1/users/{colleague.pk}/", {"maracs": []}, format="json").status_code == 403


def test_only_platform_admins_set_the_maracs_a_user_serves(api, north):
    """The policy row user.assign_maracs, declared on the account's description
    (body_field_rows) and enforced by the permission class: a manager who may create and
    change the account is refused (403, saying why) once the body names `maracs`, and
    nothing is written."""
    agency = make_agency(AgencyKind.MARAC_COORDINATION)
    manager = make_user(agency, Role.MANAGER)
    why = "Only platform administrators set the MARACs a user serves."
    body = {"username": "m2", "password": TEST_PASSWORD, "agency": agency.pk, "role": "manager",
            "maracs": [north.pk]}
    refused = api(manager).post("/api/v1/users/", body, format="json")
    assert refused.status_code == 403 and refused.json()["detail"] == why
    assert not Membership.objects.filter(user__username="m2").exists()
    without = {key: value for key, value in body.items() if key != "maracs"}
    assert api(manager).post("/api/v1/users/", without, format="json").status_code == 201
    colleague = make_user(agency)
    changed = api(manager).patch(f"/api/v1/users/{colleague.pk}/", {"maracs": [north.pk]}, format="json")
    assert changed.status_code == 403 and changed.json()["detail"] == why
    assert not colleague.membership.maracs.exists()
    assert api(manager).patch(f"/api/v1/users/{colleague.pk}/", {"email": "c@example.org"},
                              format="json").status_code == 200


def test_an_inactive_marac_is_not_served(api, north):
    closed = make_marac("Closed MARAC", is_active=False)
    body = {"username": "c", "password": TEST_PASSWORD, "agency": make_agency().pk, "role": "chair",
            "maracs": [closed.pk]}
    response = api(make_platform_admin()).post("/api/v1/users/", body, format="json")
    assert response.status_code == 400 and "maracs" in response.json()


# Referrals, cases and meetings belong to one MARAC

def test_a_referral_names_its_marac_when_several_are_active(api, north, south):
    referrer = make_user()
    missing = api(referrer).post("/api/v1/referrals/", referral_payload(), format="json")
    assert missing.status_code == 400 and missing.json() == {"marac": [NAME_THE_MARAC]}
    sent = api(referrer).post("/api/v1/referrals/", referral_payload(marac=south.pk), format="json")
    assert sent.status_code == 201 and sent.json()["marac"] == south.pk


def test_a_referral_to_an_inactive_marac_is_refused(api, north):
    closed = make_marac("Closed MARAC", is_active=False)
    response = api(make_user()).post("/api/v1/referrals/", referral_payload(marac=closed.pk), format="json")
    assert response.status_code == 400 and response.json() == {"marac": [MARAC_NOT_ACTIVE]}


def test_the_case_takes_its_referrals_marac_on_accept(api, north, south):
    referral = make_referral(marac=south)
    accepted = api(coordinator_of(south)).post(f"/api/v1/referrals/{referral.pk}/accept/", {}, format="json")
    assert accepted.status_code == 200, accepted.json()
    case = api(coordinator_of(south)).get(f"/api/v1/cases/{accepted.json()['case']}/").json()
    assert case["marac"] == south.pk


def test_accepting_a_referral_onto_another_marac_s_meeting_is_refused(api, north, south):
    referral = make_referral(marac=south)
    meeting = make_meeting(marac=north)
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR, maracs=[north, south])
    response = api(coordinator).post(f"/api/v1/referrals/{referral.pk}/accept/", {"meeting": meeting.pk},
                                     format="json")
    assert response.status_code == 400 and response.json() == {"meeting": [MEETING_OF_ANOTHER_MARAC]}
    referral.refresh_from_db()
    assert referral.status == "submitted" and referral.case_id is None


def test_only_a_meetings_maracs_cases_go_on_its_agenda(api, north, south):
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR, maracs=[north, south])
    meeting = make_meeting(marac=north)
    southern = CaseFactory(marac=south)
    response = api(coordinator).post(f"/api/v1/meetings/{meeting.pk}/agenda/", {"case": southern.pk}, format="json")
    assert response.status_code == 400 and response.json() == {"case": [CASE_OF_ANOTHER_MARAC]}
    assert not meeting.agenda_items.exists()
    northern = CaseFactory(marac=north)
    assert api(coordinator).post(f"/api/v1/meetings/{meeting.pk}/agenda/", {"case": northern.pk},
                                 format="json").status_code == 201


def test_a_coordinator_schedules_meetings_only_for_the_maracs_they_serve(api, north, south):
    coordinator, chair = coordinator_of(north), chair_of(south)
    body = {"date": "2030-02-01", "chair": chair.pk}
    assert api(coordinator).post("/api/v1/meetings/", body, format="json").json() == {"marac": [NAME_THE_MARAC]}
    assert api(coordinator).post("/api/v1/meetings/", {**body, "marac": south.pk}, format="json").status_code == 403
    created = api(coordinator_of(south)).post("/api/v1/meetings/", {**body, "marac": south.pk}, format="json")
    assert created.status_code == 201 and created.json()["marac"] == south.pk


def test_a_meetings_chair_serves_its_marac(api, north, south):
    response = api(coordinator_of(north)).post(
        "/api/v1/meetings/", {"marac": north.pk, "date": "2030-02-01", "chair": chair_of(south).pk}, format="json")
    assert response.status_code == 400 and "chair" in response.json()


# Reach: coordinators and chairs only their MARACs' objects

def test_coordinators_and_chairs_reach_only_their_maracs_referrals_cases_and_meetings(api, north, south):
    northern_referral = make_referral(marac=north)
    southern_referral = make_referral(marac=south)
    northern_case = accept_referral(northern_referral, by=coordinator_of(north)).case
    southern_case = accept_referral(southern_referral, by=coordinator_of(south)).case
    northern_meeting, southern_meeting = make_meeting(marac=north, cases=[northern_case]), make_meeting(
        marac=south, cases=[southern_case])
    for user in (coordinator_of(north), chair_of(north)):
        client = api(user)
        assert [r["id"] for r in client.get("/api/v1/referrals/").json()["results"]] == [northern_referral.pk]
        assert [c["id"] for c in client.get("/api/v1/cases/").json()["results"]] == [northern_case.pk]
        assert [m["id"] for m in client.get("/api/v1/meetings/").json()["results"]] == [northern_meeting.pk]
        for path in (f"/api/v1/referrals/{southern_referral.pk}/", f"/api/v1/cases/{southern_case.pk}/",
                     f"/api/v1/meetings/{southern_meeting.pk}/", f"/api/v1/meetings/{southern_meeting.pk}/agenda/",
                     f"/api/v1/meetings/{southern_meeting.pk}/pack/"):
            assert client.get(path).status_code == 404, path


def test_a_coordinator_serving_two_maracs_reaches_both(api, north, south):
    both = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR, maracs=[north, south])
    cases = {CaseFactory(marac=north).pk, CaseFactory(marac=south).pk}
    assert {c["id"] for c in api(both).get("/api/v1/cases/").json()["results"]} == cases


def test_agencies_reach_their_cases_across_maracs(api, north, south):
    police = make_agency(AgencyKind.POLICE)
    cases = {CaseFactory(marac=north, participants=[police]).pk, CaseFactory(marac=south, participants=[police]).pk}
    assert {c["id"] for c in api(make_user(police)).get("/api/v1/cases/").json()["results"]} == cases


def test_new_referral_notifications_go_to_the_receiving_marac_s_coordinators(api, north, south,
                                                                           django_capture_on_commit_callbacks):
    northern, southern = coordinator_of(north), coordinator_of(south)
    with django_capture_on_commit_callbacks(execute=True):
        make_referral(marac=south)
    assert api(northern).get("/api/v1/notifications/").json()["results"] == []
    assert len(api(southern).get("/api/v1/notifications/").json()["results"]) == 1
