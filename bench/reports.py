"""The report figures at the seeded volume: the MARAC data return and a police force's
SPO performance, each computed by marac.reports.figures for the last complete quarter
(median of several runs), with the number of queries each takes. Plus the seed step
they need: requests for an SPO (answered by the seeded orders, and some unanswered).
"""

from __future__ import annotations

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .registry import Row, median, register_figure
from .seed import SeedContext, register_seed_step

H = "(hashtext({}) & 2147483647)"


def seed_spo_requests(ctx: SeedContext) -> int:
    """Two in three of the seeded police applications answer a request for an SPO made
    1-14 days before the order was recorded (by an advocacy agency on the case, else the
    force; flagged when it took over 7 days); and `orders / 5` unanswered requests on
    other stalking cases with police on them, from the last 30 days (flagged after 7)."""
    h = H.format("o.id::text || ':spo_request'")
    answered = ctx.sql(
        f"""
        WITH chosen AS (
            SELECT o.id, o.case_id, o.agency_id, o.created_at, {h} AS h FROM orders_order o
            WHERE o.source = 'police_application' AND o.kind = 'full' AND o.spo_request_id IS NULL AND {h} %% 3 <> 0
        ), requester AS (
            SELECT c.*, COALESCE((SELECT s.agency_id FROM cases_casegroupobjectpermission g
                                  JOIN bench_agency_share s ON s.group_id = g.group_id
                                  JOIN agencies_agency a ON a.id = s.agency_id AND a.kind = 'advocacy'
                                  WHERE g.content_object_id = c.case_id ORDER BY s.agency_id LIMIT 1),
                                 c.agency_id) AS requester_id
            FROM chosen c
        )
        INSERT INTO orders_sporequest (case_id, requested_on, requested_by_victim, note, agency_id, requested_by_id,
                                       created_at, answered_at, response_overdue_flagged_at)
        SELECT r.case_id, (r.created_at - (r.h %% 14 + 1) * interval '1 day')::date, r.h %% 2 = 0, '',
               r.requester_id, (SELECT MIN(user_id) FROM agencies_membership WHERE agency_id = r.requester_id),
               r.created_at - (r.h %% 14 + 1) * interval '1 day', r.created_at,
               CASE WHEN r.h %% 14 + 1 > 7 THEN r.created_at - (r.h %% 14 + 1 - 7) * interval '1 day' END
        FROM requester r
        """
    )
    ctx.sql(
        """
        UPDATE orders_order o SET spo_request_id = r.id
        FROM orders_sporequest r
        WHERE r.case_id = o.case_id AND r.answered_at = o.created_at AND o.spo_request_id IS NULL
          AND o.source = 'police_application' AND o.kind = 'full'
        """
    )
    hc = H.format("c.id::text || ':spo_request_open'")
    unanswered = ctx.sql(
        f"""
        WITH chosen AS (
            SELECT c.id AS case_id, {hc} AS h FROM cases_case c
            WHERE c.stalking AND NOT EXISTS (SELECT 1 FROM orders_order o WHERE o.case_id = c.id)
              AND EXISTS (SELECT 1 FROM cases_casegroupobjectpermission g
                          JOIN bench_agency_share s ON s.group_id = g.group_id
                          JOIN agencies_agency a ON a.id = s.agency_id AND a.kind = 'police'
                          WHERE g.content_object_id = c.id)
            ORDER BY {hc}, c.id LIMIT %s
        ), requester AS (
            SELECT ch.*, (SELECT s.agency_id FROM cases_casegroupobjectpermission g
                          JOIN bench_agency_share s ON s.group_id = g.group_id
                          WHERE g.content_object_id = ch.case_id ORDER BY s.share DESC, s.agency_id LIMIT 1)
                         AS requester_id
            FROM chosen ch
        )
        INSERT INTO orders_sporequest (case_id, requested_on, requested_by_victim, note, agency_id, requested_by_id,
                                       created_at, answered_at, response_overdue_flagged_at)
        SELECT r.case_id, (now() - (r.h %% 30) * interval '1 day')::date, r.h %% 2 = 0, '', r.requester_id,
               (SELECT MIN(user_id) FROM agencies_membership WHERE agency_id = r.requester_id),
               now() - (r.h %% 30) * interval '1 day', NULL,
               CASE WHEN r.h %% 30 > 7 THEN now() - (r.h %% 30 - 7) * interval '1 day' END
        FROM requester r
        """,
        [max(1, ctx.volume.orders // 5)],
    )
    return answered + unanswered


register_seed_step("spo_requests", seed_spo_requests)


def _timed(fn, runs: int) -> tuple[list[float], int]:
    fn()  # warm-up
    with CaptureQueriesContext(connection) as captured:
        fn()
    queries = len(captured)
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - started)
    return seconds, queries


def _report_row(name: str, fn, runs: int, subject: str) -> Row:
    seconds, queries = _timed(fn, runs)
    med = median(seconds)
    return Row(name, med, unit="s", target="<= 1 s", met=med <= 1,
               note=f"median of {runs} runs of marac.reports.figures for {subject}, the last complete quarter: "
                    f"{queries} queries",
               details={"queries": queries, "runs_seconds": ", ".join(f"{s:.3f}" for s in seconds)})


def measure_data_return(ctx) -> list[Row]:
    from marac.maracs.models import Marac
    from marac.reports.figures import data_return, last_complete_quarter

    start, end = last_complete_quarter()
    marac = Marac.objects.order_by("pk").first()
    return [_report_row("report_data_return_seconds", lambda: data_return(marac, start, end),
                        5 if ctx.quick else 10, f"MARAC {marac.name!r}")]


def measure_spo_performance(ctx) -> list[Row]:
    from django.db.models import Count

    from marac.agencies.models import Agency
    from marac.orders.models import Order
    from marac.reports.figures import last_complete_quarter, spo_performance

    start, end = last_complete_quarter()
    busiest = Order.objects.values("agency").annotate(n=Count("pk")).order_by("-n", "agency").first()
    force = Agency.objects.get(pk=busiest["agency"])
    return [_report_row("report_spo_performance_seconds", lambda: spo_performance(force, start, end),
                        5 if ctx.quick else 10, f"{force.name} (the force holding most orders)")]


register_figure("report_data_return_seconds", "<= 1 s", measure_data_return)
register_figure("report_spo_performance_seconds", "<= 1 s", measure_spo_performance)
