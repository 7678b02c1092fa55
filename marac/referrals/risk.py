"""A case's risk as the MARAC reads it: the checklist of the referral that brought the
case (its latest accepted one), the case's score graded by that tool, and the answers
that were "yes" under our short labels."""

from .checklists import CHECKLISTS, labelled_yes_answers, risk_level
from .models import Referral, ReferralReason, ReferralStatus


def risk_for_cases(case_ids, scores: dict[int, int]) -> dict[int, dict]:
    """{case_id: {level, score, tool, tool_name, professional_judgement, yes_answers}}
    for every case id. One query whatever the number of cases. A case with no accepted
    referral (recorded some other way) has no tool and is not graded."""
    latest: dict[int, dict] = {}
    for row in (Referral.objects.filter(case_id__in=list(case_ids), status=ReferralStatus.ACCEPTED)
                .order_by("case_id", "-triaged_at", "-id")
                .values("case_id", "checklist_tool", "checklist_answers", "reason")):
        latest.setdefault(row["case_id"], row)
    risks = {}
    for case_id in case_ids:
        row = latest.get(case_id)
        tool = row["checklist_tool"] if row else None
        judgement = bool(row) and row["reason"] == ReferralReason.PROFESSIONAL_JUDGEMENT
        risks[case_id] = {
            "level": risk_level(tool, scores[case_id], professional_judgement=judgement),
            "score": scores[case_id],
            "tool": tool,
            "tool_name": CHECKLISTS[tool].name if tool in CHECKLISTS else None,
            "professional_judgement": judgement,
            "yes_answers": labelled_yes_answers(tool, row["checklist_answers"]) if row else [],
        }
    return risks
