"""Flag and tag (SafeLives; issue 11): a further incident recorded on an open case within
12 months of its last referral to MARAC flags the case as a repeat for the next agenda,
visible to coordinators; listing the case on an agenda takes the flag up."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marac.cases.models import Case, RepeatFlag
from marac.cases.participants import add_participant
from marac.referrals.models import Referral
from marac.referrals.services import accept_referral
from tests.factories import make_agency, make_referral, make_user
from tests.meetings.helpers import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return make_user(make_agency("marac_coordination"), "coordinator")


@pytest.fixture
def officer():
    return make_user(make_agency("police"))


def case_referred(days_ago: int, by, referrer) -> Case:
    referral = make_referral(user=referrer)
    Referral.objects.filter(pk=referral.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return accept_referral(referral, by=by).case


def log_incident(api, user, case, days_ago: int = 1):
    occurred = (timezone.now() - timedelta(days=days_ago)).isoformat()
    response = api(user).post(f"/api/v1/cases/{case.pk}/incidents/",
                              {"occurred_at": occurred, "behaviour": "loitering", "description": "Outside again."},
                              format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def flag_shown(api, user, case):
    return api(user).get(f"/api/v1/cases/{case.pk}/").json()["repeat_flag"]


def flagged_ids(api, user, value="true"):
    return [row["id"] for row in api(user).get(f"/api/v1/cases/?flagged_repeat={value}").json()["results"]]


def test_a_further_incident_within_12_months_of_the_last_referral_flags_the_case(api, coordinator, officer):
    case = case_referred(200, coordinator, officer)
    assert flag_shown(api, coordinator, case) is None
    incident = log_incident(api, officer, case)

    flag = flag_shown(api, coordinator, case)
    assert flag["incident"] == incident["id"]
    assert "within 12 months of the last referral to MARAC" in flag["reason"]
    assert flagged_ids(api, coordinator) == [case.pk]
    assert case.pk not in flagged_ids(api, coordinator, "false")


def test_an_incident_over_12_months_after_the_last_referral_does_not_flag(api, coordinator, officer):
    case = case_referred(400, coordinator, officer)
    log_incident(api, officer, case)
    assert flag_shown(api, coordinator, case) is None and flagged_ids(api, coordinator) == []


def test_an_incident_before_the_last_referral_or_on_a_closed_case_does_not_flag(api, coordinator, officer):
    case = case_referred(10, coordinator, officer)
    log_incident(api, officer, case, days_ago=30)  # recorded late: not a further incident
    assert not RepeatFlag.objects.exists()
    Case.objects.filter(pk=case.pk).update(status="closed")
    log_incident(api, officer, case)
    assert not RepeatFlag.objects.exists()


def test_the_flag_is_shown_to_coordinators_only(api, coordinator, officer):
    case = case_referred(30, coordinator, officer)
    log_incident(api, officer, case)
    chair = make_user(make_agency("police"), "chair")
    for user in (officer, chair):
        assert flag_shown(api, user, case) is None
        assert flagged_ids(api, user) == []
        assert case.pk in flagged_ids(api, user, "false")


def test_listing_the_case_on_an_agenda_takes_the_flag_up(api, coordinator, officer):
    case = case_referred(30, coordinator, officer)
    log_incident(api, officer, case)
    log_incident(api, officer, case)
    assert RepeatFlag.objects.filter(case=case).count() == 1  # one pending flag per case

    meeting = make_meeting(coordinator=coordinator)
    response = api(coordinator).post(f"/api/v1/meetings/{meeting.pk}/agenda/", {"case": case.pk}, format="json")
    assert response.status_code == 201, response.json()
    assert flag_shown(api, coordinator, case) is None and flagged_ids(api, coordinator) == []
    flag = RepeatFlag.objects.get(case=case)
    assert flag.listed_on_id == response.json()["id"]
    case.refresh_from_db()
    assert case.is_repeat is True

    log_incident(api, officer, case)  # a further incident flags it for the next agenda
    assert flagged_ids(api, coordinator) == [case.pk]


def test_advocates_incidents_flag_too(api, coordinator, officer):
    case = case_referred(30, coordinator, officer)
    advocate = make_user(make_agency("advocacy"))
    add_participant(case, advocate.membership.agency)
    log_incident(api, advocate, case)
    assert flag_shown(api, coordinator, case) is not None
