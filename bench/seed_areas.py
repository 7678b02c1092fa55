"""Seed steps for the areas merged after the first benchmark work: meetings and their
agendas, actions, Stalking Protection Orders with requirements and breaches, support
plans, and the notifications the daily sweep would have raised up to yesterday.

Same rules as bench/seed.py: every step is a few `INSERT ... SELECT` statements run in
the database, choices are made by deterministic hashes (two runs at one volume seed
the same world), and the runner's marker table skips steps already done at this
volume. Registered after the platform's steps (they read cases, grants and users).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from .seed import SeedContext, register_seed_step

# hashtext(...) & 2147483647: a non-negative deterministic hash of a text key.
H = "(hashtext({}) & 2147483647)"


def _users(ctx: SeedContext) -> tuple[int, int]:
    coordinator = ctx.scalar("SELECT MIN(user_id) FROM agencies_membership WHERE role = 'coordinator'")
    chair = ctx.scalar("SELECT MIN(user_id) FROM agencies_membership WHERE role = 'chair'")
    if chair is None:  # small volumes may give the coordination unit no chair: make its newest member one
        chair = ctx.scalar("SELECT MAX(user_id) FROM agencies_membership WHERE role = 'coordinator'")
        ctx.sql("UPDATE agencies_membership SET role = 'chair' WHERE user_id = %s", [chair])
        coordinator = ctx.scalar("SELECT MIN(user_id) FROM agencies_membership WHERE role = 'coordinator'")
    return coordinator, chair


def _showcase_case(ctx: SeedContext) -> int:
    return ctx.scalar("SELECT id FROM cases_case ORDER BY created_at DESC, id DESC LIMIT 1")


def _first_meeting(ctx: SeedContext):
    return ctx.scalar("SELECT MIN(created_at)::date + 7 FROM cases_case")


def seed_meetings(ctx: SeedContext) -> int:
    """A meeting of every MARAC every fortnight over the seeded period (closed with
    minutes and attendance when past, the next one scheduled); every case is listed on
    the agenda of its MARAC's first meeting on or after the day it was opened."""
    coordinator, chair = _users(ctx)
    first = _first_meeting(ctx)
    meetings = ctx.sql(
        """
        INSERT INTO meetings_meeting (date, status, created_at, updated_at, chair_id, created_by_id,
                                      confidentiality_statement, minutes, marac_id)
        SELECT d::date, CASE WHEN d::date < current_date THEN 'closed' ELSE 'scheduled' END,
               d - interval '28 days', now(), %s, %s, %s,
               CASE WHEN d::date < current_date THEN 'Cases heard in turn; actions agreed as recorded.' ELSE '' END,
               mm.id
        FROM maracs_marac mm CROSS JOIN generate_series(%s::date, current_date + 13, interval '14 days') AS d
        ORDER BY mm.name <> %s, mm.id, d
        """,
        [chair, coordinator, settings.MARAC_CONFIDENTIALITY_STATEMENT, first, settings.MARAC_NAME],
    )
    # Attendance of the past meetings: agencies on many cases attend, a few send apologies.
    ctx.sql(
        """
        INSERT INTO meetings_meeting_agencies_present (meeting_id, agency_id)
        SELECT m.id, s.agency_id FROM meetings_meeting m CROSS JOIN bench_agency_share s
        WHERE m.status = 'closed' AND s.share >= 0.05
        """
    )
    ctx.sql(
        """
        INSERT INTO meetings_meeting_apologies (meeting_id, agency_id)
        SELECT m.id, s.agency_id FROM meetings_meeting m CROSS JOIN bench_agency_share s
        WHERE m.status = 'closed' AND s.share > 0 AND s.share < 0.05
        """
    )
    items = ctx.sql(
        """
        INSERT INTO meetings_agendaitem (position, added_at, case_id, meeting_id, minutes)
        SELECT row_number() OVER (PARTITION BY m.id ORDER BY c.id), c.created_at, c.id, m.id, ''
        FROM cases_case c
        JOIN meetings_meeting m
          ON m.marac_id = c.marac_id
         AND m.date = %s::date + 14 * ceil(greatest(0, c.created_at::date - %s::date) / 14.0)::int
        """,
        [first, first],
    )
    return meetings + items


