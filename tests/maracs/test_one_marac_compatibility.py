"""A deployment with one MARAC behaves as before MARACs existed (issue 12): nobody sends
`marac` or `maracs` anywhere, and everything lands in the only MARAC."""

import pytest

from marac.agencies.models import AgencyKind
from tests.factories import TEST_PASSWORD, make_agency, make_platform_admin, referral_payload

pytestmark = pytest.mark.django_db


def test_one_marac_deployment_works_without_naming_the_marac_anywhere(api):
    admin = api(make_platform_admin())
    coordination, police = make_agency(AgencyKind.MARAC_COORDINATION), make_agency(AgencyKind.POLICE)
    accounts = {}
    for username, agency, role in (("coord", coordination, "coordinator"), ("chair", police, "chair"),
                                   ("officer", police, "practitioner")):
        response = admin.post("/api/v1/users/", {"username": username, "password": TEST_PASSWORD,
                                                 "agency": agency.pk, "role": role}, format="json")
        assert response.status_code == 201, response.json()
        accounts[username] = response.json()
    from django.contrib.auth import get_user_model

    users = {name: get_user_model().objects.get(pk=body["id"]) for name, body in accounts.items()}
    (marac,) = api(users["officer"]).get("/api/v1/maracs/").json()["results"]
    assert accounts["coord"]["maracs"] == accounts["chair"]["maracs"] == [marac["id"]]
    assert accounts["officer"]["maracs"] == []

    referral = api(users["officer"]).post("/api/v1/referrals/", referral_payload(), format="json")
    assert referral.status_code == 201 and referral.json()["marac"] == marac["id"]
    coordinator = api(users["coord"])
    meeting = coordinator.post("/api/v1/meetings/", {"date": "2030-03-01", "chair": users["chair"].pk},
                               format="json")
    assert meeting.status_code == 201 and meeting.json()["marac"] == marac["id"]
    accepted = coordinator.post(f"/api/v1/referrals/{referral.json()['id']}/accept/",
                                {"meeting": meeting.json()["id"]}, format="json")
    assert accepted.status_code == 200, accepted.json()
    case = coordinator.get(f"/api/v1/cases/{accepted.json()['case']}/").json()
    assert case["marac"] == marac["id"]
    agenda = api(users["chair"]).get(f"/api/v1/meetings/{meeting.json()['id']}/agenda/").json()["results"]
    assert [item["case"] for item in agenda] == [case["id"]]
    action = coordinator.post("/api/v1/actions/", {
        "case": case["id"], "meeting": meeting.json()["id"], "description": "Safety visit.",
        "owner_agency": police.pk, "due_date": "2030-03-15"}, format="json")
    assert action.status_code == 201, action.json()
