"""A case's risk as the MARAC reads it: the checklist of the referral that brought the
case (its latest accepted one), the case's score graded by that tool, and the answers
that were "yes" under our short labels."""

from .checklists import CHECKLISTS, labelled_yes_answers, risk_level
from .models import Referral, ReferralReason, ReferralStatus


def latest_accepted_rows(referrals, *fields: str):
    """The accepted ones of REFERRALS as rows (case_id, checklist_tool, reason and
    FIELDS), each case's latest first: what a case's risk is read from."""
    return (referrals.filter(status=ReferralStatus.ACCEPTED).order_by("case_id", "-triaged_at", "-id")
            .values("case_id", "checklist_tool", "reason", *fields))


def _latest_accepted_rows(case_ids, *fields: str) -> dict[int, dict]:
    """{case_id: FIELDS of its latest accepted referral}: one query for all the cases."""
    latest: dict[int, dict] = {}
    for row in latest_accepted_rows(Referral.objects.filter(case_id__in=list(case_ids)), *fields):
        latest.setdefault(row["case_id"], row)
    return latest


def _level(row: dict | None, score: int) -> str:
    judgement = bool(row) and row["reason"] == ReferralReason.PROFESSIONAL_JUDGEMENT
    return risk_level(row["checklist_tool"] if row else None, score, professional_judgement=judgement)


def risk_levels_for_cases(case_ids, scores: dict[int, int]) -> dict[int, str]:
    """{case_id: risk level}, as risk_for_cases grades it, for a list of cases: neither
    the answers (a JSON document per case) are read nor their labels built."""
    latest = _latest_accepted_rows(case_ids)
    return {case_id: _level(latest.get(case_id), scores[case_id]) for case_id in case_ids}


def risk_for_cases(case_ids, scores: dict[int, int]) -> dict[int, dict]:
    """{case_id: {level, score, tool, tool_name, professional_judgement, yes_answers}}
    for every case id. One query whatever the number of cases. A case with no accepted
    referral (recorded some other way) has no tool and is not graded."""
    latest = _latest_accepted_rows(case_ids, "checklist_answers")
    return {case_id: risk_from_row(latest.get(case_id), scores[case_id]) for case_id in case_ids}


def risk_from_row(row: dict | None, score: int) -> dict:
    """A case's risk from its latest accepted referral's row (`latest_accepted_rows`
    with "checklist_answers"; None when it has none) and its score."""
    tool = row["checklist_tool"] if row else None
    return {
        "level": _level(row, score),
        "score": score,
        "tool": tool,
        "tool_name": CHECKLISTS[tool].name if tool in CHECKLISTS else None,
        "professional_judgement": bool(row) and row["reason"] == ReferralReason.PROFESSIONAL_JUDGEMENT,
        "yes_answers": labelled_yes_answers(tool, row["checklist_answers"]) if row else [],
    }


RISK_LEVELS = ("high", "medium", "standard", "not_graded")


def _latest_accepted(field: str):
    from django.db.models import OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    latest = (Referral.objects.filter(case_id=OuterRef("pk"), status=ReferralStatus.ACCEPTED)
              .order_by("-triaged_at", "-id").values(field)[:1])
    return Coalesce(Subquery(latest), Value(""))


def with_risk_basis(cases):
    """Cases annotated with what their risk level is read from (as risk_for_cases reads
    it): the tool and reason of their latest accepted referral ("" when none)."""
    return cases.annotate(risk_tool=_latest_accepted("checklist_tool"), risk_reason=_latest_accepted("reason"))


def risk_level_q(level: str):
    """The cases (annotated by with_risk_basis) at this risk level, as a filter: the same
    grading as checklists.risk_level (professional judgement is high; DASH graded by
    its thresholds; anything else not graded), pinned equal to it by the tests."""
    from django.db.models import Q

    from .checklists import DASH, HIGH_RISK_THRESHOLD, MEDIUM_RISK_THRESHOLD

    judgement, dash = Q(risk_reason=ReferralReason.PROFESSIONAL_JUDGEMENT), Q(risk_tool=DASH.tool)
    by_score = {
        "high": dash & Q(risk_score__gte=HIGH_RISK_THRESHOLD),
        "medium": dash & Q(risk_score__gte=MEDIUM_RISK_THRESHOLD, risk_score__lt=HIGH_RISK_THRESHOLD),
        "standard": dash & Q(risk_score__lt=MEDIUM_RISK_THRESHOLD),
        "not_graded": ~dash,
    }
    if level == "high":
        return judgement | by_score["high"]
    return ~judgement & by_score[level]
