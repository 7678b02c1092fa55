"""Which agencies are on a case. The guardian grant `view_case` held by an agency's
group *is* the fact "agency X is on case Y"; nothing else stores it. Granting and
revoking are explicit calls, never signals, so every change of slice is visible here."""

from django.db.models import QuerySet
from guardian.shortcuts import assign_perm, remove_perm

from marac.agencies.models import Agency

from .models import Case, CaseGroupObjectPermission

PARTICIPANT_PERMISSION = "view_case"


def add_participant(case: Case, agency: Agency) -> bool:
    """Grant the agency its slice of the case. Returns False if it already had it."""
    if is_participant(case, agency):
        return False
    assign_perm(PARTICIPANT_PERMISSION, agency.group, case)
    return True


def remove_participant(case: Case, agency: Agency) -> bool:
    """Revoke the agency's slice of the case. Returns False if it had none."""
    if not is_participant(case, agency):
        return False
    remove_perm(PARTICIPANT_PERMISSION, agency.group, case)
    return True


def participant_grants() -> QuerySet[CaseGroupObjectPermission]:
    return CaseGroupObjectPermission.objects.filter(permission__codename=PARTICIPANT_PERMISSION)


def is_participant(case: Case, agency: Agency) -> bool:
    return participant_grants().filter(content_object=case, group_id=agency.group_id).exists()


def participant_agencies(case: Case) -> QuerySet[Agency]:
    return Agency.objects.filter(group_id__in=participant_grants().filter(content_object=case).values("group_id"))


def case_ids_for_group(group_id: int) -> QuerySet:
    """The ids of the cases an agency's group is on, as a subquery (never evaluated
    in Python): lists filter with one `id__in` over the direct-FK grant table."""
    return participant_grants().filter(group_id=group_id).values("content_object_id")
