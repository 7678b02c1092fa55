"""The 12 months run from the last referral to MARAC (issue 11): the latest referral
accepted onto the case, not its first one, and never a referral that was declined or
still awaits triage. After 12 months it is a new referral."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marac.referrals.models import Referral
from marac.referrals.services import accept_referral, decline_referral, link_referral, one_year_before
from tests.factories import make_agency, make_referral, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return make_user(make_agency("marac_coordination"), "coordinator")


def referred_at(moment, **overrides) -> Referral:
    referral = make_referral(**overrides)
    Referral.objects.filter(pk=referral.pk).update(created_at=moment)
    referral.refresh_from_db()
    return referral


def ago(days: int):
    return timezone.now() - timedelta(days=days)


def test_the_12_months_run_from_the_last_referral_accepted_onto_the_case(coordinator):
    case = accept_referral(referred_at(ago(600)), by=coordinator).case
    again = referred_at(ago(200))
    link_referral(again, case=case, by=coordinator)
    accept_referral(again, by=coordinator)

    repeat = make_referral()
    assert (repeat.is_repeat, repeat.case_id) == (True, case.pk)


def test_a_case_whose_last_referral_to_marac_was_over_12_months_ago_is_not_a_repeat(coordinator):
    accept_referral(referred_at(ago(380)), by=coordinator)
    referral = make_referral()
    assert (referral.is_repeat, referral.case_id) == (False, None)


def test_referrals_not_accepted_onto_the_case_do_not_restart_the_12_months(coordinator):
    case = accept_referral(referred_at(ago(400)), by=coordinator).case
    declined = referred_at(ago(100))
    link_referral(declined, case=case, by=coordinator)
    decline_referral(declined, by=coordinator, reason="Already discussed.")
    pending = referred_at(ago(20))
    link_referral(pending, case=case, by=coordinator)

    referral = make_referral()
    assert (referral.is_repeat, referral.case_id) == (False, None)


def test_the_window_is_12_calendar_months_to_the_instant(coordinator):
    inside = accept_referral(referred_at(one_year_before(timezone.now()) + timedelta(minutes=5)), by=coordinator)
    assert make_referral().case_id == inside.case_id
    Referral.objects.filter(pk=inside.pk).update(created_at=one_year_before(timezone.now()) - timedelta(minutes=5))
    assert make_referral().case_id is None


def test_a_link_to_a_case_last_referred_over_12_months_before_is_not_a_repeat(coordinator):
    old = accept_referral(referred_at(ago(500)), by=coordinator).case
    recent = accept_referral(referred_at(ago(30), victim={"first_name": "Other", "last_name": "Person",
                                                          "date_of_birth": "1970-01-01", "gender": "male"}),
                             by=coordinator).case
    referral = make_referral(victim={"first_name": "Jane", "last_name": "Smith", "date_of_birth": "1988-03-04",
                                     "gender": "female"})
    assert link_referral(referral, case=old, by=coordinator).is_repeat is False
    assert link_referral(referral, case=recent, by=coordinator).is_repeat is True
