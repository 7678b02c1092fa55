"""Seeding the benchmark database at realistic volume, set-based.

Every step is one or a few `INSERT ... SELECT generate_series(...)` statements run in
the database (no rows travel through Python), so the default volume seeds in well
under the brief's few minutes on two cores. Which agencies are on which case is chosen
by a deterministic hash, so two runs at the same volume seed the same world.

Steps are a list: `register_seed_step(name, fn)` appends one (e.g. meetings/actions
and orders when those areas land). A marker table records which steps ran at which
volume; a rerun at the same volume skips the finished steps and runs only new ones.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

MARKER_TABLE = "bench_seed_step"
BENCH_PASSWORD = "bench-passphrase-not-secret-42"


@dataclass(frozen=True)
class Volume:
    """How much to seed. `--quick` divides the row volumes by 10 (agencies stay 30)."""

    cases: int = 100_000
    agencies: int = 30
    users: int = 1_000
    grants_per_case: float = 10.0  # ~1,000,000 grants at the default volume
    max_research_agencies: int = 8
    showcase_children: int = 60  # rows under one case, so nested lists can show 50
    actions_per_case: int = 2  # 200,000 actions at the default volume
    orders: int = 5_000  # Stalking Protection Orders (with requirements, some breaches)

    @property
    def key(self) -> str:
        return f"cases={self.cases};agencies={self.agencies};users={self.users};grants={self.grants_per_case}"

    @classmethod
    def for_run(cls, quick: bool) -> "Volume":
        return cls(cases=10_000, users=100, orders=500) if quick else cls()

    @classmethod
    def for_scale(cls, cases: int) -> "Volume":
        """`--scale N`: N cases, ~10N grants; users and orders grow with the cases up to
        the default volume's 1,000 users (orders: one case in twenty)."""
        return cls(cases=cases, users=max(100, min(1_000, cases // 100)), orders=max(50, cases // 20))


# (name, kind, share of cases the agency is on). One large police force is on almost
# every case (the worst case for the slice); several small agencies are on a few.
AGENCIES: list[tuple[str, str, float]] = [
    ("Northshire Police", "police", 0.97),
    ("Southshire Police", "police", 0.04),
    ("British Transport Police", "police", 0.02),
    ("Northshire IDVA Service", "advocacy", 0.92),
    ("Stalking Advocacy Service", "advocacy", 0.35),
    ("Young People's IDVA", "advocacy", 0.12),
    ("Northshire Homes", "housing", 0.60),
    ("Riverside Housing Association", "housing", 0.30),
    ("Homelessness Prevention Team", "housing", 0.15),
    ("GP and ICB Safeguarding", "health", 0.70),
    ("Acute Hospital Trust", "health", 0.50),
    ("Mental Health Trust", "health", 0.40),
    ("Maternity Services", "health", 0.10),
    ("Children's Social Care", "childrens_services", 0.75),
    ("Early Help", "childrens_services", 0.25),
    ("Adult Social Care", "adult_social_care", 0.35),
    ("Probation Service", "probation", 0.45),
    ("Youth Justice Service", "probation", 0.06),
    ("Schools Safeguarding", "education", 0.40),
    ("Further Education College", "education", 0.03),
    ("Drug and Alcohol Service", "substance_misuse", 0.30),
    ("Perpetrator Programme", "intervention_provider", 0.20),
    ("Sanctuary Scheme", "intervention_provider", 0.08),
    ("MARAC Coordination Unit", "marac_coordination", 0.00),
    ("Fire and Rescue Service", "other", 0.05),
    ("Victim Support", "other", 0.30),
    ("Refuge Provider", "other", 0.18),
    ("Job Centre Plus", "other", 0.02),
    ("Immigration Advice Service", "other", 0.02),
    ("Veterans' Welfare", "other", 0.01),
]


@dataclass
class SeedContext:
    volume: Volume
    timings: dict[str, float] = field(default_factory=dict)

    def sql(self, statement: str, params=None) -> int:
        with connection.cursor() as cursor:
            cursor.execute(statement, params or [])
            return cursor.rowcount

    def scalar(self, statement: str, params=None):
        with connection.cursor() as cursor:
            cursor.execute(statement, params or [])
            row = cursor.fetchone()
            return row[0] if row else None

    def reset_sequence(self, table: str) -> None:
        self.sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                 f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)")


@dataclass(frozen=True)
class SeedStep:
    name: str
    run: Callable[[SeedContext], object]


SEED_STEPS: list[SeedStep] = []


def register_seed_step(name: str, fn: Callable[[SeedContext], object]) -> None:
    """Append a seeding step (runs after the ones already registered)."""
    if any(step.name == name for step in SEED_STEPS):
        raise ValueError(f"seed step {name!r} is already registered")
    SEED_STEPS.append(SeedStep(name, fn))


def seed_step(name: str):
    def decorator(fn):
        register_seed_step(name, fn)
        return fn

    return decorator


def _permission_id(codename: str, model: str) -> int:
    from django.contrib.auth.models import Permission

    return Permission.objects.get(codename=codename, content_type__app_label="cases",
                                  content_type__model=model).pk


# --- the steps -------------------------------------------------------------------

@seed_step("agencies")
def seed_agencies(ctx: SeedContext) -> int:
    from marac.agencies.services import create_agency

    for name, kind, _share in AGENCIES[: ctx.volume.agencies]:
        create_agency(name=name, kind=kind)
    ctx.sql("CREATE TABLE IF NOT EXISTS bench_agency_share (agency_id bigint PRIMARY KEY, group_id int, share float)")
    ctx.sql("TRUNCATE bench_agency_share")
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO bench_agency_share SELECT id, group_id, %s FROM agencies_agency WHERE name = %s",
            [(share, name) for name, _kind, share in AGENCIES[: ctx.volume.agencies]],
        )
    return ctx.volume.agencies


@seed_step("users")
def seed_users(ctx: SeedContext) -> int:
    """Users spread over the agencies (bigger agencies get more), one membership each,
    in their agency's group (API tokens: the next step). Every 10th is a manager; the
    coordination unit has coordinators and the chairs."""
    password = make_password(BENCH_PASSWORD)
    n = ctx.volume.users
    ctx.sql(
        """
        INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, email, is_staff,
                               is_active, date_joined)
        SELECT i, %s, false, 'bench-' || i, '', '', '', false, true, now()
        FROM generate_series(1, %s) AS i
        """,
        [password, n],
    )
    # Assignment: user i -> agency (i mod #agencies), so each agency has ~users/30 users.
    ctx.sql(
        """
        WITH a AS (SELECT agency_id, s.group_id, kind, row_number() OVER (ORDER BY agency_id) - 1 AS idx,
                          count(*) OVER () AS n
                   FROM bench_agency_share s JOIN agencies_agency ag ON ag.id = agency_id)
        INSERT INTO agencies_membership (user_id, agency_id, role)
        SELECT u.id, a.agency_id,
               CASE WHEN a.kind = 'marac_coordination' THEN (CASE WHEN u.id %% 3 = 0 THEN 'chair' ELSE 'coordinator' END)
                    WHEN u.id %% 10 = 0 THEN 'manager' ELSE 'practitioner' END
        FROM auth_user u JOIN a ON a.idx = u.id %% a.n
        WHERE u.username LIKE 'bench-%%'
        """
    )
    ctx.sql(
        """
        INSERT INTO auth_user_groups (user_id, group_id)
        SELECT m.user_id, ag.group_id FROM agencies_membership m JOIN agencies_agency ag ON ag.id = m.agency_id
        """
    )
    # One platform administrator (no agency): lists agencies and users.
    ctx.sql(
        """
        INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, email, is_staff,
                               is_active, date_joined)
        VALUES (%s, %s, true, 'bench-admin', '', '', '', true, true, now())
        """,
        [n + 1, password],
    )
    ctx.reset_sequence("auth_user")
    ctx.reset_sequence("agencies_membership")
    ctx.reset_sequence("auth_user_groups")
    return n


# A bench user's raw API token, derived from its id so that bench.world can give it
# back (only knox's digest of it is stored). 64 hex characters, as knox issues them.
BENCH_TOKEN_SQL = "md5('bench-token-a-' || {id}) || md5('bench-token-b-' || {id})"


@seed_step("api_tokens")
def seed_api_tokens(ctx: SeedContext) -> int:
    """One django-rest-knox token per bench user, stored as knox stores it: the SHA-512
    digest of the token (knox.crypto.hash_token) and its first 15 characters; no
    expiry, so a reused benchmark database keeps working."""
    token = BENCH_TOKEN_SQL.format(id="u.id")
    return ctx.sql(
        f"""
        INSERT INTO knox_authtoken (digest, token_key, user_id, created, expiry)
        SELECT encode(sha512(convert_to({token}, 'UTF8')), 'hex'), substr({token}, 1, 15), u.id, now(), NULL
        FROM auth_user u WHERE u.username LIKE 'bench-%%'
        ON CONFLICT (digest) DO NOTHING
        """
    )


MARACS = 20  # MARACs seeded; the cases, referrals and meetings are spread over them


def bench_marac_id(ctx: SeedContext) -> int:
    """Seed the MARACs (the first is MARAC_NAME, the others "Bench MARAC 2".."20"; each
    adult female population sized for the SafeLives volume of its share of the cases) and
    return the first one's id. Case i belongs to MARAC `1 + i % MARACS` in id order."""
    from django.conf import settings

    names = [settings.MARAC_NAME] + [f"Bench MARAC {n}" for n in range(2, MARACS + 1)]
    ctx.sql(
        """
        INSERT INTO maracs_marac (name, local_area, confidentiality_statement, adult_female_population, is_active,
                                  created_at)
        SELECT name, 'Bench area ' || ord, '', %s, true, now() FROM unnest(%s::text[]) WITH ORDINALITY AS t(name, ord)
        ON CONFLICT (name) DO NOTHING
        """,
        [ctx.volume.cases * 10_000 // 120 // MARACS, names],  # ~40 a year per 10,000 over ~3 years
    )
    return ctx.scalar("SELECT id FROM maracs_marac WHERE name = %s", [settings.MARAC_NAME])


def bench_marac_ids(ctx: SeedContext) -> list[int]:
    """The seeded MARACs' ids, MARAC_NAME's first: case i belongs to `ids[i % MARACS]`."""
    first = bench_marac_id(ctx)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM maracs_marac WHERE id <> %s ORDER BY id", [first])
        return [first] + [row[0] for row in cursor.fetchall()]


@seed_step("cases")
def seed_cases(ctx: SeedContext) -> int:
    """Victims, perpetrators and cases, one of each per case, created over ~3 years; a
    victim in ten is from a minority ethnic group, one in twenty disabled, one in thirty LGBT+."""
    n = ctx.volume.cases
    maracs = bench_marac_ids(ctx)
    # ~3 years of referrals at every scale: the cases are opened `minutes` apart.
    minutes = 15 * 100_000 / n
    ctx.sql(
        """
        INSERT INTO cases_victim (id, first_name, last_name, date_of_birth, gender, postcode, safe_contact,
                                  do_not_contact_via, do_not_contact_note, ethnicity, minority_ethnic, disability, lgbt,
                                  aliases, name_key)
        SELECT i, 'Victim' || i, 'Surname' || (i %% 5000), DATE '1960-01-01' + (i %% 15000),
               (ARRAY['female','female','female','male','non_binary'])[1 + i %% 5], 'NS' || (i %% 99) || ' 1AA',
               'Mobile after 6pm', '["post", "home_visit"]'::jsonb, '', '', i %% 10 = 0, i %% 20 = 0, i %% 30 = 0,
               '[]'::jsonb, 'victim' || i || 'surname' || (i %% 5000)
        FROM generate_series(1, %s) AS i
        """,
        [n],
    )
    ctx.sql(
        """
        INSERT INTO cases_perpetrator (id, first_name, last_name, date_of_birth, relationship)
        SELECT i, 'Perp' || i, 'Example' || (i %% 3000),
               CASE WHEN i %% 7 = 0 THEN NULL ELSE DATE '1955-01-01' + (i %% 16000) END,
               (ARRAY['partner','ex_partner','ex_partner','family_member','acquaintance'])[1 + i %% 5]
        FROM generate_series(1, %s) AS i
        """,
        [n],
    )
    ctx.sql(
        """
        INSERT INTO cases_case (id, reference, victim_id, perpetrator_id, children_in_household, risk_score,
                                is_repeat, stalking, summary, status, created_at, updated_at, marac_id)
        SELECT i, 'MARAC-' || lpad(i::text, 7, '0'), i, i, i %% 4, 10 + i %% 15, i %% 9 = 0, i %% 3 = 0,
               'Escalating abuse since separation; see research.', CASE WHEN i %% 5 = 0 THEN 'closed' ELSE 'open' END,
               now() - ((%s - i) * %s * interval '1 minute'), now() - ((%s - i) * %s * interval '1 minute'),
               (%s::int[])[1 + i %% %s]
        FROM generate_series(1, %s) AS i
        """,
        [n, minutes, n, minutes, maracs, len(maracs), n],
    )
    for table in ("cases_victim", "cases_perpetrator", "cases_case"):
        ctx.reset_sequence(table)
    return n


@seed_step("marac_members")
def seed_marac_members(ctx: SeedContext) -> int:
    """Which MARACs each coordinator and chair serves (Membership.maracs): the r-th of a
    role (by user id) serves MARAC r % MARACS, and every third also the next one, so
    each serves one or two and every MARAC has coordinators when there are enough."""
    return ctx.sql(
        """
        WITH r AS (SELECT m.id, row_number() OVER (PARTITION BY m.role ORDER BY m.user_id) - 1 AS r
                   FROM agencies_membership m WHERE m.role IN ('coordinator', 'chair'))
        INSERT INTO agencies_membership_maracs (membership_id, marac_id)
        SELECT r.id, (%s::int[])[1 + (r.r + k) %% %s] FROM r CROSS JOIN generate_series(0, 1) AS k
        WHERE k = 0 OR r.r %% 3 = 0
        """,
        [bench_marac_ids(ctx), MARACS],
    )


@seed_step("children")
def seed_children(ctx: SeedContext) -> int:
    """The children each case counts, named: the case list reads a page's children."""
    return ctx.sql(
        """
        INSERT INTO cases_child (case_id, first_name, date_of_birth, age_given, age_given_on, school)
        SELECT c.id, 'Child' || n, CURRENT_DATE - ((c.id * 37 + n * 400) %% 6000)::int, NULL, NULL,
               CASE WHEN n %% 2 = 0 THEN 'Northshire Primary' ELSE '' END
        FROM cases_case c CROSS JOIN LATERAL generate_series(1, c.children_in_household) AS n
        ORDER BY c.id, n
        """,
        [],
    )


@seed_step("grants")
def seed_grants(ctx: SeedContext) -> int:
    """The slice: guardian direct-FK grants `view_case` to each agency's group on the
    cases it is on, ~grants_per_case per case, chosen by a deterministic hash."""
    perm = _permission_id("view_case", "case")
    total_share = ctx.scalar("SELECT SUM(share) FROM bench_agency_share")
    scale = ctx.volume.grants_per_case / total_share if total_share else 0
    count = ctx.sql(
        """
        INSERT INTO cases_casegroupobjectpermission (group_id, permission_id, content_object_id)
        SELECT s.group_id, %s, c.id
        FROM cases_case c CROSS JOIN bench_agency_share s
        WHERE (hashtext(c.id::text || ':' || s.agency_id::text) & 2147483647) %% 100000 < LEAST(s.share * %s, 1.0) * 100000
        ORDER BY c.id, s.group_id
        """,
        [perm, scale],
    )
    return count


@seed_step("guardian_generic_grants")
def seed_generic_grants(ctx: SeedContext) -> int:
    """The same grants in guardian's default generic table (object_pk as text): the
    baseline for guardian_shortcut_ratio, the path paperless-ngx moved away from."""
    from django.contrib.contenttypes.models import ContentType

    from marac.cases.models import Case

    ctype = ContentType.objects.get_for_model(Case).pk
    return ctx.sql(
        """
        INSERT INTO guardian_groupobjectpermission (object_pk, content_type_id, group_id, permission_id)
        SELECT content_object_id::text, %s, group_id, permission_id FROM cases_casegroupobjectpermission
        """,
        [ctype],
    )


@seed_step("referrals")
def seed_referrals(ctx: SeedContext) -> int:
    """One accepted referral per case, from one of the agencies on it."""
    answers = '{' + ", ".join(f'"{q}": "{"yes" if q <= 15 else "no"}"' for q in range(1, 25)) + '}'
    return ctx.sql(
        """
        WITH referrer AS (
            SELECT DISTINCT ON (g.content_object_id) g.content_object_id AS case_id, s.agency_id
            FROM cases_casegroupobjectpermission g JOIN bench_agency_share s ON s.group_id = g.group_id
            ORDER BY g.content_object_id, hashtext(g.id::text)
        ), author AS (SELECT agency_id, MIN(user_id) AS user_id FROM agencies_membership GROUP BY agency_id)
        INSERT INTO referrals_referral (referring_agency_id, referred_by_id, referrer_contact, victim_id,
            perpetrator_id, children_in_household, reason, checklist_tool, checklist_answers, risk_score,
            police_incidents_last_12_months, stalking, summary, victim_aware, victim_consented,
            sharing_justification, is_repeat, case_id, status, decline_reason, triaged_by_id, triaged_at, created_at,
            marac_id)
        SELECT r.agency_id, a.user_id, '', c.victim_id, c.perpetrator_id, c.children_in_household,
               'visible_high_risk', 'dash', %s::jsonb, 15, NULL, c.stalking, c.summary, true, true, '',
               c.is_repeat, c.id, 'accepted', '', NULL, c.created_at, c.created_at - interval '2 days', c.marac_id
        FROM referrer r JOIN cases_case c ON c.id = r.case_id JOIN author a ON a.agency_id = r.agency_id
        """,
        [answers],
    )


@seed_step("research")
def seed_research(ctx: SeedContext) -> int:
    """Research from up to 8 of the agencies on each case (0..8, hash-chosen)."""
    cap = ctx.volume.max_research_agencies
    return ctx.sql(
        """
        WITH ranked AS (
            SELECT g.content_object_id AS case_id, s.agency_id,
                   row_number() OVER (PARTITION BY g.content_object_id ORDER BY hashtext(g.id::text)) AS rn
            FROM cases_casegroupobjectpermission g JOIN bench_agency_share s ON s.group_id = g.group_id
        ), author AS (SELECT agency_id, MIN(user_id) AS user_id FROM agencies_membership GROUP BY agency_id)
        INSERT INTO cases_researchcontribution (case_id, agency_id, author_id, summary, shared_with_marac,
                                                withheld_note, created_at, updated_at)
        SELECT r.case_id, r.agency_id, a.user_id, 'Known to this agency: contact history and risks.',
               (hashtext(r.case_id::text || 'share' || r.agency_id::text) & 1) = 0, '', now(), now()
        FROM ranked r JOIN author a ON a.agency_id = r.agency_id
        WHERE r.rn <= (hashtext(r.case_id::text || 'n') & 2147483647) %% (%s + 1)
        """,
        [cap],
    )


@seed_step("showcase_case")
def seed_showcase(ctx: SeedContext) -> int:
    """One case (the newest) with every agency on it and `showcase_children` research
    rows and incidents, so nested lists can be measured at 2 and at 50 rows."""
    case_id = ctx.scalar("SELECT id FROM cases_case ORDER BY created_at DESC, id DESC LIMIT 1")
    perm = _permission_id("view_case", "case")
    ctx.sql(
        """
        INSERT INTO cases_casegroupobjectpermission (group_id, permission_id, content_object_id)
        SELECT group_id, %s, %s FROM bench_agency_share ON CONFLICT DO NOTHING
        """,
        [perm, case_id],
    )
    from django.contrib.contenttypes.models import ContentType

    from marac.cases.models import Case

    ctx.sql(
        """
        INSERT INTO guardian_groupobjectpermission (object_pk, content_type_id, group_id, permission_id)
        SELECT %s::text, %s, group_id, %s FROM bench_agency_share ON CONFLICT DO NOTHING
        """,
        [case_id, ContentType.objects.get_for_model(Case).pk, perm],
    )
    k = ctx.volume.showcase_children
    common = """
        WITH a AS (SELECT s.agency_id, MIN(m.user_id) AS user_id, row_number() OVER (ORDER BY s.agency_id) AS idx
                   FROM bench_agency_share s JOIN agencies_membership m ON m.agency_id = s.agency_id
                   WHERE s.agency_id IN (SELECT id FROM agencies_agency WHERE kind IN ('police', 'advocacy'))
                   GROUP BY s.agency_id)
    """
    ctx.sql(
        common + """
        INSERT INTO cases_researchcontribution (case_id, agency_id, author_id, summary, shared_with_marac,
                                                withheld_note, created_at, updated_at)
        SELECT %s, a.agency_id, a.user_id, 'Showcase research ' || i, true, '', now(), now()
        FROM generate_series(1, %s) AS i JOIN a ON a.idx = 1 + i %% (SELECT count(*) FROM a)
        """,
        [case_id, k],
    )
    ctx.sql(
        common + """
        INSERT INTO cases_incident (case_id, occurred_at, behaviour, description, witnesses, evidence, agency_id,
                                    recorded_by_id, created_at)
        SELECT %s, now() - i * interval '1 day', 'loitering', 'Waiting outside the house.', '', '', a.agency_id,
               a.user_id, now()
        FROM generate_series(1, %s) AS i JOIN a ON a.idx = 1 + i %% (SELECT count(*) FROM a)
        """,
        [case_id, k],
    )
    return k


# The areas merged later (meetings, actions, orders, support plans, notifications):
# registered here so that they run after the platform's steps above.
from . import seed_areas  # noqa: E402,F401

# --- the runner ------------------------------------------------------------------

class NotABenchDatabase(RuntimeError):
    pass


def _marker_rows() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (name text PRIMARY KEY, volume text NOT NULL, "
                       "seconds float NOT NULL, rows bigint, finished_at timestamptz NOT NULL DEFAULT now())")
        cursor.execute(f"SELECT name, volume FROM {MARKER_TABLE}")
        return dict(cursor.fetchall())


def _wipe() -> None:
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {MARKER_TABLE}")


# What the case-list ratios read (`--scale N` seeds only these; a full run at the same
# volume later adds the other steps without reseeding them).
CASE_LIST_STEPS = ("agencies", "users", "api_tokens", "cases", "marac_members", "children", "grants",
                   "guardian_generic_grants")


def seed(volume: Volume, *, reseed: bool = False, log=print, only: tuple[str, ...] | None = None) -> dict[str, float]:
    """Run the steps not yet done at this volume (`only`: of those named). Returns
    {step: seconds} for those run."""
    from marac.cases.models import Case

    done = _marker_rows()
    if not done and Case.objects.exists():
        raise NotABenchDatabase(
            "This database has cases but no benchmark marker: it is not a benchmark database. "
            "Point DATABASE_URL at an empty database made for the benchmark (e.g. createdb marac_bench).")
    if reseed or any(v != volume.key for v in done.values()):
        log(f"seed: wiping the database (was {set(done.values()) or 'empty'}, want {volume.key})")
        _wipe()
        done = {}
    ran: dict[str, float] = {}
    ctx = SeedContext(volume)
    for step in SEED_STEPS:
        if step.name in done or (only is not None and step.name not in only):
            continue
        started = time.perf_counter()
        with transaction.atomic():
            rows = step.run(ctx)
            seconds = time.perf_counter() - started
            ctx.sql(f"INSERT INTO {MARKER_TABLE} (name, volume, seconds, rows) VALUES (%s, %s, %s, %s)",
                    [step.name, volume.key, seconds, rows if isinstance(rows, int) else None])
        ran[step.name] = seconds
        log(f"seed: {step.name}: {rows} rows in {seconds:.1f}s")
    if ran:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        ran["vacuum_analyze"] = time.perf_counter() - started
        log(f"seed: VACUUM ANALYZE in {ran['vacuum_analyze']:.1f}s")
    else:
        log(f"seed: reusing the seeded database ({volume.key})")
    return ran
