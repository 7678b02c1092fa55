"""The MARAC referral criteria and the checklists' scoring, each test named after its rule."""

from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.utils import timezone

from marac.errors import DomainError
from marac.referrals.checklists import DASH, SDASH, risk_level_from_score, score
from marac.referrals.models import Referral, ReferralStatus
from marac.referrals.services import accept_referral, find_repeat_case, one_year_before
from tests.factories import dash, make_agency, make_referral, make_user, sdash

pytestmark = pytest.mark.django_db


def test_dash_has_24_numbered_questions_and_sdash_11():
    assert DASH.question_numbers == tuple(str(n) for n in range(1, 25))
    assert SDASH.question_numbers == tuple(str(n) for n in range(1, 12))


def test_score_is_the_count_of_yes_answers():
    answers = {"1": "yes", "2": "no", "3": "not_known", "4": "yes"}
    assert score(answers) == 2


@pytest.mark.parametrize(
    "risk_score,level",
    [(0, "standard"), (9, "standard"), (10, "medium"), (13, "medium"), (14, "high"), (24, "high")],
)
def test_dash_risk_levels_14_plus_high_10_to_13_medium_0_to_9_standard(risk_score, level):
    assert risk_level_from_score("dash", risk_score) == level


def test_visible_high_risk_needs_dash_score_of_14_or_more():
    with pytest.raises(DomainError) as raised:
        make_referral(reason="visible_high_risk", risk_checklist=dash(13))
    assert "reason" in raised.value.messages
    assert make_referral(reason="visible_high_risk", risk_checklist=dash(14)).risk_score == 14


def test_visible_high_risk_cannot_rest_on_an_sdash_score():
    with pytest.raises(DomainError) as raised:
        make_referral(reason="visible_high_risk", risk_checklist=sdash(11))
    assert "reason" in raised.value.messages


def test_professional_judgement_allows_referral_below_14():
    referral = make_referral(reason="professional_judgement", risk_checklist=dash(6))
    assert referral.risk_score == 6
    assert referral.status == ReferralStatus.SUBMITTED


def test_professional_judgement_can_raise_risk_level_never_lower_it():
    raised = make_referral(reason="professional_judgement", risk_checklist=dash(6))
    assert raised.risk_level == "high"
    # A score of 14+ is high whatever the reason; no reason can lower it.
    for reason in ("professional_judgement", "visible_high_risk"):
        assert make_referral(reason=reason, risk_checklist=dash(16)).risk_level == "high"


def test_potential_escalation_needs_3_or_more_police_incidents_in_12_months():
    with pytest.raises(DomainError) as raised:
        make_referral(reason="potential_escalation", risk_checklist=dash(5), police_incidents_last_12_months=2)
    assert "police_incidents_last_12_months" in raised.value.messages
    referral = make_referral(reason="potential_escalation", risk_checklist=dash(5),
                             police_incidents_last_12_months=3)
    assert referral.reason == "potential_escalation"


def test_sharing_without_consent_needs_a_recorded_justification():
    with pytest.raises(DomainError) as raised:
        make_referral(victim_consented=False)
    assert "sharing_justification" in raised.value.messages
    referral = make_referral(victim_consented=False, sharing_justification="Risk to life; consent would alert him.")
    assert referral.victim_consented is False


def _accepted_referral_at(moment: datetime, **overrides) -> Referral:
    referral = make_referral(**overrides)
    Referral.objects.filter(pk=referral.pk).update(created_at=moment)
    coordinator = make_user(make_agency("marac_coordination"), "coordinator")
    return accept_referral(referral, by=coordinator)


def test_repeat_is_a_further_referral_for_the_same_victim_within_12_months():
    first = _accepted_referral_at(timezone.now() - timedelta(days=300))
    again = make_referral()
    assert again.is_repeat is True
    assert again.case_id == first.case_id


def test_repeat_matching_ignores_case_of_names():
    first = _accepted_referral_at(timezone.now() - timedelta(days=30))
    victim = {"first_name": "JANE", "last_name": "doe", "date_of_birth": "1988-03-04", "gender": "female"}
    again = make_referral(victim=victim)
    assert again.is_repeat is True
    assert again.case_id == first.case_id


def test_after_12_months_it_is_a_new_referral_not_a_repeat():
    _accepted_referral_at(timezone.now() - timedelta(days=367))
    again = make_referral()
    assert again.is_repeat is False
    assert again.case_id is None


def test_repeat_needs_the_same_date_of_birth():
    _accepted_referral_at(timezone.now() - timedelta(days=10))
    other = {"first_name": "Jane", "last_name": "Doe", "date_of_birth": "1988-03-05", "gender": "female"}
    assert make_referral(victim=other).is_repeat is False


def test_a_declined_referral_is_not_a_marac_case_so_no_repeat():
    first = make_referral()
    first.status = ReferralStatus.DECLINED
    first.save()
    assert make_referral().is_repeat is False


def test_twelve_month_window_uses_the_calendar_year():
    moment = datetime(2024, 2, 29, 12, 0, tzinfo=dt_timezone.utc)
    assert one_year_before(moment) == datetime(2023, 2, 28, 12, 0, tzinfo=dt_timezone.utc)
    assert one_year_before(datetime(2025, 6, 1, tzinfo=dt_timezone.utc)).date() == date(2024, 6, 1)


def test_find_repeat_case_returns_the_most_recent_case():
    older = _accepted_referral_at(timezone.now() - timedelta(days=200))
    Referral.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=200))
    found = find_repeat_case(first_name="Jane", last_name="Doe", date_of_birth=date(1988, 3, 4), at=timezone.now())
    assert found.pk == older.case_id
