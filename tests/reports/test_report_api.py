"""The report endpoints: who may see which report (the `report` policy row), JSON and
CSV, suppression of small counts in CSV only, bad input, audit, and a bounded number of
queries."""

import csv
import io

import pytest

from marac.agencies.models import AgencyKind, Role
from marac.audit.models import AuditEvent
from tests.factories import CaseFactory, make_agency, make_marac, make_platform_admin, make_user

from .dataset import END, START

pytestmark = pytest.mark.django_db

PERIOD = f"from={START.isoformat()}&to={END.isoformat()}"


def data_return_url(marac, extra=PERIOD):
    return f"/api/v1/reports/data-return/?marac={marac.pk}&{extra}"


def figures_of(response) -> dict:
    return {figure["key"]: figure["value"] for figure in response.json()["figures"]}


# Who may see which report --------------------------------------------------------------------


def test_coordinators_and_chairs_of_the_marac_see_its_data_return(api, marac_world):
    for user in (marac_world.coordinator, marac_world.chair):
        response = api(user).get(data_return_url(marac_world.a))
        assert response.status_code == 200, response.content
        assert figures_of(response)["cases_discussed"] == 4
        assert response.json()["subject"] == {"id": marac_world.a.pk, "name": "MARAC A"}


def test_a_coordinator_of_another_marac_gets_404_for_a_marac_they_do_not_serve(api, marac_world):
    other = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR, maracs=[marac_world.b])
    assert api(other).get(data_return_url(marac_world.a)).status_code == 404
    assert api(other).get(data_return_url(marac_world.b)).status_code == 200
    assert api(other).get(f"/api/v1/reports/actions/?marac={marac_world.a.pk}").status_code == 404


def test_a_marac_that_does_not_exist_is_404(api, marac_world):
    assert api(marac_world.coordinator).get("/api/v1/reports/data-return/?marac=999999").status_code == 404


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.MANAGER])
@pytest.mark.parametrize("kind", [AgencyKind.POLICE, AgencyKind.ADVOCACY, AgencyKind.HOUSING])
def test_roles_that_never_see_the_data_return_get_403(api, marac_world, role, kind):
    user = make_user(make_agency(kind), role)
    assert api(user).get(data_return_url(marac_world.a)).status_code == 403
    assert api(user).get(f"/api/v1/reports/actions/?marac={marac_world.a.pk}").status_code == 403


def test_platform_admins_never_see_a_report(api, marac_world, force_world):
    admin = api(make_platform_admin())
    assert admin.get(data_return_url(marac_world.a)).status_code == 403
    assert admin.get(f"/api/v1/reports/spo-performance/?agency={force_world.force.pk}").status_code == 403


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.MANAGER])
def test_a_forces_own_officers_and_managers_see_its_spo_performance(api, force_world, role):
    user = make_user(force_world.force, role)
    response = api(user).get(f"/api/v1/reports/spo-performance/?agency={force_world.force.pk}&{PERIOD}")
    assert response.status_code == 200, response.content
    assert figures_of(response)["spo_requests_received"] == 3


def test_another_forces_officers_get_404_for_its_spo_performance(api, force_world):
    response = api(make_user(force_world.other)).get(f"/api/v1/reports/spo-performance/?agency={force_world.force.pk}")
    assert response.status_code == 404


def test_other_agencies_never_see_spo_performance(api, force_world):
    for kind in (AgencyKind.ADVOCACY, AgencyKind.HOUSING):
        user = make_user(make_agency(kind))
        assert api(user).get(f"/api/v1/reports/spo-performance/?agency={force_world.force.pk}").status_code == 403


def test_coordinators_and_chairs_see_the_spo_performance_of_forces_on_their_maracs_cases(api, force_world):
    sits, does_not = make_marac("Where the force sits"), make_marac("Where it does not")
    CaseFactory(marac=sits, participants=[force_world.force])
    CaseFactory(marac=does_not, participants=[force_world.other])
    url = f"/api/v1/reports/spo-performance/?agency={force_world.force.pk}&{PERIOD}"
    for role in (Role.COORDINATOR, Role.CHAIR):
        serving = make_user(make_agency(AgencyKind.MARAC_COORDINATION), role, maracs=[sits])
        elsewhere = make_user(make_agency(AgencyKind.MARAC_COORDINATION), role, maracs=[does_not])
        assert api(serving).get(url).status_code == 200
        assert api(elsewhere).get(url).status_code == 404


def test_spo_performance_is_for_a_police_force_only(api, force_world):
    housing = make_agency(AgencyKind.HOUSING)
    response = api(force_world.officer).get(f"/api/v1/reports/spo-performance/?agency={housing.pk}")
    assert response.status_code == 404


