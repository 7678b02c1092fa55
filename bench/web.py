"""Web pages (issue 13): the server time of the web case list and the case page, each
beside the API's case list for the same caller, timed interleaved round by round in this
process through Django's whole stack (middleware, session or token authentication, the
slice, templates). Target: within 1.5x the API's case list."""

from __future__ import annotations

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .registry import Row, median, p95, register_figure
from .world import biggest_agency_practitioner


def _clients(caller):
    from django.contrib.auth import get_user_model
    from django.test import Client

    web = Client(SERVER_NAME="localhost")
    web.force_login(get_user_model().objects.get(pk=caller.user_id))
    api = Client(SERVER_NAME="localhost", HTTP_AUTHORIZATION=f"Token {caller.token}")
    return web, api


def _get(client, path: str):
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}: {response.content[:300]!r}")
    return response


def web_page_timings(ctx) -> dict:
    from django.urls import reverse

    key = ("web_pages",)
    if key in ctx.cache:
        return ctx.cache[key]
    caller = biggest_agency_practitioner()
    web, api = _clients(caller)
    api_path = "/api/v1/cases/"
    first_case = _get(api, api_path).json()["results"][0]["id"]
    case_path = reverse("web:case-detail", args=[first_case])
    paths = {"web_list": reverse("web:case-list"), "web_case": case_path,
             "web_case_all": f"{case_path}?all=research&all=incidents", "api_list": api_path}
    clients = {"web_list": web, "web_case": web, "web_case_all": web, "api_list": api}
    queries = {}
    for name, path in paths.items():
        with CaptureQueriesContext(connection) as captured:
            _get(clients[name], path)
        queries[name] = len(captured.captured_queries)
    for _ in range(5):  # warm-up: templates, plan caches
        for name, path in paths.items():
            _get(clients[name], path)
    samples: dict[str, list[float]] = {name: [] for name in paths}
    for _ in range(max(20, ctx.rounds // 4)):
        for name, path in paths.items():
            started = time.perf_counter()
            _get(clients[name], path)
            samples[name].append(time.perf_counter() - started)
    result = {"caller": caller, "paths": paths, "samples": samples, "queries": queries}
    ctx.cache[key] = result
    return result


def measure_web_pages(ctx) -> list[Row]:
    result = web_page_timings(ctx)
    samples, paths, queries, caller = result["samples"], result["paths"], result["queries"], result["caller"]
    api_ms = median(samples["api_list"]) * 1000
    rows = []
    for name, figure, target in (("web_list", "web_case_list_ratio", 1.5), ("web_case", "web_case_page_ratio", 1.5),
                                 ("web_case_all", "web_case_page_all_ratio", None)):
        ms, high = median(samples[name]) * 1000, p95(samples[name]) * 1000
        ratio = ms / api_ms
        rows.append(Row(figure, ratio, target=f"<= {target}" if target else "(information)",
                        met=ratio <= target if target else None,
                        note=f"{paths[name]} as a practitioner of {caller.agency_name} ({caller.agency_cases} cases): "
                             f"{ms:.1f} ms (p95 {high:.1f}, {queries[name]} queries) / API {paths['api_list']} "
                             f"{api_ms:.1f} ms ({queries['api_list']} queries), server time in process, "
                             f"{len(samples[name])} interleaved rounds",
                        details={"median_ms": round(ms, 2), "p95_ms": round(high, 2), "queries": queries[name],
                                 "api_case_list_ms": round(api_ms, 2)}))
    return rows


register_figure("web_pages", "<= 1.5x the API's case list", measure_web_pages)
