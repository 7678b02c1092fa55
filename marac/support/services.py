"""Victim support plans, kept by advocates, with a history of every change."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from marac.errors import DomainError

from .models import SupportPlan, SupportPlanChange, SupportPlanStatus

PLAN_FIELDS = ["needs", "safety_measures", "goals", "next_review", "status"]
# One need or safety measure is a line of a plan, not a document: the API and the web
# form both keep each entry to this length.
ENTRY_MAX_LENGTH = 500


def _clean_list(field: str, items, errors) -> list[str]:
    cleaned = [item.strip() for item in items or []]
    if any(not item for item in cleaned):
        errors.setdefault(field, []).append("Every entry needs some text.")
    if any(len(item) > ENTRY_MAX_LENGTH for item in cleaned):
        errors.setdefault(field, []).append(f"Keep each entry to {ENTRY_MAX_LENGTH} characters or fewer.")
    return cleaned


def _check(plan: SupportPlan, *, created_on: date) -> None:
    errors: dict[str, list[str]] = {}
    plan.needs = _clean_list("needs", plan.needs, errors)
    plan.safety_measures = _clean_list("safety_measures", plan.safety_measures, errors)
    if plan.status == SupportPlanStatus.ACTIVE and plan.next_review and plan.next_review < created_on:
        errors["next_review"] = ["Dates out of order: the next review cannot be before the plan was made."]
    if errors:
        raise DomainError(errors)


def _snapshot(plan: SupportPlan) -> dict:
    return {f: (v.isoformat() if isinstance(v := getattr(plan, f), date) else v) for f in PLAN_FIELDS}


@transaction.atomic
def create_plan(*, case, agency, by, **fields) -> SupportPlan:
    plan = SupportPlan(case=case, agency=agency, created_by=by, **fields)
    _check(plan, created_on=timezone.localdate())
    plan.save()
    SupportPlanChange.objects.create(plan=plan, by=by, changes={k: [None, v] for k, v in _snapshot(plan).items()})
    return plan


@transaction.atomic
def update_plan(plan: SupportPlan, *, by, **changes) -> SupportPlan:
    plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
    before = _snapshot(plan)
    for field, value in changes.items():
        setattr(plan, field, value)
    _check(plan, created_on=timezone.localdate(plan.created_at))
    after = _snapshot(plan)
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changed:
        plan.save()
        SupportPlanChange.objects.create(plan=plan, by=by, changes=changed)
    return plan
