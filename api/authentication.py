import string
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import knox_settings
from rest_framework import authentication
from rest_framework.exceptions import AuthenticationFailed

from marac.agencies.models import Agency, Membership


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <token>`: a django-rest-knox token (stored as its digest,
    expiring), loading the user's membership and agency in the same statement, so
    that the slice costs no extra round trip per request."""

    def authenticate_credentials(self, key):
        token = token_with_holder(key)
        if token is None:
            raise AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise AuthenticationFailed("User inactive or deleted.")
        return token.user, token


# The token, its user, the user's membership and its agency: the rows
# `AuthToken.objects.select_related("user__membership__agency")` reads.
_LOADED = ((AuthToken, "t"), (get_user_model(), "u"), (Membership, "m"), (Agency, "a"))
_HEX = frozenset(string.hexdigits.lower())


def is_well_formed(key: str) -> bool:
    """A token as knox issues it: its prefix, then lower-case hex of the configured
    length. Anything else (a NUL byte, an overlong header...) is refused before any
    query, so garbage is 401 on every database, never a driver error."""
    prefix = knox_settings.TOKEN_PREFIX
    body = key[len(prefix):]
    return (key.startswith(prefix) and len(body) == knox_settings.AUTH_TOKEN_CHARACTER_LENGTH
            and _HEX.issuperset(body))


def token_with_holder(key: str) -> AuthToken | None:
    """The unexpired token with this key (looked up by knox's digest of it: the key
    itself is never stored), `token.user`, `user.membership` and `membership.agency`
    loaded (membership cached as absent for a user without one), or None.

    The same rows and model instances as the ORM query above, from one SQL statement
    built once per database: every request authenticates, and building and compiling
    that four-table select_related cost 0.4-0.7 ms of Python a request (interleaved
    A/B, bench/PROFILE.md). Values pass through the same database converters the ORM
    applies."""
    if not is_well_formed(key):
        return None
    db = router.db_for_read(AuthToken)
    statement = _statement(db)
    connection = connections[db]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, [hash_token(key), now])
        row = cursor.fetchone()
    if row is None:
        return None
    values = [_convert(value, column, converters, connection)
              for value, (column, converters) in zip(row, statement.columns)]
    # A LEFT JOIN that found no membership (or agency) gives a row of NULLs.
    token, user, membership, agency = (
        None if values[start + pk_offset] is None
        else model.from_db(db, attnames, values[start:start + len(attnames)])
        for model, start, pk_offset, attnames in statement.models)
    token.user = user
    if membership is None:
        Membership._meta.get_field("user").remote_field.set_cached_value(user, None)
    else:
        membership.agency = agency
        user.membership = membership
    return token


def _convert(value, column, converters, connection):
    for converter in converters:
        value = converter(value, column, connection)
    return value


@dataclass(frozen=True)
class _Statement:
    sql: str
    columns: list  # (column expression, its database converters), in SELECT order
    models: list  # (model, first column, offset of its pk, attnames), in SELECT order


_STATEMENTS: dict[str, _Statement] = {}


def _statement(db: str) -> _Statement:
    if db not in _STATEMENTS:
        connection = connections[db]
        quote = connection.ops.quote_name
        token, user, membership, agency = (model._meta for model, _ in _LOADED)
        columns, select, models = [], [], []
        for model, alias in _LOADED:
            fields = model._meta.concrete_fields
            models.append((model, len(columns), fields.index(model._meta.pk), [f.attname for f in fields]))
            for field in fields:
                column = field.get_col(alias)
                columns.append((column, connection.ops.get_db_converters(column)
                                + column.get_db_converters(connection)))
                select.append(f"{alias}.{quote(field.column)}")
        sql = (
            f"SELECT {', '.join(select)} FROM {quote(token.db_table)} t "
            f"INNER JOIN {quote(user.db_table)} u "
            f"ON u.{quote(user.pk.column)} = t.{quote(token.get_field('user').column)} "
            f"LEFT OUTER JOIN {quote(membership.db_table)} m "
            f"ON m.{quote(membership.get_field('user').column)} = u.{quote(user.pk.column)} "
            f"LEFT OUTER JOIN {quote(agency.db_table)} a "
            f"ON a.{quote(agency.pk.column)} = m.{quote(membership.get_field('agency').column)} "
            f"WHERE t.{quote(token.get_field('digest').column)} = %s "
            f"AND (t.{quote(token.get_field('expiry').column)} IS NULL "
            f"OR t.{quote(token.get_field('expiry').column)} > %s)"
        )
        _STATEMENTS[db] = _Statement(sql, columns, models)
    return _STATEMENTS[db]
