"""The scope conditions of the policy table, as database filters.

Every condition becomes a Q over the object's own table; "participant" is one
`IN (SELECT content_object_id FROM <case grant table> WHERE group_id = ...)` subquery
over guardian's direct-FK grant table, so a list is filtered in the database in one
statement and a single object is checked with one indexed EXISTS.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, reduce
from operator import and_, or_
from types import SimpleNamespace

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, Q, QuerySet, Value

import marac.lookups  # noqa: F401  (registers `in_array`)
from marac.cases.participants import case_ids_for_group
from marac.maracs.services import served_marac_ids
from marac.referrals.models import case_ids_referred_by

from .actor import Actor
from .policy import Grant, grants_for


@dataclass(frozen=True)
class Target:
    """Where the scope conditions look on one kind of object."""

    case: str | None = None  # lookup from the object to its Case; "pk" for the Case itself
    agency: str | None = None  # the agency the object belongs to ("own_agency")
    shared: str | None = None  # the boolean "shared with the MARAC"
    # For objects tied to SEVERAL cases (a meeting and its agenda): given the subquery
    # of the caller's participant case ids, a subquery of the object pks it reaches,
    # e.g. `lambda ids: AgendaItem.objects.filter(case__in=ids).values("meeting")`.
    # "participant" then becomes ONE `pk IN (SELECT ...)`: no join, so no duplicate rows.
    cases_subquery: Callable[[QuerySet], QuerySet] | None = None
    chair: str | None = None  # the user who chairs the object's meeting ("chairing")
    marac: str | None = None  # lookup from the object to its MARAC ("marac"); "pk" for a Marac
    # A transfer's receiving MARAC ("receiving_marac"); its `marac` is the sending one.
    receiving_marac: str | None = None


def _meetings_reaching(case_ids: QuerySet) -> QuerySet:
    from marac.meetings.models import AgendaItem

    return AgendaItem.objects.filter(case__in=case_ids).values("meeting")


TARGETS: dict[str, Target] = {
    "agency": Target(agency="pk"),
    "marac": Target(marac="pk"),
    "user": Target(agency="membership__agency"),
    # "participant" is read through the linked case (only the view_case_link row uses it);
    # "marac" is the MARAC the referral is sent to.
    "referral": Target(case="case", agency="referring_agency", marac="marac"),
    "case": Target(case="pk", marac="marac"),
    "victim_history": Target(case="case", shared="shown_on_case", marac="case__marac"),
    "research": Target(case="case", agency="agency", shared="shared_with_marac", marac="case__marac"),
    "incident": Target(case="case", agency="agency", marac="case__marac"),
    "order": Target(case="case", agency="agency", marac="case__marac"),
    "requirement": Target(case="order__case", agency="responsible_agency", marac="order__case__marac"),
    "breach": Target(case="order__case", agency="reporting_agency", marac="order__case__marac"),
    "notifiable_change": Target(case="order__case", marac="order__case__marac"),
    "support_plan": Target(case="case", agency="agency", marac="case__marac"),
    "audit_event": Target(agency="agency_id"),
    "meeting": Target(cases_subquery=_meetings_reaching, chair="chair", marac="marac"),
    # Agenda items follow their meeting's MARAC (only its cases are listed).
    "agenda_item": Target(case="case", marac="meeting__marac"),
    # An action follows its case's MARAC (the case is on the agenda of a meeting of
    # that MARAC when the action is agreed, so this is its meeting's MARAC too).
    "action": Target(case="case", agency="owner_agency", marac="case__marac"),
    # The pack is read against its meeting: its MARAC's coordinators and chairs, and
    # its chair signs off.
    "pack": Target(cases_subquery=_meetings_reaching, chair="chair", marac="marac"),
    "notification": Target(agency="agency"),
    # A MARAC-to-MARAC transfer belongs to the MARAC that sent it ("marac") and is
    # addressed to the one that receives it ("receiving_marac"); not through its case,
    # so the sending MARAC keeps its record after the case has left its reach.
    "transfer": Target(marac="from_marac", receiving_marac="to_marac"),
}


def register_target(name: str, target: Target) -> None:
    """Domain areas added later declare their object's paths here."""
    TARGETS[name] = target


def _condition(name: str, actor: Actor, target: Target) -> Q:
    if name == "all":
        return Q()
    if name == "participant":
        if actor.group_id is None or (target.case is None and target.cases_subquery is None):
            return Q(pk__in=[])
        if target.case is None:
            return Q(pk__in=target.cases_subquery(case_ids_for_group(actor.group_id)))
        return Q(**{f"{target.case}__in": case_ids_for_group(actor.group_id)})
    if name == "own_agency":
        if target.agency is None or actor.agency_id is None:
            return Q(pk__in=[])
        return Q(**{target.agency: actor.agency_id})
    if name == "shared":
        return Q(**{target.shared: True})
    if name == "chairing":
        if target.chair is None or actor.user_id is None:
            return Q(pk__in=[])
        return Q(**{target.chair: actor.user_id})
    if name == "referrer":
        # One subquery: the cases the caller's agency referred (accepted referrals).
        if target.case is None or actor.agency_id is None:
            return Q(pk__in=[])
        return Q(**{f"{target.case}__in": case_ids_referred_by(actor.agency_id)})
    if name == "marac":
        # One subquery: the MARACs the caller's membership serves.
        if target.marac is None or actor.membership_id is None:
            return Q(pk__in=[])
        return Q(**{f"{target.marac}__in": served_marac_ids(actor.membership_id)})
    if name == "receiving_marac":
        # The same subquery, on the MARAC an object is addressed to (a transfer's).
        if target.receiving_marac is None or actor.membership_id is None:
            return Q(pk__in=[])
        return Q(**{f"{target.receiving_marac}__in": served_marac_ids(actor.membership_id)})
    raise LookupError(f"Unknown scope condition {name!r}")


