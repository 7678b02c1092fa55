"""A smoke test of the benchmark harness (the benchmark itself is not run in CI)."""

import pytest

from bench.endpoints import count_list_queries, list_endpoints
from bench.registry import FIGURES
from bench.world import Caller
from marac.agencies.models import AgencyKind, Role
from tests.factories import CaseFactory, ResearchFactory, make_agency, make_user, token_for
from tests.meetings.helpers import make_meeting
from tests.orders.factories import make_breach, make_order, make_requirement


def test_every_list_endpoint_is_discovered_from_the_urls():
    names = {endpoint.name for endpoint in list_endpoints()}
    assert {"case-list", "case-research-list", "case-incident-list", "referral-list", "agency-list",
            "user-list"} <= names


def test_every_figure_of_the_bench_design_is_registered():
    import bench.figures  # noqa: F401  (registers them)
    import bench.web  # noqa: F401

    assert {"slice_overhead_ratio", "guardian_shortcut_ratio", "list_queries", "case_list_rps",
            "pack_seconds_40_cases", "sweep_seconds_100k", "web_pages"} <= {figure.name for figure in FIGURES}


def test_a_scale_run_seeds_n_cases_and_ten_grants_each_and_measures_the_ratios():
    from bench.__main__ import parse_args
    from bench.figures import SCALE_FIGURES
    from bench.seed import Volume

    assert parse_args(["--scale", "1000000"]).scale == 1_000_000
    volume = Volume.for_scale(1_000_000)
    assert (volume.cases, volume.grants_per_case, volume.users) == (1_000_000, 10.0, 1_000)
    assert Volume.for_scale(100_000).key == Volume().key  # the default volume: one seeded database serves both
    assert SCALE_FIGURES == {"slice_overhead_ratio", "guardian_shortcut_ratio"}


def test_the_scale_curve_has_a_column_per_scale_and_keeps_the_rest_of_the_results(tmp_path, monkeypatch):
    from bench import report
    from bench.registry import Row
    from bench.seed import Volume

    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\n| figure | value |\n")
    monkeypatch.setattr(report.os, "getloadavg", lambda: (1.0, 1.0, 1.0))
    for cases, ratio in ((10_000, 0.9), (1_000_000, 1.4)):
        report.write_scale_rows(str(results), [Row("slice_overhead_ratio", ratio, met=ratio <= 1.3)],
                                volume=Volume.for_scale(cases), seed_seconds={"cases": 1.0})
    text = results.read_text()
    assert text.startswith("# Benchmark results\n\n| figure | value |\n")
    assert "| figure | 10,000 cases | 1,000,000 cases |" in text
    assert "| `slice_overhead_ratio` | 0.90 | 1.40 (**no**) |" in text
    assert text.count(report.CURVE_HEADING) == 1


@pytest.mark.django_db
def test_list_query_counts_are_taken_for_every_endpoint_at_2_and_50_rows():
    police = make_agency(AgencyKind.POLICE)
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR)
    case = CaseFactory(participants=[police])
    officer = make_user(police)
    for _ in range(3):
        ResearchFactory(case=case, agency=police, author=officer)
    order = make_order(case=case, police=police, user=officer)
    for _ in range(3):
        make_requirement(order)
        make_breach(order)
    make_meeting(cases=[case, CaseFactory(participants=[police]), CaseFactory(participants=[police])])
    callers = [Caller("coordinator", coordinator.pk, coordinator.username, token_for(coordinator)),
               Caller("police", officer.pk, officer.username, token_for(officer))]
    results = {r.path_name: r for r in count_list_queries(callers)}
    assert set(results) == {endpoint.name for endpoint in list_endpoints()}
    for name in ("case-research-list", "order-requirement-list", "order-breach-list", "meeting-agenda-list"):
        assert (results[name].rows_2, results[name].rows_50) == (2, 3), name
    for result in results.values():
        assert result.queries_2 == result.queries_50 <= 8, result


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["rows", "renderer", "auth"])
def test_each_ab_change_serves_the_same_case_list_and_switches_back(api, change):
    from api import authentication
    from api.cases.views import CaseViewSet
    from api.renderers import JSONRenderer
    from bench.inprocess import CHANGES

    police = make_agency(AgencyKind.POLICE)
    CaseFactory(participants=[police])
    client = api(make_user(police))
    before = (CaseViewSet.list_queryset, JSONRenderer.render, authentication.token_with_holder)
    current = client.get("/api/v1/cases/").json()
    earlier, now = CHANGES[change]()
    earlier()
    try:
        assert client.get("/api/v1/cases/").json() == current
    finally:
        now()
    assert (CaseViewSet.list_queryset, JSONRenderer.render, authentication.token_with_holder) == before
