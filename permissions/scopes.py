"""The scope conditions of the policy, as database filters, and the functions that
apply an object's rows (permissions/policy.py) to a caller.

Every condition becomes a Q over the object's own table, through the one path of the
object it reads; "participant" is one
`IN (SELECT content_object_id FROM <case grant table> WHERE group_id = ...)` subquery
over guardian's direct-FK grant table, so a list is filtered in the database in one
statement and a single object is checked with one indexed EXISTS.

Adding a condition is one function here (`@condition("name")`, reading the caller and
one field of `Paths`) and that path on the objects it applies to.

The objects of ONE case (the case page's research, incidents, actions...) and one
object's check are read with the case-level subqueries narrowed to that case
(`case_id`): ORed grants keep PostgreSQL from turning `IN (subquery)` into a
semi-join, and it then hashes every case the agency is on (bench/PROFILE.md, issue 13)
to answer for one. Narrowed, the subquery is one probe of the grant index; the rows
are the same, because every object asked about is of that case.
"""

from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache, reduce
from operator import and_, or_

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, Model, Q, QuerySet, Value
from django.db.models.lookups import In

import marac.lookups  # noqa: F401  (registers `in_array`)
from marac.cases.participants import case_ids_for_group, participant_grants
from marac.maracs.services import served_marac_ids
from marac.referrals.models import case_ids_referred_by

from .actor import Actor
from .policy import OBJECTS, Grant, Paths, SliceObject, grants_for, slice_object

# The former name of `Paths` (where the conditions look on one kind of object).
Target = Paths

NOTHING = Q(pk__in=[])

CONDITIONS: dict[str, Callable[[Actor, Paths], Q]] = {}
# The conditions that read the object's case and take `case_id=` (the one case every
# object asked about belongs to) to narrow their subquery to it.
CASE_CONDITIONS: set[str] = set()


def condition(name: str, *, reads_case: bool = False):
    """Declare a scope condition: a function (caller, object paths) -> Q. READS_CASE:
    it also takes `case_id` (None: any case)."""
    def register(fn: Callable[..., Q]):
        CONDITIONS[name] = fn
        if reads_case:
            CASE_CONDITIONS.add(name)
        return fn
    return register


@condition("all")
def _everything(actor: Actor, paths: Paths) -> Q:
    return Q()


# The largest slice (cases an agency is on) whose case list hashes its grants first.
GRANTS_FIRST_UP_TO = 4_000


class ParticipantIn(In):
    """`pk IN (the agency's grants)` for the cases themselves, in the form that suits the
    agency's size. As a semi-join, PostgreSQL walks the case list's index newest first
    and probes the grant index for each case: cheap for an agency on most cases, but
    thousands of probes to find the newest 50 of an agency on few. Written
    `(... IN (...)) IS TRUE`, the condition is not pulled up into a join: the grants are
    read once into a hash (a "hashed SubPlan") that the same walk probes in memory, at
    the price of hashing every grant; so only for a slice of at most GRANTS_FIRST_UP_TO
    cases (where the two forms cross: bench/PROFILE.md).
    The size is the one the page's paginator has just read (`ExactCount.read`, no query
    of its own); without it (SQLite, a filtered list, one object's check): the plain IN."""

    def reads_grants_first(self) -> bool:
        counted = getattr(getattr(self.rhs, "exact_count", None), "read", None)
        return counted is not None and counted <= GRANTS_FIRST_UP_TO

    def as_postgresql(self, compiler, connection):
        sql, params = self.as_sql(compiler, connection)
        return (f"({sql}) IS TRUE", params) if self.reads_grants_first() else (sql, params)


@condition("participant", reads_case=True)
def _participant(actor: Actor, paths: Paths, case_id: int | None = None) -> Q:
    if actor.group_id is None or (paths.case is None and paths.cases_subquery is None):
        return NOTHING
    if paths.case is None:
        return Q(pk__in=paths.cases_subquery(case_ids_for_group(actor.group_id)))
    ids = case_ids_for_group(actor.group_id)
    if case_id is not None:  # one case's page: the grant subquery narrowed to it
        return Q(**{f"{paths.case}__in": ids.filter(content_object_id=case_id)})
    if paths.case == "pk":  # the cases themselves: the case list
        return Q(ParticipantIn(F("pk"), ids.query))
    return Q(**{f"{paths.case}__in": ids})


