"""The notification requirements as the Stalking Protection Act 2019 s.9 says: none for
a full order that replaces an interim order (s.9(1)(a)); a new name or home address
within 3 days beginning with the change (s.9(3)-(4)); for a person on the sex offenders
register, from the day that ends (s.9(6)-(7))."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from marac.notifications.models import Notification
from marac.notifications.sweep import sweep_steps
from marac.orders import sweeps
from marac.orders.models import NotifiableChange
from tests.orders.factories import make_order

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ORDERS = "/api/v1/orders/"


def test_no_initial_notification_is_due_for_a_full_order_that_replaces_an_interim(api, spo):
    main = make_order(spo.case, spo.police, spo.officer, status="applied", granted_on=None,
                      applied_on=TODAY - timedelta(days=40))
    make_order(spo.case, spo.police, spo.officer, kind="interim", main_order=main,
               applied_on=TODAY - timedelta(days=40), granted_on=TODAY - timedelta(days=38),
               served_on=TODAY - timedelta(days=37), notified_on=TODAY - timedelta(days=36),
               expires_on=TODAY + timedelta(days=60))
    granted_on = TODAY - timedelta(days=10)
    response = api(spo.officer).patch(f"{ORDERS}{main.pk}/", {
        "status": "granted", "granted_on": granted_on.isoformat(), "served_on": granted_on.isoformat(),
        "expires_on": (granted_on + timedelta(days=800)).isoformat()}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["replaces_interim"] is True
    assert response.json()["notification_due"] is None
    assert sweeps.notification_overdue(TODAY) == 0
    # Without an interim the same order would be due service + 2 days, and overdue now.
    alone = make_order(spo.case, spo.police, spo.officer, granted_on=granted_on, served_on=granted_on,
                       applied_on=granted_on)
    assert api(spo.officer).get(f"{ORDERS}{alone.pk}/").json()["notification_due"] == (
        granted_on + timedelta(days=2)).isoformat()
    assert sweeps.notification_overdue(TODAY) == 1


def test_the_notification_duty_starts_when_the_sex_offenders_register_exemption_ends(api, spo):
    served = date(2025, 3, 11)
    order = make_order(spo.case, spo.police, spo.officer, served_on=served, sex_offender_register_exempt=True)
    url = f"{ORDERS}{order.pk}/"
    client = api(spo.officer)
    assert client.get(url).json()["notification_due"] is None  # exempt while on the register
    assert sweeps.notification_overdue(TODAY) == 0
    ended = TODAY - timedelta(days=2)
    response = client.patch(url, {"register_ended_on": ended.isoformat()}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["notification_due"] == (ended + timedelta(days=2)).isoformat()  # max(served, ended) + 2
    assert sweeps.notification_overdue(TODAY) == 0  # its last day is today
    assert sweeps.notification_overdue(TODAY + timedelta(days=1)) == 1
    # An exemption that ended before service: from service, as for anyone.
    early = make_order(spo.case, spo.police, spo.officer, served_on=date(2025, 3, 12),
                       sex_offender_register_exempt=True, register_ended_on=date(2025, 3, 1))
    assert client.get(f"{ORDERS}{early.pk}/").json()["notification_due"] == "2025-03-14"


def test_register_ended_on_is_only_for_the_exempt_and_not_in_the_future(api, spo):
    order = make_order(spo.case, spo.police, spo.officer, served_on=date(2025, 3, 11))
    client = api(spo.officer)
    not_exempt = client.patch(f"{ORDERS}{order.pk}/", {"register_ended_on": "2025-04-01"}, format="json")
    assert not_exempt.status_code == 400 and "exempt" in not_exempt.json()["register_ended_on"][0]
    exempt = make_order(spo.case, spo.police, spo.officer, served_on=date(2025, 3, 11),
                        sex_offender_register_exempt=True)
    future = client.patch(f"{ORDERS}{exempt.pk}/",
                          {"register_ended_on": (TODAY + timedelta(days=1)).isoformat()}, format="json")
    assert future.status_code == 400 and "future" in future.json()["register_ended_on"][0]
    order.refresh_from_db()
    exempt.refresh_from_db()
    assert order.register_ended_on is None and exempt.register_ended_on is None


def test_a_name_or_address_change_is_due_within_3_days_beginning_with_the_change(api, spo):
    order = make_order(spo.case, spo.police, spo.officer, served_on=date(2025, 3, 11))
    url = f"{ORDERS}{order.pk}/notifications/"
    client = api(spo.officer)
    moved = client.post(url, {"kind": "address_change", "changed_on": "2025-06-02", "notified_on": "2025-06-04",
                              "details": "Moved to a new address in Northshire."}, format="json")
    assert moved.status_code == 201, moved.content
    assert (moved.json()["due_on"], moved.json()["notified_on"]) == ("2025-06-04", "2025-06-04")
    renamed = client.post(url, {"kind": "name_change", "changed_on": "2025-07-01"}, format="json")
    assert renamed.status_code == 201 and renamed.json()["due_on"] == "2025-07-03"
    listed = client.get(url).json()["results"]
    assert [row["kind"] for row in listed] == ["address_change", "name_change"]
    # The defendant notifies later: police record the day.
    patched = client.patch(f"{url}{renamed.json()['id']}/", {"notified_on": "2025-07-05"}, format="json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["notified_on"] == "2025-07-05"


def test_name_and_address_changes_are_police_business_only(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    url = f"{ORDERS}{order.pk}/notifications/"
    assert api(spo.officer).post(url, {"kind": "name_change", "changed_on": "2025-06-02"},
                                 format="json").status_code == 201
    assert api(spo.advocate).post(url, {"kind": "name_change", "changed_on": "2025-06-02"},
                                  format="json").status_code == 403
    assert api(spo.advocate).get(url).json()["results"] == []
    assert api(spo.other_officer).get(url).status_code == 404
    assert NotifiableChange.objects.count() == 1


def test_a_change_is_recorded_only_while_the_order_is_in_force(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    url = f"{ORDERS}{order.pk}/notifications/"
    client = api(spo.officer)
    before = client.post(url, {"kind": "address_change", "changed_on": "2025-03-01"}, format="json")
    assert before.status_code == 400 and "before the order was made" in before.json()["changed_on"][0]
    future = client.post(url, {"kind": "address_change", "changed_on": (TODAY + timedelta(days=1)).isoformat()},
                         format="json")
    assert future.status_code == 400 and "future" in future.json()["changed_on"][0]
    backwards = client.post(url, {"kind": "name_change", "changed_on": "2025-06-02", "notified_on": "2025-06-01"},
                            format="json")
    assert backwards.status_code == 400 and "Dates out of order" in backwards.json()["notified_on"][0]
    assert client.post(url, {"kind": "alias", "changed_on": "2025-06-02"}, format="json").status_code == 400
    assert not NotifiableChange.objects.exists()


def test_the_sweep_flags_changes_not_notified_in_time_once(api, spo):
    order = make_order(spo.case, spo.police, spo.officer, served_on=date(2025, 3, 11),
                       notified_on=date(2025, 3, 12))
    url = f"{ORDERS}{order.pk}/notifications/"
    client = api(spo.officer)
    late = client.post(url, {"kind": "address_change", "changed_on": (TODAY - timedelta(days=3)).isoformat()},
                       format="json").json()
    client.post(url, {"kind": "name_change", "changed_on": (TODAY - timedelta(days=2)).isoformat()}, format="json")
    client.post(url, {"kind": "name_change", "changed_on": (TODAY - timedelta(days=9)).isoformat(),
                      "notified_on": (TODAY - timedelta(days=8)).isoformat()}, format="json")
    assert sweeps.change_notification_overdue(TODAY) == 1
    flagged = Notification.objects.get(kind="order_change_notification_overdue")
    assert (flagged.agency, flagged.object_id) == (spo.police, str(late["id"]))
    assert "address change" in flagged.message
    assert sweeps.change_notification_overdue(TODAY) == 0
    assert "orders_change_notification_overdue" in sweep_steps()  # the daily sweep runs it


def test_a_changes_notification_state_follows_the_sweeps_rule(spo):
    """On time or late once notified; due until `due_on`, overdue from the day after,
    the day the sweep tells police (shown on the order page)."""
    order = make_order(spo.case, spo.police, spo.officer)
    changed_on = date(2025, 6, 2)
    change = NotifiableChange(order=order, kind="name_change", changed_on=changed_on, recorded_by=spo.officer)
    assert change.due_on == date(2025, 6, 4)
    assert [change.notification_state(day) for day in (changed_on, date(2025, 6, 4), date(2025, 6, 5))] == [
        "due", "due", "overdue"]
    change.notified_on = date(2025, 6, 4)
    assert change.notification_state(date(2025, 7, 1)) == "on_time"
    change.notified_on = date(2025, 6, 5)
    assert change.notification_state(date(2025, 7, 1)) == "late"
    # The sweep's cut-off (the test above): changed 3 days ago is flagged, 2 days ago not yet.
    for days_ago, flagged in ((2, False), (3, True)):
        assert NotifiableChange(changed_on=TODAY - timedelta(days=days_ago)).notification_state(TODAY) == (
            "overdue" if flagged else "due")
