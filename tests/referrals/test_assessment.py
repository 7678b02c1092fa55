"""The referral's risk as it is written (the web form's score panel) reads the same
criteria as the submit: one statement of each rule."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from marac.errors import DomainError
from marac.referrals.services import assess_referral, check_birth_dates
from tests.factories import dash


def test_assessment_scores_the_yes_answers_given_so_far():
    result = assess_referral(tool="dash", answers={"1": "yes", "2": "yes", "3": "no"})
    assert (result["score"], result["answered"], result["questions"]) == (2, 3, 24)
    assert result["risk_level"] == "standard"


def test_assessment_grades_dash_at_the_thresholds():
    assert assess_referral(tool="dash", answers=dash(14)["answers"])["risk_level"] == "high"
    assert assess_referral(tool="dash", answers=dash(10)["answers"])["risk_level"] == "medium"


def test_sdash_is_not_graded_and_professional_judgement_raises_the_level():
    assert assess_referral(tool="sdash", answers={"1": "yes"})["risk_level"] == "not_graded"
    assert assess_referral(tool="sdash", answers={}, reason="professional_judgement")["risk_level"] == "high"


def test_visible_high_risk_below_the_threshold_is_a_problem_before_submitting():
    result = assess_referral(tool="dash", answers=dash(13)["answers"], reason="visible_high_risk",
                             victim_consented=True)
    assert list(result["problems"]) == ["reason"]
    assert assess_referral(tool="dash", answers=dash(14)["answers"], reason="visible_high_risk",
                           victim_consented=True)["problems"] == {}


def test_potential_escalation_needs_three_police_incidents_before_submitting():
    result = assess_referral(tool="dash", answers={}, reason="potential_escalation", police_incidents=2,
                             victim_consented=True)
    assert list(result["problems"]) == ["police_incidents_last_12_months"]


def test_sharing_without_consent_needs_a_justification_before_submitting():
    assert "sharing_justification" in assess_referral(tool="dash", answers={}, victim_consented=None)["problems"]
    assert assess_referral(tool="dash", answers={}, victim_consented=False,
                           sharing_justification="Risk to life.")["problems"] == {}


def test_assessment_ignores_numbers_the_tool_does_not_have():
    assert assess_referral(tool="sdash", answers={"12": "yes", "1": "yes"})["score"] == 1


@pytest.mark.parametrize("born, message", [
    (date(1899, 12, 31), "This date of birth is before 1900."),
    ("tomorrow", "This date cannot be in the future."),
])
def test_birth_dates_are_plausible_in_the_domain(born, message):
    if born == "tomorrow":
        born = timezone.localdate() + timedelta(days=1)
    with pytest.raises(DomainError) as raised:
        check_birth_dates(victim={"date_of_birth": born}, perpetrator={"date_of_birth": None})
    assert raised.value.messages == {"victim": {"date_of_birth": [message]}}
