"""Every list endpoint, discovered from the URL configuration (router routes and
nested paths alike), and the SQL queries one list request costs at 2 and 50 rows.

A list endpoint is any URL whose DRF view maps GET to `list`. URL parameters are
filled by the providers in URL_KWARG_PROVIDERS (register more for new nested routes,
e.g. `meeting_pk`); the query count covers the whole request, authentication included.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class ListEndpoint:
    name: str  # the URL name, with namespaces
    kwargs: tuple[str, ...]


@dataclass(frozen=True)
class QueryCount:
    path_name: str
    path: str
    caller: str
    queries_2: int
    queries_50: int
    rows_2: int
    rows_50: int


def _richest_case() -> int | None:
    """The case with the most child rows (the seeded showcase case)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT case_id FROM cases_researchcontribution GROUP BY case_id ORDER BY count(*) DESC LIMIT 1")
        row = cursor.fetchone()
    return row[0] if row else None


def _richest(table: str, column: str) -> Callable[[], object]:
    """The parent with the most rows in TABLE (the seeded showcase parent)."""

    def provider():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {column} FROM {table} GROUP BY {column} ORDER BY count(*) DESC, {column} LIMIT 1")
            row = cursor.fetchone()
        return row[0] if row else None

    return provider


URL_KWARG_PROVIDERS: dict[str, Callable[[], object]] = {
    "case_pk": _richest_case,
    # orders/<order_pk>/requirements/ and orders/<order_pk>/breaches/: the showcase order
    # has many of both; requirements decide (an order without any has no breaches either).
    "order_pk": _richest("orders_requirement", "order_id"),
    "meeting_pk": _richest("meetings_agendaitem", "meeting_id"),
}


def register_url_kwarg(name: str, provider: Callable[[], object]) -> None:
    URL_KWARG_PROVIDERS[name] = provider


def _walk(patterns, namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern):
            actions = getattr(pattern.callback, "actions", None) or {}
            if actions.get("get") == "list" and pattern.name:
                yield ListEndpoint(namespace + pattern.name, tuple(pattern.pattern.regex.groupindex))


def list_endpoints() -> list[ListEndpoint]:
    seen, found = set(), []
    for endpoint in _walk(get_resolver().url_patterns):
        if endpoint.name not in seen and "format" not in endpoint.kwargs:
            seen.add(endpoint.name)
            found.append(endpoint)
    return found


def _get(client: Client, path: str, page_size: int) -> tuple[int, int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {"page_size": page_size})
    if response.status_code != 200:
        return response.status_code, len(captured), 0
    body = response.json()
    results = body["results"] if isinstance(body, dict) and "results" in body else body
    return 200, len(captured), len(results)


def count_list_queries(callers=None) -> list[QueryCount]:
    from .world import candidates

    callers = callers or candidates()
    out = []
    for endpoint in list_endpoints():
        kwargs = {}
        for name in endpoint.kwargs:
            provider = URL_KWARG_PROVIDERS.get(name)
            if provider is None:
                raise LookupError(f"list endpoint {endpoint.name} needs a value for {name!r}: "
                                  "add one with bench.endpoints.register_url_kwarg")
            value = provider()
            if value is None:
                raise LookupError(f"list endpoint {endpoint.name}: no {name!r} in this database to list under")
            kwargs[name] = value
        path = reverse(endpoint.name, kwargs=kwargs)
        best = None
        for caller in callers:
            client = Client(HTTP_AUTHORIZATION=f"Token {caller.token}", HTTP_HOST="localhost")
            status, _, rows = _get(client, path, 50)
            if status != 200:
                continue
            if best is None or rows > best[1]:
                best = (caller, rows, client)
            if rows >= 50:
                break
        if best is None:
            raise RuntimeError(f"no benchmark caller may list {path}")
        caller, _, client = best
        _get(client, path, 2)  # warm: first-request work is not a per-request query
        _, q2, rows2 = _get(client, path, 2)
        _, q50, rows50 = _get(client, path, 50)
        out.append(QueryCount(endpoint.name, path, caller.label, q2, q50, rows2, rows50))
    return out
