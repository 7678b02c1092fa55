"""Pinning a page's queries (the web app's rule: every page renders in a pinned number of
queries). `page_queries` reads a page once to settle the session, then counts a second
read; `assert_pinned` measures every page before and after its lists grow and checks
both against the pins, so a page reads the same number of queries for one row or many."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url: str) -> int:
    client.get(url)  # the session's first read is not the page's
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def assert_pinned(pages: dict, pins: dict, grow) -> None:
    """PAGES: {name: (client, url)}; PINS: {name: queries}; GROW(): adds rows the pages
    may list. Each page reads exactly its pin, before and after."""
    before = {name: page_queries(client, url) for name, (client, url) in pages.items()}
    grow()
    after = {name: page_queries(client, url) for name, (client, url) in pages.items()}
    assert before == after, {name: (before[name], after[name]) for name in pages if before[name] != after[name]}
    assert after == {name: pins[name] for name in pages}, after
