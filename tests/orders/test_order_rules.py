"""The Stalking Protection Act 2019's rules on orders, each as its own test, through the API."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from marac.orders.models import Order, OrderChange, OrderStatus
from marac.orders.services import anniversary, minimum_last_day
from tests.orders.factories import GRANTED_ON, make_order

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/orders/"


def body(spo, **fields):
    data = {"case": spo.case.pk, "kind": "full", "status": "granted", "applied_on": "2025-02-18",
            "granted_on": GRANTED_ON.isoformat(), "court": "Northshire Magistrates' Court",
            "prohibitions": ["No contact with the victim by any means."]}
    data.update(fields)
    return data


def assert_rejected(response, field, words):
    assert response.status_code == 400, response.content
    messages = " ".join(response.json()[field])
    assert words in messages, messages


def test_police_participant_records_an_order_with_the_contract_fields(api, spo):
    response = api(spo.officer).post(ORDERS, body(spo, served_on="2025-03-12"), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    for field in ("case", "kind", "status", "applied_on", "granted_on", "served_on", "expires_on", "court",
                  "prohibitions", "decision_reason", "source", "sex_offender_register_exempt", "notified_on",
                  "notification_due", "discharge_consent"):
        assert field in data
    assert data["source"] == "police_application"
    assert data["expires_on"] is None
    assert data["agency"] == spo.police.pk
    assert Order.objects.get().created_by == spo.officer


def test_declined_needs_a_decision_reason(api, spo):
    client = api(spo.officer)
    response = client.post(ORDERS, {"case": spo.case.pk, "kind": "full", "status": "declined"}, format="json")
    assert_rejected(response, "decision_reason", "reason")
    assert not Order.objects.exists()
    ok = client.post(ORDERS, {"case": spo.case.pk, "kind": "full", "status": "declined",
                              "decision_reason": "No acts associated with stalking since March."}, format="json")
    assert ok.status_code == 201, ok.content


def test_declining_by_patch_needs_a_decision_reason(api, spo):
    order = make_order(spo.case, spo.police, spo.officer, status="considering", granted_on=None, applied_on=None)
    response = api(spo.officer).patch(f"{ORDERS}{order.pk}/", {"status": "declined"}, format="json")
    assert_rejected(response, "decision_reason", "reason")
    order.refresh_from_db()
    assert order.status == "considering"


def test_a_forbidden_transition_is_400_naming_the_allowed_ones(api, spo):
    order = make_order(spo.case, spo.police, spo.officer, status="considering", granted_on=None, applied_on=None)
    response = api(spo.officer).patch(f"{ORDERS}{order.pk}/", {"status": "granted", "granted_on": "2025-03-10"},
                                      format="json")
    assert_rejected(response, "status", "considering -> granted")
    assert "applied, declined" in response.json()["status"][0]
    order.refresh_from_db()
    assert (order.status, order.granted_on) == ("considering", None)
    assert OrderChange.objects.filter(order=order).count() == 1  # only "created"


def test_a_final_status_allows_no_transition(api, spo):
    order = make_order(spo.case, spo.police, spo.officer, status="applied", granted_on=None)
    client = api(spo.officer)
    assert client.patch(f"{ORDERS}{order.pk}/", {"status": "refused"}, format="json").status_code == 200
    response = client.patch(f"{ORDERS}{order.pk}/", {"status": "applied"}, format="json")
    assert_rejected(response, "status", "none (final status)")


def test_unknown_kind_or_status_is_400(api, spo):
    client = api(spo.officer)
    assert_rejected(client.post(ORDERS, body(spo, kind="permanent"), format="json"), "kind", "not a valid choice")
    assert_rejected(client.post(ORDERS, body(spo, status="suspended"), format="json"), "status", "not a valid choice")
    assert not Order.objects.exists()


def test_a_new_order_cannot_start_discharged_or_expired(api, spo):
    response = api(spo.officer).post(ORDERS, body(spo, status="expired"), format="json")
    assert_rejected(response, "status", "cannot start")


def test_full_order_runs_at_least_two_years_beginning_with_the_day_it_is_made(api, spo):
    client = api(spo.officer)
    last_day = minimum_last_day(GRANTED_ON)
    assert last_day == date(2027, 3, 9)
    too_short = client.post(ORDERS, body(spo, expires_on=(last_day - timedelta(days=1)).isoformat()), format="json")
    assert_rejected(too_short, "expires_on", "at least 2 years")
    assert "2027-03-09" in too_short.json()["expires_on"][0]
    assert not Order.objects.exists()
    exactly = client.post(ORDERS, body(spo, expires_on=last_day.isoformat()), format="json")
    assert exactly.status_code == 201, exactly.content


def test_full_order_may_run_until_further_order(api, spo):
    response = api(spo.officer).post(ORDERS, body(spo, expires_on=None), format="json")
    assert response.status_code == 201
    assert response.json()["expires_on"] is None


def test_two_years_from_29_february_end_on_28_february():
    assert anniversary(date(2024, 2, 29), 2) == date(2026, 3, 1)
    assert minimum_last_day(date(2024, 2, 29)) == date(2026, 2, 28)


def test_an_interim_order_may_be_shorter_than_two_years(api, spo):
    main = make_order(spo.case, spo.police, spo.officer, status="applied", granted_on=None)
    response = api(spo.officer).post(ORDERS, body(spo, kind="interim", expires_on="2025-04-10", main_order=main.pk),
                                     format="json")
    assert response.status_code == 201, response.content


def test_extending_to_too_short_by_variation_is_refused(api, spo):
    order = make_order(spo.case, spo.police, spo.officer, expires_on=date(2028, 1, 1))
    response = api(spo.officer).patch(f"{ORDERS}{order.pk}/", {"expires_on": "2026-03-10"}, format="json")
    assert_rejected(response, "expires_on", "at least 2 years")
    order.refresh_from_db()
    assert order.expires_on == date(2028, 1, 1)


def test_service_not_before_grant(api, spo):
    response = api(spo.officer).post(ORDERS, body(spo, served_on="2025-03-09"), format="json")
    assert_rejected(response, "served_on", "Service not before grant")
    assert not Order.objects.exists()


def test_dates_out_of_order_are_400(api, spo):
    client = api(spo.officer)
    assert_rejected(client.post(ORDERS, body(spo, applied_on="2025-03-11"), format="json"), "granted_on",
                    "Dates out of order")
    assert_rejected(client.post(ORDERS, body(spo, served_on="2025-03-12", notified_on="2025-03-11"), format="json"),
                    "notified_on", "Dates out of order")
    assert_rejected(client.post(ORDERS, body(spo, kind="interim", expires_on="2025-03-01"), format="json"),
                    "expires_on", "Dates out of order")
    assert not Order.objects.exists()


def test_notification_due_is_three_days_beginning_with_the_day_of_service(api, spo):
    order = make_order(spo.case, spo.police, spo.officer, served_on=date(2025, 3, 12))
    data = api(spo.advocate).get(f"{ORDERS}{order.pk}/").json()
    assert data["notification_due"] == "2025-03-14"
    unserved = make_order(spo.case, spo.police, spo.officer)
    assert api(spo.officer).get(f"{ORDERS}{unserved.pk}/").json()["notification_due"] is None


def test_notification_due_is_read_only(api, spo):
    response = api(spo.officer).post(ORDERS, body(spo, served_on="2025-03-12", notification_due="2025-04-01"),
                                     format="json")
    assert response.status_code == 201
    assert response.json()["notification_due"] == "2025-03-14"


def test_no_discharge_within_two_years_without_both_consents(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    client = api(spo.officer)
    url = f"{ORDERS}{order.pk}/"
    refused = client.patch(url, {"status": "discharged", "discharged_on": "2027-03-09"}, format="json")
    assert_rejected(refused, "discharge_consent", "consent of both")
    order.refresh_from_db()
    assert order.status == "granted"
    allowed = client.patch(url, {"status": "discharged", "discharged_on": "2027-03-09", "discharge_consent": True},
                           format="json")
    assert allowed.status_code == 200, allowed.content
    assert allowed.json()["ended_on"] == "2027-03-09"


def test_discharge_from_the_second_anniversary_needs_no_consent(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    response = api(spo.officer).patch(f"{ORDERS}{order.pk}/", {"status": "discharged", "discharged_on": "2027-03-10"},
                                      format="json")
    assert response.status_code == 200, response.content


def test_an_interim_order_ends_when_the_main_application_is_decided(api, spo):
    main = make_order(spo.case, spo.police, spo.officer, status="applied", granted_on=None)
    interim = make_order(spo.case, spo.police, spo.officer, kind="interim", main_order=main,
                         granted_on=date(2025, 2, 20), applied_on=date(2025, 2, 18), expires_on=date(2025, 4, 20))
    response = api(spo.officer).patch(f"{ORDERS}{main.pk}/", {"status": "granted", "granted_on": "2025-03-10"},
                                      format="json")
    assert response.status_code == 200, response.content
    interim.refresh_from_db()
    assert interim.status == OrderStatus.EXPIRED
    assert interim.ended_on == date(2025, 3, 10)
    assert "Main application decided" in interim.end_reason
    assert interim.changes.last().by == spo.officer


def test_an_interim_order_ends_when_the_main_application_is_refused(api, spo):
    main = make_order(spo.case, spo.police, spo.officer, status="applied", granted_on=None)
    interim = make_order(spo.case, spo.police, spo.officer, kind="interim", main_order=main,
                         granted_on=date(2025, 2, 20), applied_on=date(2025, 2, 18),
                         expires_on=timezone.localdate() + timedelta(days=30))
    assert api(spo.officer).patch(f"{ORDERS}{main.pk}/", {"status": "refused"}, format="json").status_code == 200
    interim.refresh_from_db()
    assert interim.status == OrderStatus.EXPIRED
    assert interim.ended_on == timezone.localdate()


def test_an_interim_order_cannot_be_granted_once_the_main_application_is_decided(api, spo):
    main = make_order(spo.case, spo.police, spo.officer)
    response = api(spo.officer).post(ORDERS, body(spo, kind="interim", main_order=main.pk), format="json")
    assert_rejected(response, "status", "undetermined")


def test_an_interim_order_links_only_to_a_full_order_on_the_same_case(api, spo):
    from tests.factories import CaseFactory

    elsewhere = make_order(CaseFactory(participants=[spo.police]), spo.police, spo.officer, status="applied",
                           granted_on=None)
    response = api(spo.officer).post(ORDERS, body(spo, kind="interim", main_order=elsewhere.pk), format="json")
    assert_rejected(response, "main_order", "same case")


def test_variations_and_renewals_are_kept_as_history(api, spo):
    order = make_order(spo.case, spo.police, spo.officer, expires_on=date(2027, 6, 1))
    colleague = type(spo.officer).objects.create_user("colleague")
    from marac.agencies.models import Membership

    Membership.objects.create(user=colleague, agency=spo.police, role="manager")
    url = f"{ORDERS}{order.pk}/"
    varied = api(colleague).patch(url, {"prohibitions": [
        "No contact with the victim by any means.",
        {"text": "Not to enter Northshire town centre", "locality": "Northshire", "ends_on": "2026-03-09"}]},
        format="json")
    assert varied.status_code == 200, varied.content
    renewed = api(spo.officer).patch(url, {"expires_on": "2029-06-01"}, format="json")
    assert renewed.status_code == 200
    history = api(spo.housing_officer).get(f"{url}history/").json()["results"]
    assert [h["kind"] for h in history] == ["created", "variation", "renewal"]
    assert history[1]["by"] == colleague.pk
    assert history[1]["changes"]["prohibitions"][1][1]["locality"] == "Northshire"
    assert history[2]["changes"] == {"expires_on": ["2027-06-01", "2029-06-01"]}
    assert history[2]["by"] == spo.officer.pk and history[2]["at"]


def test_prohibitions_accept_plain_strings_and_terms_with_locality_and_end(api, spo):
    response = api(spo.officer).post(ORDERS, body(spo, prohibitions=[
        "No posting about the victim online.",
        {"text": "Not to come within 100 metres of the victim's home", "locality": "Northshire"},
        {"text": "No monitoring online", "ends_on": "2026-12-31"}]), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["prohibitions"] == [
        {"text": "No posting about the victim online.", "locality": "", "ends_on": None},
        {"text": "Not to come within 100 metres of the victim's home", "locality": "Northshire", "ends_on": None},
        {"text": "No monitoring online", "locality": "", "ends_on": "2026-12-31"},
    ]


def test_a_prohibition_cannot_outlast_its_order_or_start_before_it(api, spo):
    client = api(spo.officer)
    assert_rejected(client.post(ORDERS, body(spo, expires_on="2027-06-01", prohibitions=[
        {"text": "No contact", "ends_on": "2027-06-02"}]), format="json"), "prohibitions", "outlast")
    assert_rejected(client.post(ORDERS, body(spo, prohibitions=[{"text": "No contact", "ends_on": "2025-01-01"}]),
                                format="json"), "prohibitions", "Dates out of order")
    no_text = client.post(ORDERS, body(spo, prohibitions=[{"locality": "Leeds"}]), format="json")
    assert no_text.status_code == 400
    assert no_text.json()["prohibitions"]["0"]["text"] == ["This field is required."]
    assert not Order.objects.exists()


def test_an_order_until_further_order_never_expires_by_hand(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    response = api(spo.officer).patch(f"{ORDERS}{order.pk}/", {"status": "expired"}, format="json")
    assert_rejected(response, "status", "until further order never expires")


def test_an_order_cannot_be_marked_expired_while_in_force(api, spo):
    last = timezone.localdate() + timedelta(days=10)
    order = make_order(spo.case, spo.police, spo.officer, granted_on=last - timedelta(days=800),
                       applied_on=last - timedelta(days=820), expires_on=last)
    response = api(spo.officer).patch(f"{ORDERS}{order.pk}/", {"status": "expired"}, format="json")
    assert_rejected(response, "status", "in force until")


def test_case_kind_and_source_cannot_change(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    response = api(spo.officer).patch(f"{ORDERS}{order.pk}/", {"kind": "interim"}, format="json")
    assert_rejected(response, "kind", "Cannot be changed")


def test_a_court_made_order_cannot_be_declined_by_police(api, spo):
    response = api(spo.officer).post(ORDERS, {"case": spo.case.pk, "kind": "full", "status": "declined",
                                              "source": "court_on_conviction", "decision_reason": "x"}, format="json")
    assert_rejected(response, "status", "starts granted")


def test_other_participants_see_the_order_and_prohibitions_but_cannot_change_it(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    for user in (spo.advocate, spo.housing_officer, spo.chair):
        response = api(user).get(f"{ORDERS}{order.pk}/")
        assert response.status_code == 200
        assert response.json()["prohibitions"][0]["text"].startswith("No contact")
    assert api(spo.advocate).patch(f"{ORDERS}{order.pk}/", {"court": "x"}, format="json").status_code == 403
    assert api(spo.chair).patch(f"{ORDERS}{order.pk}/", {"court": "x"}, format="json").status_code == 403
    assert api(spo.other_officer).get(f"{ORDERS}{order.pk}/").status_code == 404
    assert api(spo.coordinator).get(f"{ORDERS}{order.pk}/").status_code == 404
    assert api(spo.other_officer).post(ORDERS, body(spo), format="json").status_code == 400  # case not in slice


def test_police_take_an_order_from_considering_to_expired(api, spo):
    client = api(spo.officer)
    order_id = client.post(ORDERS, {"case": spo.case.pk, "kind": "full"}, format="json").json()["id"]
    url = f"{ORDERS}{order_id}/"
    today = timezone.localdate()
    made = today - timedelta(days=900)
    for change in ({"status": "applied", "applied_on": (made - timedelta(days=14)).isoformat()},
                   {"status": "granted", "granted_on": made.isoformat(),
                    "expires_on": (made + timedelta(days=730)).isoformat()},
                   {"served_on": (made + timedelta(days=1)).isoformat()},
                   {"notified_on": (made + timedelta(days=2)).isoformat()}):
        response = client.patch(url, change, format="json")
        assert response.status_code == 200, (change, response.content)
    from marac.notifications.sweep import run_daily_sweep

    run_daily_sweep(today)
    data = client.get(url).json()
    assert data["status"] == "expired"
    assert data["ended_on"] == (made + timedelta(days=731)).isoformat()
    assert [h["kind"] for h in client.get(f"{url}history/").json()["results"]] == [
        "created", "status", "status", "updated", "updated", "status"]


def test_only_the_police_force_that_holds_an_order_changes_it(api, spo):
    from marac.cases.participants import add_participant

    order = make_order(spo.case, spo.police, spo.officer)
    add_participant(spo.case, spo.other_police)  # a second force, on the case too
    url = f"/api/v1/orders/{order.pk}/"
    second_force = api(spo.other_officer)
    assert second_force.get(url).status_code == 200
    assert second_force.patch(url, {"court": "Elsewhere"}, format="json").status_code == 403
    assert api(spo.officer).patch(url, {"court": "Northshire Crown Court"}, format="json").status_code == 200
    order.refresh_from_db()
    assert order.court == "Northshire Crown Court"