@condition("own_agency")
def _own_agency(actor: Actor, paths: Paths) -> Q:
    if paths.agency is None or actor.agency_id is None:
        return NOTHING
    return Q(**{paths.agency: actor.agency_id})


@condition("shared")
def _shared(actor: Actor, paths: Paths) -> Q:
    return NOTHING if paths.shared is None else Q(**{paths.shared: True})


@condition("chairing")
def _chairing(actor: Actor, paths: Paths) -> Q:
    if paths.chair is None or actor.user_id is None:
        return NOTHING
    return Q(**{paths.chair: actor.user_id})


@condition("referrer", reads_case=True)
def _referrer(actor: Actor, paths: Paths, case_id: int | None = None) -> Q:
    # One subquery: the cases the caller's agency referred (accepted referrals).
    if paths.case is None or actor.agency_id is None:
        return NOTHING
    ids = case_ids_referred_by(actor.agency_id)
    if case_id is not None:
        ids = ids.filter(case_id=case_id)
    return Q(**{f"{paths.case}__in": ids})


@condition("marac")
def _marac(actor: Actor, paths: Paths) -> Q:
    # One subquery: the MARACs the caller's membership serves (coordinators and chairs).
    if paths.marac is None or actor.membership_id is None:
        return NOTHING
    return Q(**{f"{paths.marac}__in": served_marac_ids(actor.membership_id)})


@condition("sits_on")
def _sits_on(actor: Actor, paths: Paths) -> Q:
    # One subquery: the groups of the agencies on a case of a MARAC the caller serves.
    if paths.agency is None or actor.membership_id is None:
        return NOTHING
    groups = participant_grants().filter(content_object__marac__in=served_marac_ids(actor.membership_id))
    group = "group_id" if paths.agency == "pk" else f"{paths.agency}__group_id"
    return Q(**{f"{group}__in": groups.values("group_id")})


@condition("receiving_marac")
def _receiving_marac(actor: Actor, paths: Paths) -> Q:
    # The same subquery, on the MARAC the object is addressed to (a transfer's).
    if paths.receiving_marac is None or actor.membership_id is None:
        return NOTHING
    return Q(**{f"{paths.receiving_marac}__in": served_marac_ids(actor.membership_id)})


@condition("addressed_to_role")
def _addressed_to_role(actor: Actor, paths: Paths) -> Q:
    if paths.role is None:
        return NOTHING
    return Q(**{paths.role: ""}) | Q(**{paths.role: actor.role or ""})


@condition("sees_safe_contact", reads_case=True)
def _sees_safe_contact(actor: Actor, paths: Paths, case_id: int | None = None) -> Q:
    # The case's view_safe_contact row, read through this object's own paths (its case,
    # its MARAC): no per-object check, the same subqueries as the case's row.
    if paths.safe_contact is None:
        return NOTHING
    on_case = slice_q(actor, "case", "view_safe_contact", target=paths, case_id=case_id)
    if on_case is None:
        return ~paths.safe_contact
    if not on_case:
        return Q()  # an unconditional grant on the case's row
    return ~paths.safe_contact | on_case


class _Paths(Mapping):
    """TARGETS[name]: the paths of every described object, read live."""

    def __getitem__(self, name: str) -> Paths:
        return slice_object(name).paths

    def __iter__(self) -> Iterator[str]:
        return iter(OBJECTS)

    def __len__(self) -> int:
        return len(OBJECTS)


TARGETS: Mapping[str, Paths] = _Paths()


def _condition(name: str, actor: Actor, paths: Paths, case_id: int | None = None) -> Q:
    try:
        fn = CONDITIONS[name]
    except KeyError:
        raise LookupError(f"Unknown scope condition {name!r}") from None
    if case_id is not None and name in CASE_CONDITIONS:
        return fn(actor, paths, case_id=case_id)
    return fn(actor, paths)


def _grant_q(grant: Grant, actor: Actor, paths: Paths, case_id: int | None = None) -> Q:
    return reduce(and_, (_condition(name, actor, paths, case_id) for name in grant.scope), Q())


