"""A page's reads of one case (its research, incidents, actions, history...), each
through its own policy row, sent to the database as ONE statement whose text is built
once per caller.

A case page reads a dozen small lists. Through the ORM each is a queryset built, then
compiled, then a round trip: building and compiling the slice's conditions cost far
more than running them (bench/PROFILE.md, "Issue 13: the web pages' speed"). Here, on
PostgreSQL, each list's statement is compiled once per caller against a stand-in case
id (as `scopes._compiled_on_and_under` does), the lists are sent together as one
SELECT of JSON arrays, and only the case id changes from page to page. Elsewhere
(SQLite) each list is read through the ORM as written. Both answer the same rows, in
the same order, with the same Python values: `tests/permissions/test_case_reads.py`
compares them for every list the case page reads, for callers of every kind.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models import QuerySet

from .actor import Actor
from .scopes import slice_queryset_on_case

__all__ = ["OnCase", "read_on_case"]


@dataclass(frozen=True)
class OnCase:
    """One list of a case page. ROWS(case_id) gives the case's rows as a `values()`
    queryset (already filtered to that case, ordered as the page shows them); TARGET
    names the policy object whose ACTION slice they are read through, or None for the
    case's own details (its children, perpetrators...), shown to whoever sees the case."""

    name: str
    rows: Callable[[int], QuerySet]
    target: str | None = None
    action: str = "view"


def _through_slice(actor: Actor, section: OnCase, case_id: int) -> QuerySet:
    queryset = section.rows(case_id)
    if section.target is None:
        return queryset
    return slice_queryset_on_case(actor, section.target, section.action, queryset, case_id)


def read_on_case(actor: Actor, sections: tuple[OnCase, ...], case_id: int) -> dict[str, list[dict]]:
    """{section name: its rows as dicts} for the case CASE_ID, each section through the
    caller's slice. SECTIONS is a module-level tuple (it keys the compiled statement)."""
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        return _plain_read_on_case(actor, sections, case_id)
    sql, params, positions, readers = _compiled(DEFAULT_DB_ALIAS, sections, actor)
    # One plan for every case: the statement is prepared on the connection after a few
    # runs (settings: prepare_threshold) and, for this statement only, its generic plan
    # kept (every condition is an index probe on the one case id), where the session's
    # force_custom_plan would plan its dozen subqueries again on every page.
    with transaction.atomic(using=DEFAULT_DB_ALIAS), connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute(sql, [case_id if index in positions else param for index, param in enumerate(params)])
        documents = cursor.fetchone()
    return {section.name: [_row(row, reader) for row in json.loads(document)]
            for section, document, reader in zip(sections, documents, readers)}


def _plain_read_on_case(actor: Actor, sections: tuple[OnCase, ...], case_id: int) -> dict[str, list[dict]]:
    return {section.name: list(_through_slice(actor, section, case_id)) for section in sections}


_STAND_IN_CASE_ID = -2_147_483_645


@lru_cache(maxsize=1024)  # each holds a whole page's statement; four variants of the page per person at most
def _compiled(alias: str, sections: tuple[OnCase, ...], actor: Actor):
    """The one statement for SECTIONS as this caller reads them: a JSON array per
    section, `COALESCE(json_agg(s), '[]')` over the section's own SELECT (its ORDER BY
    kept: the aggregate reads its sorted subquery with nothing joined after it). The
    stand-in case id's positions in the parameters are where the real id goes."""
    columns, params, readers = [], [], []
    for section in sections:
        queryset = _through_slice(actor, section, _STAND_IN_CASE_ID)
        compiler = queryset.query.get_compiler(using=alias)
        try:
            sql, section_params = compiler.as_sql()
        except EmptyResultSet:  # the caller holds no grant for it: never any row
            columns.append("'[]'")
            readers.append({})
            continue
        columns.append(f"(SELECT COALESCE(json_agg(s), '[]')::text FROM ({sql}) s)")
        params.extend(section_params)
        readers.append({alias_: _reader(expression.output_field) for expression, _, alias_ in compiler.select})
    positions = frozenset(index for index, param in enumerate(params) if param == _STAND_IN_CASE_ID)
    return f"SELECT {', '.join(columns)}", tuple(params), positions, tuple(readers)