def seed_actions(ctx: SeedContext) -> int:
    """`actions_per_case` actions per case (200,000 at the default volume), agreed at the
    meeting that heard it, each owned by an agency on the case, due 1-8 weeks after
    the meeting. Past due: most done, ~15% still open or in progress (overdue); a
    few cancelled; future ones open or in progress."""
    coordinator, _ = _users(ctx)
    h_status = H.format("r.case_id::text || ':' || r.agency_id::text || ':status'")
    h_due = H.format("r.case_id::text || ':' || r.agency_id::text || ':due'")
    return ctx.sql(
        f"""
        WITH ranked AS (
            SELECT g.content_object_id AS case_id, s.agency_id,
                   row_number() OVER (PARTITION BY g.content_object_id
                                      ORDER BY hashtext(g.id::text || ':action')) AS rn
            FROM cases_casegroupobjectpermission g JOIN bench_agency_share s ON s.group_id = g.group_id
        ), planned AS (
            SELECT r.case_id, r.agency_id, r.rn, ai.meeting_id, m.date AS met_on,
                   m.date + 7 + {h_due} %% 50 AS due, {h_status} %% 20 AS h
            FROM ranked r
            JOIN meetings_agendaitem ai ON ai.case_id = r.case_id
            JOIN meetings_meeting m ON m.id = ai.meeting_id
            WHERE r.rn <= %s
        )
        INSERT INTO meetings_action (description, due_date, status, created_at, updated_at, case_id,
                                     created_by_id, meeting_id, owner_agency_id)
        SELECT (ARRAY['Safety visit to the victim and update the MARAC.',
                      'Flag the address for a priority response.',
                      'Share the risk assessment with the allocated worker.',
                      'Offer the victim a place on the recovery programme.'])[1 + (h + rn) %% 4],
               due,
               CASE WHEN h = 0 THEN 'cancelled'
                    WHEN due < current_date THEN (CASE WHEN h < 17 THEN 'done' WHEN h = 17 THEN 'open'
                                                       ELSE 'in_progress' END)
                    ELSE (ARRAY['open', 'in_progress', 'open'])[1 + h %% 3] END,
               met_on::timestamptz, met_on::timestamptz, case_id, %s, meeting_id, agency_id
        FROM planned
        """,
        [ctx.volume.actions_per_case, coordinator],
    )


ORDER_STATUS_BY_HASH = "(ARRAY['considering','declined','applied','refused','discharged'])[1 + h %% 20]"
COURT = "Northshire Magistrates' Court"
PROHIBITIONS = ('[{"text": "No contact with the victim by any means, including through third parties.", '
                '"locality": "", "ends_on": null}, {"text": "Not to enter the exclusion zone around the '
                'victim\'s home and workplace.", "locality": "Northshire", "ends_on": null}]')
REQUIREMENT_PROVIDERS = {  # requirement kind -> the agency delivering it (by name; police: the order's force)
    "intervention_programme": "Perpetrator Programme",
    "mental_health_assessment": "Mental Health Trust",
    "substance_misuse_treatment": "Drug and Alcohol Service",
    "police_sign_on": None,
    "device_surrender": None,
}


