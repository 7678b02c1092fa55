"""Support plans' step of the daily sweep: set-based and idempotent."""

from datetime import date

from marac.cases.participants import agency_is_on_case
from marac.notifications.services import notify_many

from .models import SupportPlan, SupportPlanStatus


def review_due(today: date) -> int:
    """Active plans whose review date has come: remind the advocacy agency keeping the
    plan. The message carries no plan content."""
    plans = (SupportPlan.objects.filter(status=SupportPlanStatus.ACTIVE, next_review__lte=today)
             .filter(agency_is_on_case("case", "agency"))  # an agency removed from the case hears nothing
             .values_list("pk", "agency_id", "case_id", "next_review"))
    return notify_many([
        dict(agency_id=agency_id, kind="support_plan_review_due", case_id=case_id, object_type="support_plan",
             object_id=str(pk), dedupe_key=f"support_plan:{pk}:review:{next_review.isoformat()}",
             message=f"Support plan {pk} is due for review ({next_review.isoformat()}).")
        for pk, agency_id, case_id, next_review in plans
    ])
