"""Web matrix rows for the Reports section. A report is read against its subject (the
policy's `report` row, read against its `subjects`): no grant for the caller's role and kind
is 403, a subject outside the grant's scope 404, else 200. Expected statuses are read
from the policy table by tests.permissions.matrix.permits."""

from marac.agencies.models import AgencyKind
from marac.maracs.services import default_marac
from permissions.actor import PLATFORM_ADMIN
from tests.permissions.matrix import permits
from tests.web.matrix import WebRoute


def _has_grant(report, w) -> bool:
    from permissions.policy import POLICY

    for grant in POLICY["report"][report]:
        if w.role == PLATFORM_ADMIN:
            if PLATFORM_ADMIN in grant.roles:
                return True
        elif w.role in grant.roles and (grant.kinds is None or w.kind in grant.kinds):
            return True
    return False


def _reports():
    from permissions.policy import POLICY

    return list(POLICY["report"])


def _serves_default(w) -> bool:
    membership = getattr(w.actor, "membership", None)
    return membership is not None and membership.maracs.filter(pk=default_marac().pk).exists()


def marac_report(report):
    def expected(w) -> int:
        if not _has_grant(report, w):
            return 403
        return 200 if permits("report", report, w.role, w.kind, {"marac": _serves_default(w)}) else 404
    return expected


def force_report(subject):
    """SPO performance of SUBJECT(w): the other police force on the case, or the caller's own
    agency (on the world's case, of the default MARAC, only when inside)."""
    def expected(w) -> int:
        if not _has_grant("spo_performance", w):
            return 403
        agency = subject(w)
        if agency is None or agency.kind != AgencyKind.POLICE:
            return 404
        own = w.agency is not None and agency.pk == w.agency.pk
        on_case = w.inside if own else True  # the other force is always on the world's case (the default MARAC's)
        facts = {"own_agency": own, "sits_on": _serves_default(w) and on_case}
        return 200 if permits("report", "spo_performance", w.role, w.kind, facts) else 404
    return expected


def _own(w):
    return w.agency


ROUTES = [
    WebRoute("report-list", lambda w: "/reports/",
             expected=lambda w: 200 if any(_has_grant(report, w) for report in _reports()) else 403),
    WebRoute("report-data-return", lambda w: f"/reports/data-return/?marac={default_marac().pk}",
             expected=marac_report("data_return")),
    WebRoute("report-actions", lambda w: f"/reports/actions/?marac={default_marac().pk}",
             expected=marac_report("actions")),
    WebRoute("report-spo-performance", lambda w: f"/reports/spo-performance/?agency={w.other.pk}",
             expected=force_report(lambda w: w.other)),
    WebRoute("report-spo-performance", lambda w: f"/reports/spo-performance/?agency={w.agency.pk if w.agency else 0}",
             expected=force_report(_own)),
]