def seed_orders(ctx: SeedContext) -> int:
    """`orders` SPOs on stalking cases a police force is on (hash-chosen), at every
    stage: mostly granted (some until further order, some fixed-term and expiring,
    a few not notified by the defendant), and some considering, declined, applied,
    refused or discharged. Plus the showcase order on the showcase case, with
    `showcase_children` requirements and breaches (nested lists at 50 rows)."""
    showcase = _showcase_case(ctx)
    h = H.format("p.case_id::text || ':order'")
    count = ctx.sql(
        f"""
        WITH police AS (
            SELECT DISTINCT ON (g.content_object_id) g.content_object_id AS case_id, s.agency_id
            FROM cases_casegroupobjectpermission g
            JOIN bench_agency_share s ON s.group_id = g.group_id
            JOIN agencies_agency a ON a.id = s.agency_id AND a.kind = 'police'
            ORDER BY g.content_object_id, s.agency_id
        ), chosen AS (
            SELECT p.case_id, p.agency_id, c.created_at::date + 10 + {h} %% 60 AS applied, {h} AS h
            FROM police p JOIN cases_case c ON c.id = p.case_id
            WHERE c.stalking AND c.id <> %s
            ORDER BY {h}, p.case_id LIMIT %s
        ), staged AS (
            SELECT *, CASE WHEN applied > current_date THEN 'considering'
                           WHEN h %% 20 < 5 AND NOT (h %% 20 IN (3, 4) AND applied + 14 > current_date)
                               THEN {ORDER_STATUS_BY_HASH}
                           WHEN applied + 14 > current_date THEN 'applied'
                           ELSE 'granted' END AS status,
                   applied + 14 AS granted,
                   CASE WHEN h %% 3 = 0 THEN NULL ELSE applied + 14 + interval '2 years' - interval '1 day'
                                                         + (h %% 365) * interval '1 day' END::date AS expires
            FROM chosen
        ), final AS (
            SELECT *, CASE WHEN status = 'discharged' AND granted + 400 > current_date THEN 'granted'
                           ELSE status END AS final_status
            FROM staged
        ), author AS (SELECT agency_id, MIN(user_id) AS user_id FROM agencies_membership GROUP BY agency_id)
        INSERT INTO orders_order (kind, source, status, applied_on, granted_on, served_on, expires_on, notified_on,
                                  sex_offender_register_exempt, court, prohibitions, decision_reason, discharge_consent,
                                  discharged_on, ended_on, end_reason, created_at, updated_at, agency_id, case_id,
                                  created_by_id, main_order_id)
        SELECT 'full', 'police_application', final_status,
               CASE WHEN final_status IN ('considering', 'declined') THEN NULL ELSE applied END,
               CASE WHEN final_status IN ('granted', 'discharged') THEN granted END,
               CASE WHEN final_status IN ('granted', 'discharged') THEN granted + h %% 4 END,
               CASE WHEN final_status IN ('granted', 'discharged') THEN expires END,
               CASE WHEN final_status IN ('granted', 'discharged') AND h %% 25 <> 7 THEN granted + h %% 4 + 1 END,
               h %% 50 = 7,
               CASE WHEN final_status IN ('considering', 'declined') THEN '' ELSE %s END,
               CASE WHEN final_status IN ('granted', 'discharged') THEN %s::jsonb ELSE '[]'::jsonb END,
               CASE WHEN final_status = 'declined' THEN 'The victim does not support an application at present; '
                                                        || 'safeguarding continues through the MARAC.'
                    WHEN final_status = 'refused' THEN 'The court was not satisfied of the risk.' ELSE '' END,
               final_status = 'discharged',
               CASE WHEN final_status = 'discharged' THEN granted + 400 END,
               CASE WHEN final_status = 'discharged' THEN granted + 400 END,
               CASE WHEN final_status = 'discharged' THEN 'Discharged with the defendant''s consent.' ELSE '' END,
               (applied - 10)::timestamptz, now(), chosen_agency, case_id, a.user_id, NULL
        FROM (SELECT *, agency_id AS chosen_agency FROM final) f JOIN author a ON a.agency_id = f.agency_id
        """,
        [showcase, ctx.volume.orders, COURT, PROHIBITIONS],
    )
    # The showcase order: granted a year ago, until further order, every agency on its case.
    ctx.sql(
        """
        INSERT INTO orders_order (kind, source, status, applied_on, granted_on, served_on, expires_on, notified_on,
                                  sex_offender_register_exempt, court, prohibitions, decision_reason, discharge_consent,
                                  discharged_on, ended_on, end_reason, created_at, updated_at, agency_id, case_id,
                                  created_by_id, main_order_id)
        SELECT 'full', 'police_application', 'granted', current_date - 380, current_date - 366, current_date - 365,
               NULL, current_date - 364, false, %s, %s::jsonb, '', false, NULL, NULL, '', now() - interval '390 days',
               now(), a.id, %s, (SELECT MIN(user_id) FROM agencies_membership WHERE agency_id = a.id), NULL
        FROM agencies_agency a WHERE a.kind = 'police' ORDER BY a.id LIMIT 1
        """,
        [COURT, PROHIBITIONS, showcase],
    )
    # The history starts with the creation of each order.
    ctx.sql(
        """
        INSERT INTO orders_orderchange (kind, changes, at, agency_id, by_id, order_id)
        SELECT 'created', jsonb_build_object('status', jsonb_build_array(NULL, status)), created_at, agency_id,
               created_by_id, id
        FROM orders_order
        """
    )
    return count + 1


