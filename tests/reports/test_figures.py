"""The figures of marac/reports/figures.py against the constructed data set of
conftest.py: every expected value below is worked out by hand from that data set (the
docstrings there say which row counts and why), never by calling the code under test."""

from datetime import date

import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection

from marac.reports.figures import actions_report, data_return, last_complete_quarter, spo_performance

from .dataset import END, NOW, START, TODAY

pytestmark = pytest.mark.django_db


def values(report) -> dict:
    return {figure.key: figure.value for figure in report.figures}


def shares(report) -> dict:
    return {figure.key: figure.share for figure in report.figures}


def test_the_default_period_is_the_last_complete_quarter():
    assert last_complete_quarter(date(2025, 7, 15)) == (date(2025, 4, 1), date(2025, 6, 30))
    assert last_complete_quarter(date(2025, 1, 1)) == (date(2024, 10, 1), date(2024, 12, 31))
    assert last_complete_quarter(date(2025, 3, 31)) == (date(2024, 10, 1), date(2024, 12, 31))


def test_data_return_counts_each_case_discussed_at_a_held_meeting_once(marac_world):
    # c1 (m1 and m2), c2 (m1), c3 (m2), c4 (m2); not c5 (m3 never held), c6 (after), B's case.
    assert values(data_return(marac_world.a, START, END))["cases_discussed"] == 4


def test_data_return_repeat_cases_are_flags_taken_up_and_repeat_referrals_heard_in_the_period(marac_world):
    report = data_return(marac_world.a, START, END)
    # c2 (flag taken up at m1) and c3 (repeat referral 1 May, heard at m2); c4's was heard at m0.
    assert values(report)["repeat_cases"] == 2
    assert shares(report)["repeat_cases"] == 0.5


def test_data_return_referrals_by_referring_agency_kind(marac_world):
    report = data_return(marac_world.a, START, END)
    v, s = values(report), shares(report)
    # Accepted, to A, made 1 April 00:00 - 30 June 23:59: police 3, advocacy 1, health 1.
    assert v["referrals"] == 5
    assert (v["referrals_from_police"], s["referrals_from_police"]) == (3, 0.6)
    assert (v["referrals_from_advocacy"], s["referrals_from_advocacy"]) == (1, 0.2)
    assert (v["referrals_from_health"], s["referrals_from_health"]) == (1, 0.2)
    assert v["referrals_from_housing"] == 0  # B's housing referral is B's


def test_data_return_children_in_the_household(marac_world):
    report = data_return(marac_world.a, START, END)
    # c1 (2), c3 (3), c4 (1) of the 4 cases discussed.
    assert (values(report)["cases_with_children"], shares(report)["cases_with_children"]) == (3, 0.75)
    assert values(report)["children_in_households"] == 2 + 3 + 1


def test_data_return_victims_protected_characteristics(marac_world):
    report = data_return(marac_world.a, START, END)
    v, s = values(report), shares(report)
    assert (v["victims_minority_ethnic"], s["victims_minority_ethnic"]) == (1, 0.25)  # c1 (not c5: not discussed)
    assert (v["victims_lgbt"], v["victims_disabled"], v["victims_male"]) == (1, 1, 1)  # c2


def test_data_return_aged_16_17_on_the_date_of_discussion(marac_world):
    # c3 is 16 at m2 (17 the next day); c1 turned 18 on the day of m1; c4 is 15 at m2.
    assert values(data_return(marac_world.a, START, END))["victims_aged_16_17"] == 1


def test_data_return_shows_safelives_recommended_values_from_the_settings_table(marac_world, settings):
    report = {figure.key: figure for figure in data_return(marac_world.a, START, END).figures}
    volume = round(40 * 50_000 / 10_000 * 91 / 365.25, 1)  # 40 a year per 10,000 adult women, for 91 days
    assert (report["cases_discussed"].recommended_min, report["cases_discussed"].recommended_max) == (volume, volume)
    assert (report["repeat_cases"].recommended_min, report["repeat_cases"].recommended_max) == (0.28, 0.40)
    assert report["victims_male"].recommended_min is None
    settings.MARAC_RECOMMENDED = {**settings.MARAC_RECOMMENDED, "victims_male": {"min_share": 0.05, "max_share": 0.1}}
    report = {figure.key: figure for figure in data_return(marac_world.a, START, END).figures}
    assert (report["victims_male"].recommended_min, report["victims_male"].recommended_max) == (0.05, 0.1)


def test_data_return_of_another_marac_counts_only_its_own(marac_world):
    v = values(data_return(marac_world.b, START, END))
    assert (v["cases_discussed"], v["victims_male"], v["referrals"], v["referrals_from_housing"]) == (1, 1, 1, 1)


def test_spo_requests_received_answered_and_declined(force_world):
    report = spo_performance(force_world.force, START, END, now=NOW)
    v, s = values(report), shares(report)
    assert v["spo_requests_received"] == 3  # r1, r2, r3
    assert v["spo_requests_by_victim"] == 2  # r1, r2
    assert (v["spo_requests_answered"], s["spo_requests_answered"]) == (2, round(2 / 3, 4))
    assert v["spo_requests_declined"] == 1  # r2
    assert v["spo_requests_median_days_to_answer"] == (2 + 10) / 2
    assert v["spo_requests_unanswered_past_deadline"] == 2  # r2 (answered after its flag), r3


