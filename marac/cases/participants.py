"""Which agencies are on a case. The guardian grant `view_case` held by an agency's
group *is* the fact "agency X is on case Y"; nothing else stores it. Granting and
revoking are explicit calls, never signals, so every change of slice is visible here."""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.expressions import RawSQL
from guardian.shortcuts import assign_perm, remove_perm

from marac.agencies.models import Agency

from .models import Case, CaseGroupObjectPermission, GroupGrantCount

PARTICIPANT_PERMISSION = "view_case"


def add_participant(case: Case, agency: Agency) -> bool:
    """Grant the agency its slice of the case. Returns False if it already had it."""
    if is_participant(case, agency):
        return False
    assign_perm(PARTICIPANT_PERMISSION, agency.group, case)
    return True


def remove_participant(case: Case, agency: Agency) -> bool:
    """Revoke the agency's slice of the case. Returns False if it had none."""
    if not is_participant(case, agency):
        return False
    remove_perm(PARTICIPANT_PERMISSION, agency.group, case)
    return True


def participant_permission_id() -> RawSQL:
    """The id of `cases.view_case`, as a scalar subquery (one InitPlan per statement).

    Comparing `permission_id` with it, rather than joining auth_permission on the
    codename, lets PostgreSQL estimate the grant rows of a group correctly (a join on
    the codename looked like 1/92 of them), so a large agency's first page walks the
    case index and probes the grant index 50 times instead of reading every grant
    of the agency and sorting (26 ms -> 0.5 ms on 10,000 cases). Written as SQL so
    that building it costs nothing per request; never cached in Python (the id
    changes when a test database is flushed)."""
    content_type, permission = ContentType._meta.db_table, Permission._meta.db_table
    return RawSQL(
        f'SELECT p."id" FROM "{permission}" p INNER JOIN "{content_type}" t ON p."content_type_id" = t."id" '
        "WHERE p.\"codename\" = %s AND t.\"app_label\" = %s AND t.\"model\" = %s",
        (PARTICIPANT_PERMISSION, Case._meta.app_label, Case._meta.model_name),
    )


def participant_grants() -> QuerySet[CaseGroupObjectPermission]:
    return CaseGroupObjectPermission.objects.filter(permission_id=participant_permission_id())


def is_participant(case: Case, agency: Agency) -> bool:
    return participant_grants().filter(content_object=case, group_id=agency.group_id).exists()


def agency_is_on_case(case: str = "case", agency: str = "agency") -> Exists:
    """A condition for a set-based query over rows naming a case and an agency (e.g.
    `Action.objects.filter(agency_is_on_case("case", "owner_agency"))`): that agency is
    a participant of that case now. One correlated EXISTS probing the grant index, so
    the daily sweep never notifies an agency about a case it was removed from."""
    return Exists(participant_grants().filter(content_object_id=OuterRef(f"{case}_id"),
                                              group_id=OuterRef(f"{agency}__group_id")))


def participant_agencies(case: Case) -> QuerySet[Agency]:
    return Agency.objects.filter(group_id__in=participant_grants().filter(content_object=case).values("group_id"))


def case_ids_for_group(group_id: int) -> QuerySet:
    """The ids of the cases an agency's group is on, as a subquery (never evaluated
    in Python): lists filter with one `id__in` over the direct-FK grant table."""
    ids = participant_grants().filter(group_id=group_id).values("content_object_id")
    # Each value is a distinct existing case id (unique (group, permission, case) and a
    # non-null foreign key), so "cases whose id is IN this" has exactly as many rows as
    # this subquery: api.pagination counts the grants instead of joining the cases.
    ids.query.values_are_distinct_existing_pks = True
    # And that number is kept by the database (GroupGrantCount): api.pagination reads
    # it, as long as nothing was added to the subquery (no further condition or limit).
    ids.query.exact_count = ExactCount(group_id, _conditions(ids.query.where))
    return ids


def _conditions(where) -> int:
    """The number of leaf conditions in a WHERE (a `.filter()` or `.exclude()` adds one)."""
    children = getattr(where, "children", None)
    if children is None:
        return 1
    return sum(_conditions(child) for child in children)


class ExactCount:
    """How many rows `case_ids_for_group(group_id)` has, read from GroupGrantCount (one
    row) where the database keeps it; `None` elsewhere (count the grants instead).

    `read` keeps the last number read (None before): the page's statement, compiled
    after its count, chooses its form by it without asking again (permissions.scopes)."""

    def __init__(self, group_id: int, conditions: int):
        self.group_id, self.conditions = group_id, conditions
        self.read: int | None = None

    def applies_to(self, query) -> bool:
        """Still the subquery it was made for: the same conditions, not sliced or distinct."""
        return (_conditions(query.where) == self.conditions and not query.is_sliced and not query.distinct
                and not query.combinator)

    def __call__(self, using: str) -> int | None:
        self.read = participant_count(self.group_id, using)
        return self.read


def participant_count(group_id: int, using: str = "default") -> int | None:
    """The number of cases the group is on, from GroupGrantCount (PostgreSQL keeps it
    by trigger, exactly and transactionally); None on other databases."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    permission_sql, permission_params = participant_permission_id().as_sql(None, connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE((SELECT n FROM {GroupGrantCount._meta.db_table} "
                       f"WHERE group_id = %s AND permission_id = ({permission_sql})), 0)",
                       [group_id, *permission_params])
        return cursor.fetchone()[0]


def attach_participant_ids(cases) -> None:
    """Set `case.participant_ids` (sorted agency ids) on each case, in one query of
    plain tuples for the whole page (no model instance per grant).

    Written as SQL because every case list runs it: the ORM spent longer building and
    compiling it than PostgreSQL spent answering it. The page's ids go as one array
    (`= ANY(%s)`), so the statement's text is the same for every page and PostgreSQL
    prepares it once per connection."""
    by_case: dict[int, list[int]] = {case.pk: [] for case in cases}
    if by_case:
        connection = connections[CaseGroupObjectPermission.objects.db]
        permission_sql, permission_params = participant_permission_id().as_sql(None, connection)
        ids = list(by_case)
        if connection.vendor == "postgresql":
            in_ids, id_params = "= ANY(%s)", [ids]
        else:
            in_ids, id_params = f"IN ({', '.join(['%s'] * len(ids))})", ids
        grants, agencies = CaseGroupObjectPermission._meta.db_table, Agency._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT g.content_object_id, a.id FROM {grants} g JOIN {agencies} a ON a.group_id = g.group_id "
                f"WHERE g.permission_id = ({permission_sql}) AND g.content_object_id {in_ids}",
                [*permission_params, *id_params])
            for case_id, agency_id in cursor.fetchall():
                by_case[case_id].append(agency_id)
    for case in cases:
        case.participant_ids = sorted(by_case[case.pk])