def _reader(field) -> Callable | None:
    """How a JSON value of FIELD becomes the Python value the ORM would give (numbers,
    text, booleans, JSON and arrays are already what it gives)."""
    if isinstance(field, models.DateTimeField):
        return datetime.fromisoformat
    if isinstance(field, models.DateField):
        return date.fromisoformat
    if isinstance(field, models.DecimalField):
        return lambda value: Decimal(str(value))
    return None


def _row(row: dict, readers: dict) -> dict:
    for key, read in readers.items():
        if read is not None and row[key] is not None:
            row[key] = read(row[key])
    return row


def read_case(actor: Actor, cases: QuerySet, case_id: int, related: tuple[str, ...] = ()):
    """The case CASE_ID of CASES (annotations kept) if it is in the caller's view slice,
    else None, with the RELATED one-to-one rows it names (foreign keys of the case)
    attached as `select_related` would: the case page's own row. On PostgreSQL its
    statement is compiled once per caller, as `read_on_case`'s."""
    alias = cases.db
    if connections[alias].vendor != "postgresql":
        return _plain_read_case(actor, cases, case_id, related)
    sql, params, positions, shape = _compiled_case(alias, cases, related, actor)
    if sql is None:
        return None
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [case_id if index in positions else param for index, param in enumerate(params)])
        row = cursor.fetchone()
    if row is None:
        return None
    connection = connections[alias]
    (model, names, offset), *joined = shape
    case = _instance(model, alias, connection, names, row[:offset])
    for field_name, related_model, related_names in joined:
        values = row[offset:offset + len(related_names)]
        offset += len(related_names)
        setattr(case, field_name, None if values[0] is None
                else _instance(related_model, alias, connection, related_names, values))
    for name, value in zip(cases.query.annotations, row[offset:]):
        setattr(case, name, value)
    return case


def _plain_read_case(actor: Actor, cases: QuerySet, case_id: int, related: tuple[str, ...]):
    return slice_queryset_on_case(actor, "case", "view", cases, case_id).select_related(*related).first()


def _instance(model, alias: str, connection, names: list[str], values):
    """MODEL's row as the ORM makes it: each field's `from_db_value` (a JSON field's
    text parsed), then `Model.from_db`."""
    values = [field.from_db_value(value, None, connection) if value is not None and hasattr(field, "from_db_value")
              else value for field, value in zip(model._meta.concrete_fields, values)]
    return model.from_db(alias, names, values)


def _case_columns(cases: QuerySet, related: tuple[str, ...]):
    model = cases.model
    own = [field.attname for field in model._meta.concrete_fields]
    shape = [(model, own, len(own))]
    columns = list(own)
    for name in related:
        related_model = model._meta.get_field(name).related_model
        names = [field.attname for field in related_model._meta.concrete_fields]
        shape.append((name, related_model, names))
        columns += [f"{name}__{attname}" for attname in names]
    return shape, columns


@lru_cache(maxsize=4096)
def _compiled_case(alias: str, cases: QuerySet, related: tuple[str, ...], actor: Actor):
    """`read_case`'s statement for one caller and one CASES queryset (a view's class
    attribute: the same object on every request), against a stand-in case id."""
    shape, columns = _case_columns(cases, related)
    found = slice_queryset_on_case(actor, "case", "view", cases, _STAND_IN_CASE_ID)
    try:
        sql, params = found.values_list(*columns, *cases.query.annotations).order_by().query.get_compiler(
            using=alias).as_sql()
    except EmptyResultSet:  # no grant lets the caller see any case
        return None, (), frozenset(), shape
    positions = frozenset(index for index, param in enumerate(params) if param == _STAND_IN_CASE_ID)
    return sql, tuple(params), positions, shape
