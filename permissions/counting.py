"""Counting a slice: a list's page count read from its slice subquery (the grants of
the caller's agency, or the count the database keeps of them) instead of joining every
one of them back to the objects, or, when the slice is several alternatives, from the
union of each alternative's rows. Both the API's and the web app's paginators use it."""

from django.core.paginator import Paginator
from django.db.models.lookups import In
from django.db.models.sql.query import Query
from django.db.models.sql.where import AND, OR, WhereNode
from django.utils.functional import cached_property


def _only_condition(where: WhereNode):
    """The single lookup a WHERE consists of, or None."""
    while isinstance(where, WhereNode):
        if where.negated or len(where.children) != 1 or (where.connector != AND and len(where.children) > 1):
            return None
        where = where.children[0]
    return where


def _counts_its_rows(query: Query) -> bool:
    """A plain filtered query: COUNT(*) counts its rows, nothing distinct, combined,
    sliced or annotated that a shortcut would have to reproduce."""
    return not (query.distinct or query.combinator or query.is_sliced or query.annotations or query.extra)


def subquery_count(queryset) -> int | None:
    """COUNT(*) of `queryset` read from its slice subquery alone, when that is exact.

    It is exact when the queryset's whole WHERE is `pk IN (subquery)` and the subquery
    is marked `values_are_distinct_existing_pks` (each value a distinct primary key of an
    existing row: e.g. the participant grants of one agency, unique per case and bound
    by a foreign key). Counting those grant rows is one index-only scan, instead of
    joining every one of them back to the cases; and when the subquery also carries an
    `exact_count` that still applies to it (its WHERE unchanged), that kept count is
    read instead of scanning the grants. Otherwise None: count as usual.
    """
    query = queryset.query
    if not _counts_its_rows(query):
        return None
    lookup = _only_condition(query.where)
    if not isinstance(lookup, In) or not isinstance(lookup.rhs, Query):
        return None
    if not getattr(lookup.rhs, "values_are_distinct_existing_pks", False):
        return None
    target = getattr(lookup.lhs, "target", None)
    if target is None or target != queryset.model._meta.pk or lookup.lhs.alias != query.get_initial_alias():
        return None
    exact = getattr(lookup.rhs, "exact_count", None)
    if exact is not None and exact.applies_to(lookup.rhs):
        counted = exact(queryset.db)  # a count the database keeps (e.g. GroupGrantCount)
        if counted is not None:
            return counted
    subquery = lookup.rhs.clone()
    subquery.subquery = False
    return subquery.get_count(using=queryset.db)


def _only_alternatives(where: WhereNode) -> list | None:
    """The children of the OR a WHERE consists of (under single-child wrappers), or None."""
    while isinstance(where, WhereNode) and not where.negated and len(where.children) == 1:
        where = where.children[0]
    if not isinstance(where, WhereNode) or where.negated or where.connector != OR or len(where.children) < 2:
        return None
    return list(where.children)


def alternatives_count(queryset) -> int | None:
    """COUNT(*) of `queryset` as the size of the UNION of each alternative's primary keys.

    A coordinator's cases are those of the MARACs they serve OR those their agency is on:
    PostgreSQL evaluates such an OR row by row over the whole table (a sequential scan),
    while each alternative alone is an index scan and their union a hash of their keys
    (bench/PROFILE.md, "The one-MARAC coordinator's count"). Exact whenever the query reads one table (no
    join that could repeat a row); otherwise None: count as usual."""
    query = queryset.query
    if not _counts_its_rows(query):
        return None
    alternatives = _only_alternatives(query.where)
    if alternatives is None or sum(1 for alias in query.alias_map if query.alias_refcount[alias]) != 1:
        return None  # another table joined (a trimmed join stays in alias_map, unreferenced)
    keys = []
    for alternative in alternatives:
        branch = queryset.order_by().values("pk")
        branch.query.where = WhereNode([alternative], connector=AND)
        keys.append(branch)
    return keys[0].union(*keys[1:]).count()


class SliceCountPaginator(Paginator):
    @cached_property
    def count(self):
        if not hasattr(self.object_list, "query"):
            return super().count
        fast = subquery_count(self.object_list)
        if fast is None:
            fast = alternatives_count(self.object_list)
        return super().count if fast is None else fast