def _grant_q(grant: Grant, actor: Actor, target: Target) -> Q:
    return reduce(and_, (_condition(name, actor, target) for name in grant.scope), Q())


def _is_unconditional(grant: Grant) -> bool:
    return all(name == "all" for name in grant.scope)


def slice_q(actor: Actor, target_name: str, action: str, target: Target | None = None) -> Q | None:
    """The filter for "objects this caller may ACTION"; None when nothing is allowed."""
    grants = grants_for(target_name, action, actor)
    if not grants:
        return None
    target = target or TARGETS[target_name]
    if any(_is_unconditional(g) for g in grants):
        return Q()
    return reduce(or_, (_grant_q(g, actor, target) for g in grants))


def slice_queryset(actor: Actor, target_name: str, action: str, queryset: QuerySet) -> QuerySet:
    q = slice_q(actor, target_name, action)
    if q is None:
        return queryset.none()
    return queryset.filter(q) if q else queryset


def allowed(actor: Actor, target_name: str, action: str, obj: Model) -> bool:
    """May the caller ACTION this object? One EXISTS at most."""
    q = slice_q(actor, target_name, action)
    if q is None:
        return False
    if not q:
        return True
    return type(obj)._default_manager.filter(pk=obj.pk).filter(q).exists()


def allowed_on_parent(actor: Actor, target_name: str, action: str, parent: Model, parent_target: str) -> bool:
    """May the caller ACTION a new TARGET under PARENT (e.g. add research to a case)?
    The row's scope conditions are read against the parent's paths."""
    q = slice_q(actor, target_name, action, target=TARGETS[parent_target])
    if q is None:
        return False
    if not q:
        return True
    return type(parent)._default_manager.filter(pk=parent.pk).filter(q).exists()


def allowed_ids(actor: Actor, target_name: str, action: str, queryset: QuerySet, ids) -> set:
    """Of these ids, the ones the caller may ACTION: one query per page, for choosing
    each row's serializer (field-level slicing) without a per-row check."""
    q = slice_q(actor, target_name, action)
    if q is None:
        return set()
    if not q:
        return set(ids)
    return set(queryset.model._default_manager.filter(pk__in=list(ids)).filter(q).values_list("pk", flat=True))


def allowed_ids_by_action(actor: Actor, target_name: str, actions, queryset: QuerySet, ids) -> dict[str, set]:
    """`allowed_ids` for several actions at once, in ONE query however many of them
    depend on the object: a UNION ALL with one branch per conditional grant, each
    `pk IN (ids) AND <the grant's conditions>` tagged with its branch number. As WHERE
    conditions the subqueries are semi-joins probing the page's ids (a condition in the
    SELECT list, or ORed, made PostgreSQL hash the caller's whole slice per request)."""
    ids = list(ids)
    result: dict[str, set] = {}
    branches: list[tuple[str, Grant]] = []
    for action in actions:
        grants = grants_for(target_name, action, actor)
        result[action] = set(ids) if any(_is_unconditional(g) for g in grants) else set()
        if not result[action]:
            branches += [(action, grant) for grant in grants]
    if branches and ids:
        model = queryset.model
        reach = (actor.group_id, actor.agency_id, actor.user_id, actor.membership_id)
        for pk, index in _page_rows(model, target_name, tuple(branches), reach, ids):
            result[branches[index][0]].add(pk)
    return result


def _page_query(model, target_name: str, branches, reach, ids) -> QuerySet:
    # All a grant's conditions read of the caller ("chairing" reads user_id, "marac"
    # the membership).
    group_id, agency_id, user_id, membership_id = reach
    reach = SimpleNamespace(group_id=group_id, agency_id=agency_id, user_id=user_id, membership_id=membership_id)
    page = model._default_manager.filter(pk__in_array=ids).order_by()
    parts = [page.filter(_grant_q(grant, reach, TARGETS[target_name])).annotate(branch=Value(index))
             .values_list("pk", "branch") for index, (_, grant) in enumerate(branches)]
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


_NOT_AN_ID = [-2_147_483_648]


@lru_cache(maxsize=4096)
def _compiled_page_query(alias: str, model, target_name: str, branches, reach):
    """The statement of `_page_query` for one caller's reach, built by the ORM once per
    process: on PostgreSQL the page's ids are one array parameter (marac.lookups), so
    only that parameter changes from page to page. Saves the ORM's ~1 ms per list."""
    query = _page_query(model, target_name, branches, reach, _NOT_AN_ID)
    sql, params = query.query.get_compiler(using=alias).as_sql()
    return sql, tuple(params), tuple(i for i, param in enumerate(params) if param == _NOT_AN_ID)


def _page_rows(model, target_name: str, branches, reach, ids) -> list[tuple]:
    alias = model._default_manager.db
    if connections[alias].vendor != "postgresql":
        return list(_page_query(model, target_name, branches, reach, ids))
    try:
        sql, params, id_positions = _compiled_page_query(alias, model, target_name, branches, reach)
    except EmptyResultSet:  # every branch is a condition nothing meets
        return []
    params = [ids if index in id_positions else param for index, param in enumerate(params)]
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
