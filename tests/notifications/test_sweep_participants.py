"""The daily sweep tells an agency about a case only while it is on that case: an
agency removed from a case hears nothing more about it from any step. Each step is
checked against a twin item whose agency is still on its case (notified as before)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marac.agencies.models import AgencyKind
from marac.cases.participants import remove_participant
from marac.meetings.services import flag_overdue_actions
from marac.notifications.models import Notification
from marac.orders import sweeps
from marac.orders.models import Breach
from marac.support.sweeps import review_due
from tests.factories import CaseFactory, make_agency, make_user
from tests.meetings.helpers import ActionFactory, make_meeting
from tests.orders.factories import make_breach, make_order, make_plan

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LONG_AGO = TODAY - timedelta(days=800)


def overdue_action(agency, case):
    meeting = make_meeting(on=TODAY - timedelta(days=20), cases=[case])
    return ActionFactory(case=case, meeting=meeting, owner_agency=agency, due_date=TODAY - timedelta(days=1))


def unnotified_order(agency, case):
    return make_order(case, agency, make_user(agency), served_on=TODAY - timedelta(days=10))


def expiring_order(agency, case):
    return make_order(case, agency, make_user(agency), granted_on=LONG_AGO, applied_on=LONG_AGO,
                      expires_on=TODAY + timedelta(days=30))


def unanswered_breach(agency, case):
    breach = make_breach(make_order(case, agency, make_user(agency)))
    Breach.objects.filter(pk=breach.pk).update(reported_at=timezone.now() - timedelta(hours=25))
    return breach


def plan_due(agency, case):
    return make_plan(case, agency, make_user(agency), next_review=TODAY + timedelta(days=1))


STEPS = {
    "overdue_actions": (AgencyKind.HOUSING, overdue_action, flag_overdue_actions),
    "orders_notification_overdue": (AgencyKind.POLICE, unnotified_order, sweeps.notification_overdue),
    "orders_expiry_reminder": (AgencyKind.POLICE, expiring_order, sweeps.expiry_reminder),
    "orders_breach_response_overdue": (AgencyKind.POLICE, unanswered_breach, sweeps.breach_response_overdue),
    "support_plan_review_due": (AgencyKind.ADVOCACY, plan_due, review_due),
}


@pytest.mark.parametrize("step", sorted(STEPS))
def test_the_sweep_notifies_only_agencies_still_on_the_case(step):
    kind, make_due, run = STEPS[step]
    removed, staying = make_agency(kind), make_agency(kind)
    removed_case, staying_case = CaseFactory(participants=[removed]), CaseFactory(participants=[staying])
    make_due(removed, removed_case)
    kept = make_due(staying, staying_case)
    remove_participant(removed_case, removed)
    day = TODAY + timedelta(days=1) if step == "support_plan_review_due" else TODAY
    earlier = Notification.objects.values_list("pk", flat=True)  # e.g. a breach's alert when it was reported
    raised = Notification.objects.exclude(pk__in=list(earlier))

    assert run(day) == 1
    assert list(raised.values_list("agency", "object_id")) == [(staying.pk, str(kept.pk))]
    assert not raised.filter(agency=removed).exists()


def test_an_unanswered_breach_is_still_flagged_when_the_force_has_left_the_case():
    police = make_agency(AgencyKind.POLICE)
    case = CaseFactory(participants=[police])
    breach = unanswered_breach(police, case)
    remove_participant(case, police)
    assert sweeps.breach_response_overdue(TODAY) == 0
    breach.refresh_from_db()
    assert breach.response_overdue_flagged_at is not None