# JSON and CSV ---------------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    text = response.content.decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_data_return_as_csv_by_accept_header_or_format_parameter(api, marac_world):
    client = api(marac_world.coordinator)
    by_header = client.get(data_return_url(marac_world.a), HTTP_ACCEPT="text/csv")
    by_parameter = client.get(data_return_url(marac_world.a, PERIOD + "&format=csv"))
    for response in (by_header, by_parameter):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
    assert by_header.content == by_parameter.content
    rows = {row["figure"]: row for row in read_csv(by_header)}
    assert list(read_csv(by_header)[0]) == ["report", "subject", "from", "to", "figure", "label", "value", "unit",
                                            "share", "recommended_min", "recommended_max"]
    assert rows["repeat_cases"]["recommended_min"] == "0.28" and rows["repeat_cases"]["subject"] == "MARAC A"
    assert (rows["referrals_from_police"]["from"], rows["referrals_from_police"]["to"]) == ("2025-04-01", "2025-06-30")


def test_csv_writes_counts_of_1_to_4_as_fewer_than_5_and_hides_their_share(api, marac_world):
    rows = {row["figure"]: row for row in read_csv(api(marac_world.coordinator).get(
        data_return_url(marac_world.a), HTTP_ACCEPT="text/csv"))}
    assert (rows["cases_discussed"]["value"], rows["repeat_cases"]["value"]) == ("fewer than 5", "fewer than 5")
    assert rows["repeat_cases"]["share"] == ""
    assert (rows["referrals"]["value"], rows["children_in_households"]["value"]) == ("5", "6")  # 5 and more: shown
    assert (rows["referrals_from_housing"]["value"], rows["referrals_from_housing"]["share"]) == ("0", "0.0")


def test_json_keeps_every_count_for_the_marac_itself(api, marac_world):
    response = api(marac_world.coordinator).get(data_return_url(marac_world.a))
    assert figures_of(response)["repeat_cases"] == 2


def test_csv_does_not_suppress_times(api, force_world):
    response = api(force_world.officer).get(f"/api/v1/reports/spo-performance/?agency={force_world.force.pk}&{PERIOD}"
                                            "&format=csv")
    rows = {row["figure"]: row for row in read_csv(response)}
    assert rows["spo_requests_median_days_to_answer"]["value"] == "6.0"
    assert rows["spo_requests_received"]["value"] == "fewer than 5"


def test_the_actions_report_csv_has_a_row_per_agency(api, actions_world):
    response = api(actions_world.chair).get(f"/api/v1/reports/actions/?marac={actions_world.a.pk}&{PERIOD}",
                                            HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    lines = response.content.decode().split("\r\n")
    assert lines[0] == "report,subject,from,to,agency,agency_kind,owned,completed_on_time,overdue,carried_over_did_not_act"
    assert sum(line.startswith("actions,MARAC A,") and ",housing," in line for line in lines) == 1


def test_without_a_period_the_report_is_of_the_last_complete_quarter(api, marac_world):
    from marac.reports.figures import last_complete_quarter

    start, end = last_complete_quarter()
    body = api(marac_world.coordinator).get(f"/api/v1/reports/data-return/?marac={marac_world.a.pk}").json()
    assert (body["from"], body["to"]) == (start.isoformat(), end.isoformat())


# Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("query,field", [
    ("", "marac"), ("marac=abc", "marac"), ("marac=99999999999999999999", "marac"),
    ("marac={a}&from=2025-13-01&to=2025-12-31", "from"), ("marac={a}&from=2025-06-01&to=2025-05-01", "to"),
    ("marac={a}&from=2025-06-01", "to"), ("marac={a}&from=2025-01-01&to=2101-01-01", "to"),
])
def test_bad_parameters_are_400_naming_the_parameter(api, marac_world, query, field):
    url = "/api/v1/reports/data-return/?" + query.format(a=marac_world.a.pk)
    for accept in ("application/json", "text/csv"):
        response = api(marac_world.coordinator).get(url, HTTP_ACCEPT=accept)
        assert response.status_code == 400
        assert field in response.json()


# Audit and cost -------------------------------------------------------------------------------


def test_reading_a_report_is_audited_as_a_view_of_its_subject(api, marac_world, force_world):
    api(marac_world.coordinator).get(data_return_url(marac_world.a), HTTP_X_REQUEST_ID="report-read")
    api(force_world.officer).get(f"/api/v1/reports/spo-performance/?agency={force_world.force.pk}",
                                 HTTP_X_REQUEST_ID="spo-read")
    assert set(AuditEvent.objects.filter(request_id__in=["report-read", "spo-read"])
               .values_list("action", "object_type", "object_id")) == {
        ("view", "marac", str(marac_world.a.pk)), ("view", "agency", str(force_world.force.pk))}


def test_a_report_request_reads_a_bounded_number_of_queries(api, actions_world, force_world,
                                                             django_assert_max_num_queries):
    coordinator, officer = api(actions_world.coordinator), api(force_world.officer)
    with django_assert_max_num_queries(10):
        assert coordinator.get(data_return_url(actions_world.a)).status_code == 200
    with django_assert_max_num_queries(10):
        assert coordinator.get(f"/api/v1/reports/actions/?marac={actions_world.a.pk}&{PERIOD}").status_code == 200
    with django_assert_max_num_queries(15):
        assert officer.get(f"/api/v1/reports/spo-performance/?agency={force_world.force.pk}&{PERIOD}"
                           ).status_code == 200
