"""What the case page reads of its case: each list through its own policy row
(permissions.case_reads: on PostgreSQL all of them in one statement), shaped as the
template shows them. Rows are plain dicts with their labels and addresses ready: a case
may carry dozens of research items and incidents, and model instances and per-row
template filters were most of the page's time."""

from __future__ import annotations

from types import SimpleNamespace

from django.utils import timezone

from marac.agencies.models import Agency
from marac.cases.models import (
    CasePerpetrator,
    Child,
    Incident,
    Perpetrator,
    RepeatFlag,
    ResearchContribution,
    VictimDetailChange,
)
from marac.cases.participants import participant_grants
from marac.cases.services import SAFE_CONTACT_FIELDS, child_row
from marac.meetings.models import Action, AgendaItem
from marac.orders.models import Order, SpoRequest
from marac.referrals.models import Referral, ReferralStatus
from marac.referrals.risk import latest_accepted_rows
from marac.support.models import SupportPlan
from marac.transfers.models import CaseTransfer
from web.slice import OnCase, read_on_case

__all__ = ["labels_of", "read_case_page"]


def labels_of(model, field: str) -> dict:
    """{stored value: its label} of a field with choices (what get_FOO_display shows)."""
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


def _children(case_id):
    return Child.objects.filter(case_id=case_id).order_by("id").values(
        "first_name", "date_of_birth", "age_given", "age_given_on", "school")


def _risk_basis(case_id):
    return latest_accepted_rows(Referral.objects.filter(case_id=case_id), "checklist_answers")[:1]


def _perpetrators(case_id):
    return CasePerpetrator.objects.filter(case_id=case_id).values(
        "perpetrator__first_name", "perpetrator__last_name", "perpetrator__relationship")


def _participants(case_id):
    return Agency.objects.filter(group_id__in=participant_grants().filter(content_object_id=case_id)
                                 .values("group_id")).order_by("name").values("pk", "name")


def _research(case_id):
    return ResearchContribution.objects.filter(case_id=case_id).order_by("-created_at", "-id").values(
        "pk", "summary", "shared_with_marac", "withheld_note", "created_at", "agency__name",
        "author__first_name", "author__last_name", "author__username")


def _incidents(case_id):
    return Incident.objects.filter(case_id=case_id).values(
        "pk", "occurred_at", "behaviour", "description", "agency__name")


def _actions(case_id):
    return Action.objects.filter(case_id=case_id).order_by("due_date", "id").values(
        "pk", "description", "meeting_id", "meeting__date", "owner_agency__name", "due_date", "status")


def _orders(case_id):
    return Order.objects.filter(case_id=case_id).order_by("-id").values(
        "pk", "kind", "reference", "status", "granted_on")


def _support_plans(case_id):
    return SupportPlan.objects.filter(case_id=case_id).order_by("-updated_at").values("pk", "status", "next_review")


def _history(case_id):
    return VictimDetailChange.objects.filter(case_id=case_id).values(
        "pk", "field", "old_value", "new_value", "recorded_at", "referral_id",
        "recorded_by__first_name", "recorded_by__last_name")


def _history_without_safe_contact(case_id):
    return _history(case_id).exclude(field__in=SAFE_CONTACT_FIELDS)


def _referrals(case_id):
    return Referral.objects.filter(case_id=case_id, status=ReferralStatus.ACCEPTED).values(
        "pk", "created_at", "referring_agency__name", "reason", "is_repeat")


def _listings(case_id):
    return AgendaItem.objects.filter(case_id=case_id).values("pk", "added_at", "meeting_id", "meeting__date")


def _transfers(case_id):
    return CaseTransfer.objects.filter(case_id=case_id).values(
        "pk", "requested_at", "status", "from_marac__name", "to_marac__name")


def _spo_requests(case_id):
    return SpoRequest.objects.filter(case_id=case_id).order_by("-requested_on", "-id").values(
        "pk", "requested_on", "requested_by_victim", "agency__name", "answered_at", "response_overdue_flagged_at",
        "order__pk", "order__status", "order__decision_reason")


def _repeat_flag(case_id):
    return RepeatFlag.objects.filter(case_id=case_id, listed_on__isnull=True).values("reason")[:1]


_ALWAYS = (
    OnCase("children", _children),
    OnCase("risk_basis", _risk_basis),
    OnCase("perpetrators", _perpetrators),
    OnCase("participants", _participants),
    OnCase("research", _research, "research"),
    OnCase("incidents", _incidents, "incident"),
    OnCase("actions", _actions, "action"),
    OnCase("orders", _orders, "order"),
    OnCase("support_plans", _support_plans, "support_plan"),
    OnCase("referrals", _referrals, "referral"),
    OnCase("listings", _listings, "agenda_item"),
    OnCase("transfers", _transfers, "transfer"),
    OnCase("spo_requests", _spo_requests, "spo_request"),
)
# The variants a caller's field-level rows choose between (module-level tuples: each
# keys its compiled statement).
_SECTIONS = {
    (safe_contact, repeat_flag): _ALWAYS + (
        OnCase("history", _history if safe_contact else _history_without_safe_contact, "victim_history"),
        *((OnCase("repeat_flag", _repeat_flag),) if repeat_flag else ()))
    for safe_contact in (True, False) for repeat_flag in (True, False)
}


def read_case_page(actor, case, *, safe_contact: bool, repeat_flag: bool) -> SimpleNamespace:
    """Every list the case page shows, through the caller's slice; the case's children
    attached as `case.child_rows` (as marac.cases.services.attach_children does)."""
    rows = read_on_case(actor, _SECTIONS[(safe_contact, repeat_flag)], case.pk)
    today = timezone.localdate()
    case.child_rows = [child_row(today=today, **child) for child in rows.pop("children")]
    rows.setdefault("repeat_flag", [])
    return SimpleNamespace(**rows)


# What get_FOO_display would show, for the rows.
PERPETRATOR_RELATIONSHIPS = labels_of(Perpetrator, "relationship")
ACTION_STATUSES = labels_of(Action, "status")
ORDER_STATUSES = labels_of(Order, "status")
PLAN_STATUSES = labels_of(SupportPlan, "status")
REFERRAL_REASONS = labels_of(Referral, "reason")
TRANSFER_STATUSES = labels_of(CaseTransfer, "status")