def _is_unconditional(grant: Grant) -> bool:
    return all(name == "all" for name in grant.scope)


def slice_q(actor: Actor, target_name: "str | SliceObject", action: str, target: Paths | None = None,
            case_id: int | None = None) -> Q | None:
    """The filter for "objects this caller may ACTION"; None when nothing is allowed.
    TARGET: read the row against other paths (a parent's). CASE_ID: only for objects
    of that one case (their case path equals it): its subqueries narrowed to it."""
    obj = slice_object(target_name)
    grants = grants_for(obj, action, actor)
    if not grants:
        return None
    paths = target or obj.paths_for(action)
    if any(_is_unconditional(g) for g in grants):
        return Q()
    return reduce(or_, (_grant_q(g, actor, paths, case_id) for g in grants))


def slice_queryset(actor: Actor, target_name: "str | SliceObject", action: str, queryset: QuerySet) -> QuerySet:
    q = slice_q(actor, target_name, action)
    if q is None:
        return queryset.none()
    return queryset.filter(q) if q else queryset


def slice_queryset_on_case(actor: Actor, target_name: "str | SliceObject", action: str, queryset: QuerySet,
                           case_id: int) -> QuerySet:
    """`slice_queryset` for the objects of one case (filtered to it here), its
    case-level subqueries narrowed to that case: the same rows, one index probe each."""
    case_path = slice_object(target_name).paths.case
    if case_path is None:  # reached through several cases (a meeting): not narrowed
        return slice_queryset(actor, target_name, action, queryset)
    q = slice_q(actor, target_name, action, case_id=case_id)
    if q is None:
        return queryset.none()
    queryset = queryset.filter(**{case_path: case_id})
    return queryset.filter(q) if q else queryset


def _case_id_of(obj: Model, paths: Paths) -> int | None:
    """The id of the one case an object's `case` path names, read off the object
    itself (the Case, or a foreign key to it); None when it is further away."""
    if paths.case == "pk":
        return obj.pk
    if paths.case is None or "__" in paths.case:
        return None
    return getattr(obj, type(obj)._meta.get_field(paths.case).attname, None)


def _exists(obj: Model, actor: Actor, target_name: "str | SliceObject", action: str,
            paths: Paths | None = None) -> bool:
    """One EXISTS for this object, its case-level subqueries narrowed to its case (the
    EXISTS also requires that case, so the answer cannot differ from the plain one)."""
    paths = paths or slice_object(target_name).paths
    case_id = _case_id_of(obj, paths)
    q = slice_q(actor, target_name, action, target=paths, case_id=case_id)
    if q is None:
        return False
    if not q:
        return True
    row = type(obj)._default_manager.filter(pk=obj.pk)
    if case_id is not None and paths.case != "pk":
        row = row.filter(**{paths.case: case_id})
    return row.filter(q).exists()


def allowed(actor: Actor, target_name: "str | SliceObject", action: str, obj: Model) -> bool:
    """May the caller ACTION this object? One EXISTS at most."""
    return _exists(obj, actor, target_name, action)


def allowed_on_parent(actor: Actor, target_name: "str | SliceObject", action: str, parent: Model,
                      parent_target: "str | SliceObject | None" = None) -> bool:
    """May the caller ACTION a new TARGET under PARENT (e.g. add research to a case)?
    The row's scope conditions are read against the parent's paths (the object's
    described parent unless PARENT_TARGET names another)."""
    if parent_target is None:
        parent_target = slice_object(target_name).parent.object
    return _exists(parent, actor, target_name, action, slice_object(parent_target).paths)


def _parent_branches(actor: Actor, rows, parent: Model, first_branch: int = 0):
    """For `allowed_on_parent_by_row`: the rows allowed whatever the parent, and one
    `(pk, branch)` semi-join on the parent's row per conditional grant, numbered from
    FIRST_BRANCH, with the (target, action) each branch answers for."""
    permitted: set[tuple[str, str]] = set()
    branches: list[QuerySet] = []
    owners: list[tuple[str, str]] = []
    row_of_parent = type(parent)._default_manager.filter(pk=parent.pk).order_by()
    for target_name, action in rows:
        obj = slice_object(target_name)
        grants = grants_for(obj, action, actor)
        if any(_is_unconditional(g) for g in grants):
            permitted.add((target_name, action))
            continue
        paths = slice_object(obj.parent.object).paths
        case_id = _case_id_of(parent, paths)
        for grant in grants:
            branches.append(row_of_parent.filter(_grant_q(grant, actor, paths, case_id))
                            .annotate(branch=Value(first_branch + len(owners))).values_list("pk", "branch"))
            owners.append((target_name, action))
    return permitted, branches, owners


