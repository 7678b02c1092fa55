"""Who may see which report: the `report` row of the policy table, read against the
report's subject (a MARAC, or a police force) through the scope conditions, like any
object. No applicable grant for the caller's role and agency: 403 (the role never may);
a grant, but the subject is outside its scope (a MARAC the caller does not serve, a
force it has nothing to do with) or does not exist: 404, so ids leak nothing."""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from .actor import Actor
from .policy import grants_for
from .scopes import Target, slice_q

# What each report is about, and where the scope conditions look on it.
REPORT_SUBJECTS: dict[str, Target] = {
    "data_return": Target(marac="pk"),
    "actions": Target(marac="pk"),
    # A police force: its own people ("own_agency"), and the coordinators and chairs of
    # the MARACs it sits on ("sits_on": the force is a participant of a case of theirs).
    "spo_performance": Target(agency="pk"),
}

NOT_PERMITTED = "Your role or agency may not see this report."


def require_report(actor: Actor, report: str) -> None:
    """403 unless a grant of REPORT applies to the caller's role and agency kind."""
    if not grants_for("report", report, actor):
        raise PermissionDenied(NOT_PERMITTED)


def report_subject(actor: Actor, report: str, subjects: QuerySet, pk) -> Model:
    """The subject of REPORT the caller asked for, within the caller's reach: 403 when the
    caller's role never sees this report, 404 when this subject is outside its reach.
    Django's exceptions: the API and the web app each answer them their own way."""
    require_report(actor, report)
    q = slice_q(actor, "report", report, target=REPORT_SUBJECTS[report])
    subject = subjects.filter(q).filter(pk=pk).first() if q is not None else None
    if subject is None:
        raise Http404
    return subject


def subjects_in_reach(actor: Actor, report: str, subjects: QuerySet) -> QuerySet:
    """The subjects of REPORT the caller may see (e.g. to list the reports on offer)."""
    if not grants_for("report", report, actor):
        return subjects.none()
    q = slice_q(actor, "report", report, target=REPORT_SUBJECTS[report])
    return subjects.filter(q) if q is not None else subjects.none()