def seed_requirements(ctx: SeedContext) -> int:
    """1-3 positive requirements per granted (or once granted) order, each delivered by
    the agency for its kind (the order's own force for police sign-on and device
    surrender), at every stage; the showcase order gets `showcase_children`."""
    kinds = list(REQUIREMENT_PROVIDERS)
    values = ", ".join(["(%s, %s, %s)"] * len(kinds))
    params: list = []
    for i, kind in enumerate(kinds):
        params += [i, kind, REQUIREMENT_PROVIDERS[kind]]
    showcase = _showcase_case(ctx)
    k = ctx.volume.showcase_children
    return ctx.sql(
        f"""
        WITH kinds (i, kind, provider) AS (VALUES {values}),
        o AS (
            SELECT id, agency_id, created_by_id, granted_on, {H.format("id::text || ':req'")} AS h,
                   case_id = %s AS showcase
            FROM orders_order WHERE granted_on IS NOT NULL
        )
        INSERT INTO orders_requirement (kind, description, due_date, status, notes, created_at, updated_at,
                                        created_by_id, order_id, responsible_agency_id)
        SELECT k.kind, 'As set out in the order.', o.granted_on + 30 * (1 + j %% 6),
               (ARRAY['pending', 'scheduled', 'in_progress', 'completed', 'non_compliant',
                      'completed', 'in_progress'])[1 + (o.h + j) %% 7],
               CASE WHEN (o.h + j) %% 3 = 0 THEN 'Attended the assessment; engagement reviewed monthly.' ELSE '' END,
               o.granted_on::timestamptz, now(), o.created_by_id, o.id,
               COALESCE((SELECT id FROM agencies_agency WHERE name = k.provider), o.agency_id)
        FROM o CROSS JOIN generate_series(0, %s) AS j
        JOIN kinds k ON k.i = (o.h + j) %% {len(kinds)}
        WHERE j <= CASE WHEN o.showcase THEN %s ELSE o.h %% 3 END
        """,
        [*params, showcase, k - 1, k - 1],
    )


