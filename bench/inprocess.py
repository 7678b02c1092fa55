"""What one case-list request costs in CPU, without an HTTP server, and what a change saved.

    python -m bench.inprocess [--small] [--requests 200] [--rounds 7]
    python -m bench.inprocess --ab rows [--rounds 16] [--requests 100]

Runs `GET /api/v1/cases/` (first page, 50 rows) as a practitioner of the biggest agency
(`--small`: of a small one) through the WSGI application: every middleware, DRF, the
slice, the serializer, the audit INSERT. Prints per request this process's CPU (Python)
and the CPU of its PostgreSQL backend (read from /proc: PostgreSQL must run on this
machine). Needs the benchmark database (`python -m bench --seed-only` first).

`--ab NAME` measures one of the changes bench/PROFILE.md reports: it switches between
the earlier implementation and the current one every round (interleaved, so that
whatever else the machine does falls on both alike) and prints the median of each and
of their difference per round.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time

from .__main__ import setup_django


def _earlier_case_rows():
    from api.cases.views import CaseViewSet

    current = CaseViewSet.list_queryset

    def earlier():
        CaseViewSet.list_queryset = None  # the page read as Case instances (select_related)

    def now():
        CaseViewSet.list_queryset = current

    return earlier, now


def _earlier_renderer():
    from rest_framework.renderers import JSONRenderer as DrfJSONRenderer

    from api.renderers import JSONRenderer

    current = JSONRenderer.render

    def earlier():
        JSONRenderer.render = DrfJSONRenderer.render

    def now():
        JSONRenderer.render = current

    return earlier, now


def _earlier_timestamps():
    from django.db import connection
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    from marac.postgres import iso_loader_for

    def earlier():
        register_tzloader(connection.timezone, connection.connection)  # Django's own loader

    def now():
        connection.connection.adapters.register_loader("timestamptz", iso_loader_for(connection.timezone))

    return earlier, now


def _earlier_authentication():
    from django.db.models import Q
    from django.utils import timezone
    from knox.crypto import hash_token
    from knox.models import AuthToken

    from api import authentication

    current = authentication.token_with_holder

    def orm_token_with_holder(key):
        if not authentication.is_well_formed(key):
            return None
        return (AuthToken.objects.select_related("user__membership__agency")
                .filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()), digest=hash_token(key)).first())

    def earlier():
        authentication.token_with_holder = orm_token_with_holder

    def now():
        authentication.token_with_holder = current

    return earlier, now


CHANGES = {
    "rows": _earlier_case_rows,
    "renderer": _earlier_renderer,
    "timestamps": _earlier_timestamps,
    "auth": _earlier_authentication,
}


class CaseListRequests:
    def __init__(self, token: str):
        from django.core.handlers.wsgi import WSGIHandler
        from django.db import connection

        self.application = WSGIHandler()
        self.token = token
        self.request()  # opens the connection
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.backend_stat = f"/proc/{cursor.fetchone()[0]}/stat"

    def request(self) -> None:
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": "/api/v1/cases/", "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1:8000", "HTTP_AUTHORIZATION": f"Token {self.token}",
            "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr,
            "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        }
        status = []
        b"".join(self.application(environ, lambda s, headers, exc_info=None: status.append(s)))
        if not status[0].startswith("200"):
            raise RuntimeError(f"GET /api/v1/cases/ answered {status[0]}")

    def backend_cpu(self) -> float:
        fields = open(self.backend_stat).read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def measure(self, requests: int) -> tuple[float, float]:
        """(Python ms, PostgreSQL ms) per request."""
        python, backend = time.process_time(), self.backend_cpu()
        for _ in range(requests):
            self.request()
        return (1000 * (time.process_time() - python) / requests, 1000 * (self.backend_cpu() - backend) / requests)


def _ms(values) -> str:
    return f"{statistics.median(values):.2f}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.inprocess", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="a practitioner of a small agency")
    parser.add_argument("--requests", type=int, default=200, help="requests per round (default 200)")
    parser.add_argument("--rounds", type=int, help="rounds (default 7; 16 with --ab)")
    parser.add_argument("--ab", choices=sorted(CHANGES), help="compare the earlier implementation with the current")
    args = parser.parse_args(argv)
    # One connection (one backend to read the CPU of) for the whole run, as a worker has.
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "86400")
    setup_django()
    from .world import biggest_agency_practitioner, small_agency_practitioner

    caller = small_agency_practitioner() if args.small else biggest_agency_practitioner()
    requests = CaseListRequests(caller.token)
    for _ in range(100):  # imports, caches, prepared statements
        requests.request()
    print(f"caller: {caller.label}, {caller.agency_name} ({caller.agency_cases} cases)")
    if not args.ab:
        rounds = [requests.measure(args.requests) for _ in range(args.rounds or 7)]
        python, backend = [r[0] for r in rounds], [r[1] for r in rounds]
        print(f"python_ms_per_request: {_ms(python)}")
        print(f"postgres_ms_per_request: {_ms(backend)}")
        print(f"total_ms_per_request: {_ms([p + b for p, b in rounds])}")
        return 0
    earlier, now = CHANGES[args.ab]()
    results: dict[str, list[tuple[float, float]]] = {"earlier": [], "current": []}
    for round_number in range(args.rounds or 16):
        order = (("earlier", earlier), ("current", now))
        for name, switch in order if round_number % 2 == 0 else reversed(order):
            switch()
            for _ in range(10):
                requests.request()
            results[name].append(requests.measure(args.requests))
    now()
    for name, rounds in results.items():
        print(f"{args.ab}.{name}: python {_ms([r[0] for r in rounds])} ms, "
              f"postgres {_ms([r[1] for r in rounds])} ms per request")
    pairs = list(zip(results["earlier"], results["current"]))
    # PostgreSQL's CPU is read in clock ticks (10 ms), so a round's backend figure moves by
    # up to 10 ms / requests; Python's is exact. Both are printed; judge each accordingly.
    print(f"{args.ab}.saved_python_ms_per_request: {_ms([e[0] - c[0] for e, c in pairs])} "
          f"(median of {len(pairs)} paired rounds)")
    print(f"{args.ab}.saved_postgres_ms_per_request: {_ms([e[1] - c[1] for e, c in pairs])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
