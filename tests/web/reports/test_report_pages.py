"""The Reports pages: what each shows (the figures of the constructed data set of
tests/reports), charts drawn as SVG with their data tables, CSV downloads with small
counts suppressed, who may see which page, and a bounded number of queries."""

import csv
import io

import pytest
from django.db import connection

from marac.agencies.models import AgencyKind, Role
from marac.audit.models import AuditEvent
from tests.factories import make_agency, make_user
from tests.reports.dataset import END, START
from tests.web.query_pins import page_queries

pytestmark = pytest.mark.django_db

PERIOD = f"start={START.isoformat()}&end={END.isoformat()}"


def test_the_reports_list_offers_the_data_return_of_the_maracs_a_coordinator_serves(web, marac_world):
    page = web(marac_world.coordinator).get("/reports/").content.decode()
    assert "MARAC A" in page and "MARAC B" not in page
    assert f"/reports/data-return/?marac={marac_world.a.pk}" in page


def test_the_reports_list_offers_a_police_officer_their_forces_spo_performance(web, force_world):
    page = web(force_world.officer).get("/reports/").content.decode()
    assert f"/reports/spo-performance/?agency={force_world.force.pk}" in page
    assert f"agency={force_world.other.pk}" not in page


@pytest.mark.parametrize("role,kind", [(Role.PRACTITIONER, AgencyKind.HOUSING), (Role.MANAGER, AgencyKind.HEALTH),
                                       (Role.PRACTITIONER, AgencyKind.ADVOCACY)])
def test_a_role_no_report_row_grants_is_refused_the_reports_list_and_not_offered_it(web, role, kind):
    client = web(make_user(make_agency(kind), role))
    response = client.get("/reports/")
    assert response.status_code == 403 and "You cannot do this" in response.content.decode()
    assert 'href="/reports/"' not in client.get("/").content.decode()


def test_the_data_return_page_shows_each_figure_beside_safelives_range_with_charts_and_tables(web, marac_world):
    response = web(marac_world.chair).get(f"/reports/data-return/?marac={marac_world.a.pk}&{PERIOD}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Data return: MARAC A" in page
    assert "Repeat cases" in page and "28% to 40%" in page and "50%" in page
    assert page.count("<svg") == 2 and 'role="img"' in page and "<script" not in page.split("<svg", 1)[1].split(
        "</svg>", 1)[0]
    assert "Accepted referrals per month by referring agency kind" in page  # the chart's data table
    assert "Download CSV" in page


def test_the_data_return_csv_download_suppresses_small_counts(web, marac_world):
    response = web(marac_world.coordinator).get(f"/reports/data-return/?marac={marac_world.a.pk}&{PERIOD}&format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="data_return-2025-04-01-2025-06-30.csv"'
    rows = {row["figure"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows["cases_discussed"]["value"] == "fewer than 5" and rows["referrals"]["value"] == "5"


def test_the_spo_performance_page_shows_breach_times_and_request_outcomes(web, force_world):
    response = web(force_world.officer).get(f"/reports/spo-performance/?agency={force_world.force.pk}&{PERIOD}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Breaches by time to the first police response" in page and "1 to 3 days" in page
    assert "SPO requests by the police&#x27;s answer" in page or "SPO requests by the police's answer" in page
    assert page.count("<svg") == 2


def test_the_actions_page_lists_each_agency(web, actions_world):
    page = web(actions_world.coordinator).get(f"/reports/actions/?marac={actions_world.a.pk}&{PERIOD}")
    assert page.status_code == 200
    assert actions_world.housing.name in page.content.decode()


def test_a_bad_period_shows_the_error_and_the_last_quarter(web, marac_world):
    response = web(marac_world.coordinator).get(
        f"/reports/data-return/?marac={marac_world.a.pk}&start=2025-06-01&end=2025-05-01")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page and "The last day must be on or after the first day." in page


def test_who_may_see_a_report_page(web, marac_world, force_world):
    other_marac = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR, maracs=[marac_world.b])
    assert web(other_marac).get(f"/reports/data-return/?marac={marac_world.a.pk}").status_code == 404
    assert web(make_user(make_agency(AgencyKind.HOUSING))).get(
        f"/reports/data-return/?marac={marac_world.a.pk}").status_code == 403
    assert web(make_user(force_world.other)).get(
        f"/reports/spo-performance/?agency={force_world.force.pk}").status_code == 404
    assert web(marac_world.coordinator).get("/reports/data-return/?marac=abc").status_code == 404


def test_reading_a_report_page_is_audited_as_a_view_of_its_subject(web, marac_world):
    web(marac_world.coordinator).get(f"/reports/data-return/?marac={marac_world.a.pk}")
    assert ("view", "marac", str(marac_world.a.pk)) in set(
        AuditEvent.objects.values_list("action", "object_type", "object_id"))


# Session and user, the report's subject through the slice, its figures (a fixed number
# of statements whatever the data: tests/reports/test_figures.py), the audit INSERT; the
# data return also reads the four quarters before for its chart. On PostgreSQL each data
# return runs in a savepoint with `SET LOCAL jit = off` (marac.reports.figures).
REPORT_PINS = {"sqlite": {"data-return": 15, "actions": 5, "spo-performance": 13},
               "postgresql": {"data-return": 30, "actions": 5, "spo-performance": 13}}


def test_report_pages_read_a_pinned_number_of_queries(web, actions_world, force_world):
    coordinator, officer = web(actions_world.coordinator), web(force_world.officer)
    pages = {"data-return": (coordinator, f"/reports/data-return/?marac={actions_world.a.pk}&{PERIOD}"),
             "actions": (coordinator, f"/reports/actions/?marac={actions_world.a.pk}&{PERIOD}"),
             "spo-performance": (officer, f"/reports/spo-performance/?agency={force_world.force.pk}&{PERIOD}")}
    assert {name: page_queries(client, url) for name, (client, url) in pages.items()} == REPORT_PINS[connection.vendor]


def test_the_chairs_home_shows_their_marac_last_quarter_at_a_glance(web, marac_world):
    from marac.reports.figures import last_complete_quarter

    start, _ = last_complete_quarter()
    page = web(marac_world.chair).get("/").content.decode()
    assert "MARAC A: last quarter" in page and f"{start.day} {start:%B %Y}" in page
    assert "Cases discussed" in page and "28% to 40%" in page
    assert f"/reports/data-return/?marac={marac_world.a.pk}" in page


def test_other_roles_home_has_no_glance(web, marac_world):
    assert "last quarter" not in web(marac_world.coordinator).get("/").content.decode()