def _union_rows(branches: list[QuerySet]) -> list[tuple]:
    if not branches:
        return []
    union = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    try:
        return list(union)
    except EmptyResultSet:  # every branch is a condition nothing meets
        return []


def allowed_on_parent_by_row(actor: Actor, rows, parent: Model) -> set[tuple[str, str]]:
    """Of ROWS ((target, action) pairs, each target's described parent being PARENT's
    kind), those the caller may do under PARENT: `allowed_on_parent` for each, in ONE
    query (a UNION ALL with one branch per conditional grant, each an EXISTS-like
    semi-join on the parent's row, tagged with its branch number) rather than one each
    (the case page's "add research", "record an order", "start a support plan"...)."""
    permitted, branches, owners = _parent_branches(actor, rows, parent)
    permitted.update(owners[index] for _, index in _union_rows(branches))
    return permitted


def _on_and_under_plan(actor: Actor, target_name: str, actions: tuple, obj: Model, rows: tuple):
    """What `allowed_on_and_under` asks: the actions and rows allowed whatever the
    object, and one `(pk, branch)` query per conditional grant with what each answers
    for (`("own", action)` or `("row", (target, action))`)."""
    target = slice_object(target_name)
    unconditional: set[str] = set()
    own: list[tuple[str, Grant]] = []
    for action in actions:
        grants = grants_for(target, action, actor)
        if any(_is_unconditional(g) for g in grants):
            unconditional.add(action)
        else:
            own += [(action, grant) for grant in grants]
    row = type(obj)._default_manager.filter(pk=obj.pk).order_by()
    branches = [row.filter(_grant_q(grant, actor, target.paths_for(action))).annotate(branch=Value(index))
                .values_list("pk", "branch") for index, (action, grant) in enumerate(own)]
    permitted, parent_branches, owners = _parent_branches(actor, rows, obj, first_branch=len(own))
    answers = [("own", action) for action, _ in own] + [("row", owner) for owner in owners]
    return unconditional, permitted, branches + parent_branches, answers


_STAND_IN_PK = -2_147_483_647


@lru_cache(maxsize=4096)
def _compiled_on_and_under(alias: str, model, target_name: str, actions: tuple, rows: tuple, actor: Actor):
    """`_on_and_under_plan`'s statement for one caller, built by the ORM once per
    process against a stand-in object: the object's id (and the case id its case-level
    subqueries are narrowed to, the same id when the object is the case) is then the
    only parameter that changes. Building it costs far more than running it
    (bench/PROFILE.md, "Issue 13: the web pages' speed")."""
    unconditional, permitted, branches, answers = _on_and_under_plan(
        actor, target_name, actions, model(pk=_STAND_IN_PK), rows)
    sql = params = None
    if branches:
        union = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
        try:
            sql, params = union.query.get_compiler(using=alias).as_sql()
        except EmptyResultSet:  # every branch is a condition nothing meets
            pass
    positions = tuple(i for i, param in enumerate(params or ()) if param == _STAND_IN_PK)
    return frozenset(unconditional), frozenset(permitted), sql, tuple(params or ()), positions, tuple(answers)


