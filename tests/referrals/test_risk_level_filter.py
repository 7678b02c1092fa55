"""The case list's risk filter, and its levels read without the answers, grade cases
exactly as risk_for_cases does."""

import pytest

from marac.cases.models import Case
from marac.referrals.risk import RISK_LEVELS, risk_for_cases, risk_level_q, risk_levels_for_cases, with_risk_basis
from marac.referrals.services import accept_referral
from tests.factories import CaseFactory, dash, make_agency, make_referral, make_user, sdash

pytestmark = pytest.mark.django_db


def test_risk_level_filter_grades_cases_as_risk_for_cases_does():
    coordinator = make_user(make_agency("marac_coordination"), "coordinator")
    cases = [CaseFactory(risk_score=12)]  # recorded without a referral: not graded
    for tool, reason in [("dash", "professional_judgement"), ("dash", "potential_escalation"),
                         ("sdash", "professional_judgement"), ("sdash", "potential_escalation")]:
        for score in (0, 9, 10, 13, 14, 20):
            checklist = dash(min(score, 24)) if tool == "dash" else sdash(min(score, 11))
            referral = make_referral(reason=reason, risk_checklist=checklist, police_incidents_last_12_months=3,
                                     victim={"first_name": f"V{tool}{reason[:3]}{score}", "last_name": "Doe",
                                             "date_of_birth": "1980-01-01", "gender": "female"})
            case = accept_referral(referral, by=coordinator).case
            Case.objects.filter(pk=case.pk).update(risk_score=score)
            cases.append(case)
    ids = [case.pk for case in cases]
    scores = dict(Case.objects.filter(pk__in=ids).values_list("pk", "risk_score"))
    expected = {pk: risk["level"] for pk, risk in risk_for_cases(ids, scores).items()}
    annotated = with_risk_basis(Case.objects.filter(pk__in=ids))
    found = {pk: level for level in RISK_LEVELS
             for pk in annotated.filter(risk_level_q(level)).values_list("pk", flat=True)}
    assert found == expected
    assert risk_levels_for_cases(ids, scores) == expected
    assert set(expected.values()) == set(RISK_LEVELS)
