"""A repeat found in another MARAC (issue 12): the victim was referred to another MARAC
in the 12 months before. The receiving MARAC's coordinators see `previous_marac`
(its name and the date), nothing of the other case; the referral opens a case of its own
MARAC. Policy row referral.view_previous_marac, chosen per row."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marac.agencies.models import AgencyKind, Role
from marac.maracs.services import default_marac
from marac.referrals.models import Referral
from marac.referrals.services import accept_referral
from tests.factories import make_agency, make_marac, make_referral, make_user, referral_payload

pytestmark = pytest.mark.django_db

VICTIM = {"first_name": "Anne-Marie", "last_name": "O'Neil", "date_of_birth": "1988-03-04", "gender": "female"}


@pytest.fixture
def north():
    return default_marac()


@pytest.fixture
def south():
    return make_marac("Southshire MARAC")


def coordinator_of(marac):
    return make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR, maracs=[marac])


@pytest.fixture
def northern_case(north):
    return accept_referral(make_referral(marac=north, victim=dict(VICTIM)), by=coordinator_of(north)).case


def refer_south(api, south, user=None, **victim):
    response = api(user or make_user()).post(
        "/api/v1/referrals/", referral_payload(marac=south.pk, victim={**VICTIM, **victim}), format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_repeat_in_another_marac_is_flagged_to_the_receiving_coordinators_as_previous_marac(
        api, north, south, northern_case):
    submitted = refer_south(api, south, first_name="anne marie")
    seen = api(coordinator_of(south)).get(f"/api/v1/referrals/{submitted['id']}/").json()
    assert seen["previous_marac"] == {"name": north.name, "referred_on": timezone.localdate().isoformat()}
    # Nothing of the other case: no link, no match offered, no reference anywhere.
    assert (seen["is_repeat"], seen["case"], seen["likely_matches"]) == (False, None, [])
    assert northern_case.reference not in str(seen)


def test_the_referral_then_opens_a_case_of_its_own_marac(api, north, south, northern_case):
    submitted = refer_south(api, south)
    coordinator = coordinator_of(south)
    accepted = api(coordinator).post(f"/api/v1/referrals/{submitted['id']}/accept/", {}, format="json").json()
    assert accepted["case"] not in (None, northern_case.pk)
    assert api(coordinator).get(f"/api/v1/cases/{accepted['case']}/").json()["marac"] == south.pk
    assert api(coordinator).get(f"/api/v1/cases/{northern_case.pk}/").status_code == 404


def test_previous_marac_is_shown_to_nobody_else(api, north, south, northern_case):
    referrer = make_user()
    submitted = refer_south(api, south, user=referrer)
    assert submitted["previous_marac"] is None  # the referrer's own answer
    chair = make_user(make_agency(AgencyKind.POLICE), Role.CHAIR, maracs=[south])
    for user in (referrer, chair):
        assert api(user).get(f"/api/v1/referrals/{submitted['id']}/").json()["previous_marac"] is None
    assert api(coordinator_of(north)).get(f"/api/v1/referrals/{submitted['id']}/").status_code == 404


def test_a_referral_to_another_marac_more_than_12_months_later_has_no_previous_marac(api, north, south,
                                                                                       northern_case):
    Referral.objects.filter(case=northern_case).update(created_at=timezone.now() - timedelta(days=370))
    submitted = refer_south(api, south)
    assert api(coordinator_of(south)).get(f"/api/v1/referrals/{submitted['id']}/").json()["previous_marac"] is None


def test_a_repeat_in_the_same_marac_is_linked_as_before_without_previous_marac(api, north, south, northern_case):
    response = api(make_user()).post("/api/v1/referrals/", referral_payload(marac=north.pk, victim=dict(VICTIM)),
                                     format="json")
    seen = api(coordinator_of(north)).get(f"/api/v1/referrals/{response.json()['id']}/").json()
    assert (seen["is_repeat"], seen["case"], seen["previous_marac"]) == (True, northern_case.pk, None)
