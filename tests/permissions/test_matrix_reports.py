"""The permission matrix for the reports, generated from the policy table's `report` row:
every role x every agency kind x inside/outside the case, plus platform admins. A report
is read against its subject: no grant for the caller's role and kind is 403, a subject
outside the grant's scope (a MARAC not served, a force it neither is nor sits with) 404."""

import pytest

from marac.maracs.services import default_marac
from tests.permissions.matrix import build_world, principal_params
from tests.web.reports.web_routes import force_report, marac_report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role,kind,inside", principal_params())
def test_report_status_follows_policy(api, role, kind, inside):
    w = build_world(role, kind, inside)
    client = api(w.actor)
    marac = default_marac().pk
    calls = [
        (f"/api/v1/reports/data-return/?marac={marac}", marac_report("data_return")),
        (f"/api/v1/reports/actions/?marac={marac}", marac_report("actions")),
        (f"/api/v1/reports/spo-performance/?agency={w.other.pk}", force_report(lambda w: w.other)),
        (f"/api/v1/reports/spo-performance/?agency={w.agency.pk if w.agency else 0}", force_report(lambda w: w.agency)),
    ]
    wrong = [f"{url}: {status}, expected {expected}" for url, rule in calls
             for status, expected in [(client.get(url).status_code, rule(w))] if status != expected]
    assert not wrong, "\n".join(wrong)