def seed_breaches(ctx: SeedContext) -> int:
    """One reported breach on about a quarter of the orders once granted, reported three
    hours after it happened; police answered most within hours, ~10% are still
    unanswered (the sweep flags those). The showcase order gets `showcase_children`."""
    showcase = _showcase_case(ctx)
    k = ctx.volume.showcase_children
    return ctx.sql(
        f"""
        WITH o AS (
            SELECT id, agency_id, created_by_id, granted_on, case_id = %s AS showcase,
                   {H.format("id::text || ':breach'")} AS h
            FROM orders_order WHERE granted_on IS NOT NULL
        ), b AS (
            SELECT o.*, j, (h + j) %% 10 <> 3 AS answered,
                   GREATEST(o.granted_on::timestamptz + interval '1 day',
                            LEAST(now() - interval '6 hours' - j * interval '1 day',
                                  o.granted_on::timestamptz + (h %% 300 + 1) * interval '1 day' + interval '14 hours')) AS t
            FROM o CROSS JOIN generate_series(0, %s) AS j
            WHERE (o.showcase AND j < %s) OR (NOT o.showcase AND j = 0 AND o.h %% 4 = 0)
        )
        INSERT INTO orders_breach (occurred_at, description, status, police_response, reported_at, first_response_at,
                                   response_overdue_flagged_at, updated_at, reported_by_id, reporting_agency_id,
                                   order_id)
        SELECT t - interval '3 hours', 'Contacted the victim through a friend, contrary to the order.',
               CASE WHEN answered THEN (ARRAY['investigating', 'charged', 'no_further_action'])[1 + h %% 3]
                    ELSE 'reported' END,
               CASE WHEN answered THEN 'Officer attended; suspect arrested and interviewed.' ELSE '' END,
               t, CASE WHEN answered THEN t + interval '5 hours' END, NULL, now(), created_by_id, agency_id, id
        FROM b
        """,
        [showcase, k - 1, k],
    )


def seed_support_plans(ctx: SeedContext) -> int:
    """A support plan, kept by an advocacy agency on the case, for about a quarter of
    the open cases (and the showcase case); reviews fall from a month ago to four
    months ahead, so some are due; a tenth are closed."""
    showcase = _showcase_case(ctx)
    return ctx.sql(
        f"""
        WITH adv AS (
            SELECT DISTINCT ON (g.content_object_id) g.content_object_id AS case_id, s.agency_id
            FROM cases_casegroupobjectpermission g
            JOIN bench_agency_share s ON s.group_id = g.group_id
            JOIN agencies_agency a ON a.id = s.agency_id AND a.kind = 'advocacy'
            ORDER BY g.content_object_id, hashtext(g.id::text)
        ), author AS (
            SELECT agency_id, MIN(user_id) AS user_id FROM agencies_membership WHERE role = 'practitioner'
            GROUP BY agency_id
        )
        INSERT INTO support_supportplan (needs, safety_measures, goals, next_review, status, created_at, updated_at,
                                         agency_id, case_id, created_by_id)
        SELECT '["Safe housing", "Legal advice", "Emotional support"]'::jsonb,
               '["Panic alarm fitted", "Sanctuary scheme referral"]'::jsonb,
               'Feel safe at home and at work; understand the court process.',
               current_date + ({H.format("adv.case_id::text || ':review'")} %% 120) - 30,
               CASE WHEN {H.format("adv.case_id::text || ':plan'")} %% 40 = 1 THEN 'closed' ELSE 'active' END,
               c.created_at, c.created_at, adv.agency_id, adv.case_id, au.user_id
        FROM adv JOIN cases_case c ON c.id = adv.case_id JOIN author au ON au.agency_id = adv.agency_id
        WHERE c.id = %s OR (c.status = 'open' AND {H.format("adv.case_id::text || ':plan'")} %% 4 = 1)
        """,
        [showcase],
    )


def seed_notifications(ctx: SeedContext) -> int:
    """Notifications as they occur: the real daily sweep, run for yesterday, raises every
    reminder due by then (overdue actions, orders' notification deadlines and
    expiries, unanswered breaches, plan reviews) and expires the orders past their
    last day. Today's sweep (the sweep_seconds_100k figure) then finds the world as
    yesterday's run left it."""
    from django.utils import timezone

    from marac.notifications.sweep import run_daily_sweep

    counts = run_daily_sweep(timezone.localdate() - timedelta(days=1))
    ctx.timings["notifications_by_step"] = counts  # type: ignore[assignment]
    return ctx.scalar("SELECT count(*) FROM notifications_notification")


for _name, _fn in (("meetings", seed_meetings), ("actions", seed_actions), ("orders", seed_orders),
                   ("requirements", seed_requirements), ("breaches", seed_breaches),
                   ("support_plans", seed_support_plans), ("notifications", seed_notifications)):
    register_seed_step(_name, _fn)