def allowed_on_and_under(actor: Actor, target_name: "str | SliceObject", actions, obj: Model,
                         rows) -> tuple[dict[str, set], set[tuple[str, str]]]:
    """`allowed_ids_by_action` of ACTIONS on OBJ and `allowed_on_parent_by_row` of ROWS
    under it, in ONE query (both UNION ALLs in one): a case page's field-level rows and
    its "add ..." buttons in one round trip. The same branches, so the same answers."""
    target_name, actions, rows = slice_object(target_name).name, tuple(actions), tuple(rows)
    model = type(obj)
    alias = model._default_manager.db
    if connections[alias].vendor == "postgresql" and _case_id_of(obj, slice_object(target_name).paths) in (
            obj.pk, None):
        unconditional, permitted, sql, params, positions, answers = _compiled_on_and_under(
            alias, model, target_name, actions, rows, actor)
        found = []
        if sql is not None:
            with connections[alias].cursor() as cursor:
                cursor.execute(sql, [obj.pk if i in positions else param for i, param in enumerate(params)])
                found = cursor.fetchall()
    else:
        unconditional, permitted, branches, answers = _on_and_under_plan(actor, target_name, actions, obj, rows)
        found = _union_rows(branches)
    result = {action: {obj.pk} if action in unconditional else set() for action in actions}
    permitted = set(permitted)
    for pk, index in found:
        kind, answer = answers[index]
        if kind == "own":
            result[answer].add(pk)
        else:
            permitted.add(answer)
    return result, permitted


def allowed_ids(actor: Actor, target_name: "str | SliceObject", action: str, queryset: QuerySet, ids) -> set:
    """Of these ids, the ones the caller may ACTION: one query per page, for choosing
    each row's serializer (field-level slicing) without a per-row check."""
    q = slice_q(actor, target_name, action)
    if q is None:
        return set()
    if not q:
        return set(ids)
    return set(queryset.model._default_manager.filter(pk__in=list(ids)).filter(q).values_list("pk", flat=True))


def allowed_ids_by_action(actor: Actor, target_name: "str | SliceObject", actions, queryset: QuerySet,
                          ids) -> dict[str, set]:
    """`allowed_ids` for several actions at once, in ONE query however many of them
    depend on the object: a UNION ALL with one branch per conditional grant, each
    `pk IN (ids) AND <the grant's conditions>` tagged with its branch number. As WHERE
    conditions the subqueries are semi-joins probing the page's ids (a condition in the
    SELECT list, or ORed, made PostgreSQL hash the caller's whole slice per request)."""
    obj = slice_object(target_name)
    ids = list(ids)
    result: dict[str, set] = {}
    branches: list[tuple[str, Grant]] = []
    for action in actions:
        grants = grants_for(obj, action, actor)
        result[action] = set(ids) if any(_is_unconditional(g) for g in grants) else set()
        if not result[action]:
            branches += [(action, grant) for grant in grants]
    if branches and ids:
        for pk, index in _page_rows(queryset.model, obj.name, tuple(branches), actor, ids):
            result[branches[index][0]].add(pk)
    return result


def _page_query(model, target_name: str, branches, actor: Actor, ids) -> QuerySet:
    paths = slice_object(target_name).paths
    page = model._default_manager.filter(pk__in_array=ids).order_by()
    parts = [page.filter(_grant_q(grant, actor, paths)).annotate(branch=Value(index))
             .values_list("pk", "branch") for index, (_, grant) in enumerate(branches)]
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


_NOT_AN_ID = [-2_147_483_648]


@lru_cache(maxsize=4096)
def _compiled_page_query(alias: str, model, target_name: str, branches, actor: Actor):
    """The statement of `_page_query` for one caller (an Actor is frozen: what the
    conditions read of it is its key), built by the ORM once per process: on PostgreSQL
    the page's ids are one array parameter (marac.lookups), so only that parameter
    changes from page to page. Saves the ORM's ~1 ms per list."""
    query = _page_query(model, target_name, branches, actor, _NOT_AN_ID)
    sql, params = query.query.get_compiler(using=alias).as_sql()
    return sql, tuple(params), tuple(i for i, param in enumerate(params) if param == _NOT_AN_ID)


def _page_rows(model, target_name: str, branches, actor: Actor, ids) -> list[tuple]:
    alias = model._default_manager.db
    if connections[alias].vendor != "postgresql":
        return list(_page_query(model, target_name, branches, actor, ids))
    try:
        sql, params, id_positions = _compiled_page_query(alias, model, target_name, branches, actor)
    except EmptyResultSet:  # every branch is a condition nothing meets
        return []
    params = [ids if index in id_positions else param for index, param in enumerate(params)]
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