def test_spo_orders_applied_granted_refused_interim_expired(force_world):
    v = values(spo_performance(force_world.force, START, END, now=NOW))
    assert v["orders_applied_for"] == 2  # o1 (5 April), o2 (1 May); not the other force's
    assert v["orders_granted"] == 1  # o1 (the interim is counted on its own)
    assert v["orders_refused"] == 1  # o3
    assert v["interim_orders_made"] == 1  # o4
    assert v["orders_expired_without_renewal"] == 1  # o5


def test_breach_response_times_median_and_90th_percentile(force_world):
    v = values(spo_performance(force_world.force, START, END, now=NOW))
    assert v["breaches_reported"] == 4  # b1-b4
    assert v["breaches_answered"] == 3
    assert v["breach_median_hours_to_first_response"] == 4.0  # of 2, 4, 30 hours
    assert v["breach_p90_hours_to_first_response"] == round(4 + (30 - 4) * 0.8, 1)  # 24.8, interpolated
    assert v["breaches_unanswered_past_threshold"] == 2  # b2 (30 h), b4 (none after 24 h)


def test_notifications_overdue_at_the_end_of_the_period(force_world):
    v = values(spo_performance(force_world.force, START, END, now=NOW))
    assert v["initial_notifications_overdue"] == 1  # o1: served 12 May, due 14 May, never notified
    assert v["change_notifications_overdue"] == 1  # 1 June (29 June was due 1 July)


def test_actions_per_agency(actions_world):
    report = actions_report(actions_world.a, START, END, today=TODAY)
    rows = {row["agency"]: row for row in report.rows}
    housing, police = rows[actions_world.housing.pk], rows[actions_world.police.pk]
    assert (housing["owned"], housing["completed_on_time"], housing["overdue"], housing["carried_over_did_not_act"]) == (
        3, 1, 1, 0)
    assert (police["owned"], police["completed_on_time"], police["overdue"], police["carried_over_did_not_act"]) == (
        2, 0, 1, 1)
    assert set(rows) == {actions_world.housing.pk, actions_world.police.pk}
    assert values(report) == {"actions_owned": 5, "actions_completed_on_time": 1, "actions_overdue": 2,
                              "actions_carried_over_did_not_act": 1}


def test_reports_carry_counts_never_a_persons_details(marac_world, force_world):
    text = str([data_return(marac_world.a, START, END).as_dict(),
                spo_performance(force_world.force, START, END, now=NOW).as_dict()])
    for case in marac_world.cases:
        assert case.victim.first_name not in text and case.victim.last_name not in text and case.reference not in text


def _queries(function, *args, **kwargs) -> int:
    with CaptureQueriesContext(connection) as captured:
        function(*args, **kwargs)
    return len(captured)


def test_each_report_takes_a_fixed_number_of_queries_whatever_the_data(actions_world, force_world):
    empty = (date(2000, 1, 1), date(2000, 3, 31))
    assert _queries(data_return, actions_world.a, START, END) == _queries(data_return, actions_world.a, *empty) <= 5
    # (2 statements; on PostgreSQL also the savepoint and SET LOCAL jit = off around the first)
    assert _queries(actions_report, actions_world.a, START, END, today=TODAY) == 1
    assert (_queries(spo_performance, force_world.force, START, END, now=NOW)
            == _queries(spo_performance, force_world.force, *empty, now=NOW) <= 7)


def test_referrals_by_month_and_agency_kind(marac_world):
    from marac.reports.figures import referrals_by_month

    series = [(row["month"], row["kind"], row["count"]) for row in referrals_by_month(marac_world.a, START, END)]
    assert series == [(date(2025, 4, 1), "police", 1), (date(2025, 5, 1), "advocacy", 1),
                      (date(2025, 5, 1), "police", 1), (date(2025, 6, 1), "health", 1), (date(2025, 6, 1), "police", 1)]


def test_repeat_rate_by_quarter(marac_world):
    from marac.reports.figures import repeat_rate_by_quarter

    series = repeat_rate_by_quarter(marac_world.a, END, 2)
    # Jan-Mar: c4 at m0, its repeat referral of 1 March heard there; Apr-Jun: 2 of 4.
    assert [(q["from"], q["cases_discussed"], q["repeat_cases"], q["share"]) for q in series] == [
        (date(2025, 1, 1), 1, 1, 1.0), (date(2025, 4, 1), 4, 2, 0.5)]


def test_breach_response_distribution(force_world):
    from marac.reports.figures import breach_response_distribution

    counts = {row["label"]: row["count"] for row in breach_response_distribution(force_world.force, START, END)}
    assert counts == {"under 1 hour": 0, "1 to 4 hours": 1, "4 to 24 hours": 1, "1 to 3 days": 1, "over 3 days": 0,
                      "no response yet": 1}  # b1 2 h, b3 4 h, b2 30 h, b4 none


def test_spo_request_outcomes(force_world):
    from marac.reports.figures import spo_request_outcomes

    counts = {row["outcome"]: row["count"] for row in spo_request_outcomes(force_world.force, START, END)}
    assert (counts["considering"], counts["declined"], counts["unanswered"], counts["applied"]) == (1, 1, 1, 0)
