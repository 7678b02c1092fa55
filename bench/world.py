"""Who the benchmark asks as: picked from the seeded data, never hard-coded ids."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from .seed import BENCH_TOKEN_SQL

# The raw token of user `u`, and the join that keeps only users holding it (bench.seed's
# api_tokens step stores only its knox digest).
_TOKEN = BENCH_TOKEN_SQL.format(id="u.id")
_HAS_TOKEN = (f"JOIN knox_authtoken t ON t.user_id = u.id "
              f"AND t.digest = encode(sha512(convert_to({_TOKEN}, 'UTF8')), 'hex')")


@dataclass(frozen=True)
class Caller:
    label: str
    user_id: int
    username: str
    token: str
    agency_id: int | None = None
    agency_name: str = ""
    agency_cases: int = 0


def _caller(label: str, sql: str, params=()) -> Caller | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        row = cursor.fetchone()
    if row is None:
        return None
    return Caller(label, *row)


_MEMBER_SQL = f"""
    SELECT u.id, u.username, {_TOKEN}, a.id, a.name, COALESCE(g.n, 0)
    FROM auth_user u {_HAS_TOKEN}
    JOIN agencies_membership m ON m.user_id = u.id JOIN agencies_agency a ON a.id = m.agency_id
    LEFT JOIN (SELECT group_id, count(*) AS n FROM cases_casegroupobjectpermission GROUP BY group_id) g
           ON g.group_id = a.group_id
    WHERE m.role = %s AND u.is_active {{where}}
    ORDER BY {{order}}, u.id LIMIT 1
"""


def biggest_agency_practitioner() -> Caller:
    """A practitioner of the agency on the most cases: the worst case for the slice."""
    return _caller("biggest agency", _MEMBER_SQL.format(where="", order="COALESCE(g.n, 0) DESC"), ["practitioner"])


def small_agency_practitioner(min_cases: int = 100) -> Caller:
    """A practitioner of the agency on the fewest cases (still enough for a full page)."""
    return _caller("small agency", _MEMBER_SQL.format(where="AND COALESCE(g.n, 0) >= %s", order="g.n ASC"),
                   ["practitioner", min_cases])


def one_marac_coordinator() -> Caller:
    """A coordinator serving exactly one MARAC (Membership.maracs): reaches that MARAC's
    cases by the `marac` scope condition, holds no case grant. `agency_cases`: its
    MARAC's cases."""
    return _caller("one-MARAC coordinator", f"""
        SELECT u.id, u.username, {_TOKEN}, a.id, a.name,
               (SELECT count(*) FROM cases_case c WHERE c.marac_id = min(mm.marac_id))
        FROM auth_user u {_HAS_TOKEN}
        JOIN agencies_membership m ON m.user_id = u.id JOIN agencies_agency a ON a.id = m.agency_id
        JOIN agencies_membership_maracs mm ON mm.membership_id = m.id
        WHERE m.role = 'coordinator' AND u.is_active
        GROUP BY u.id, u.username, a.id, a.name HAVING count(*) = 1
        ORDER BY u.id LIMIT 1""")


def member_with_role(role: str) -> Caller | None:
    return _caller(role, _MEMBER_SQL.format(where="", order="COALESCE(g.n, 0) DESC"), [role])


def member_of_kind(kind: str, role: str) -> Caller | None:
    """A ROLE of the agency of KIND on the most cases (e.g. an advocacy practitioner:
    the only callers who see support plans)."""
    return _caller(f"{kind} {role}", _MEMBER_SQL.format(where="AND a.kind = %s", order="COALESCE(g.n, 0) DESC"),
                   [role, kind])


def platform_admin() -> Caller | None:
    return _caller("platform admin", f"""
        SELECT u.id, u.username, {_TOKEN}, NULL, '', 0 FROM auth_user u {_HAS_TOKEN}
        WHERE u.is_superuser AND u.is_active ORDER BY u.id LIMIT 1""")


def practitioner_tokens(agency_id: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"""SELECT {_TOKEN} FROM auth_user u {_HAS_TOKEN}
                           JOIN agencies_membership m ON m.user_id = u.id
                           WHERE m.agency_id = %s AND m.role = 'practitioner' ORDER BY u.id""", [agency_id])
        return [row[0] for row in cursor.fetchall()]


def candidates() -> list[Caller]:
    """Callers tried for each list endpoint; the first that sees a full page is used."""
    found = [member_with_role("coordinator"), member_with_role("chair"), biggest_agency_practitioner(),
             member_with_role("manager"), member_of_kind("advocacy", "practitioner"), platform_admin()]
    return [c for c in found if c is not None]
