"""A smoke test of the benchmark harness (the benchmark itself is not run in CI)."""

import pytest

from bench.endpoints import count_list_queries, list_endpoints
from bench.registry import FIGURES
from bench.world import Caller
from marac.agencies.models import AgencyKind, Role
from tests.factories import CaseFactory, ResearchFactory, make_agency, make_user, token_for


def test_every_list_endpoint_is_discovered_from_the_urls():
    names = {endpoint.name for endpoint in list_endpoints()}
    assert {"case-list", "case-research-list", "case-incident-list", "referral-list", "agency-list",
            "user-list"} <= names


def test_every_figure_of_the_bench_design_is_registered():
    import bench.figures  # noqa: F401  (registers them)

    assert {"slice_overhead_ratio", "guardian_shortcut_ratio", "list_queries", "case_list_rps",
            "pack_seconds_40_cases", "sweep_seconds_100k"} <= {figure.name for figure in FIGURES}


@pytest.mark.django_db
def test_list_query_counts_are_taken_for_every_endpoint_at_2_and_50_rows():
    police = make_agency(AgencyKind.POLICE)
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR)
    case = CaseFactory(participants=[police])
    for _ in range(3):
        ResearchFactory(case=case, agency=police, author=make_user(police))
    caller = Caller("coordinator", coordinator.pk, coordinator.username, token_for(coordinator))
    results = {r.path_name: r for r in count_list_queries([caller])}
    assert set(results) == {endpoint.name for endpoint in list_endpoints()}
    research = results["case-research-list"]
    assert (research.rows_2, research.rows_50) == (2, 3)
    assert research.queries_2 == research.queries_50
