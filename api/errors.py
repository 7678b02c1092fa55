"""One error format: 400 with messages keyed by field, for every kind of bad input,
whether DRF, Django or a domain rule found it."""

import re
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from marac.errors import DomainError

DATABASE_UNAVAILABLE = "The database is temporarily unavailable. Try again shortly."
ALREADY_EXISTS = "Another record already has this value."
# The column a unique violation names: PostgreSQL's "Key (username)=(...) already exists."
# (for an expression index, "Key (lower(name::text))=..."), SQLite's "UNIQUE constraint
# failed: auth_user.username".
_POSTGRESQL_KEY = re.compile(r"^Key \((?:\w+\()?(\w+)")
_SQLITE_UNIQUE = re.compile(r"^UNIQUE constraint failed: \w+\.(\w+)")


def body_too_large() -> dict:
    """The 413's body names the limit: a client that sent too much learns how much it may send."""
    return {"detail": f"The request body is too large: the limit is {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes."}


def unique_violation_field(exc: IntegrityError) -> str | None:
    """The column a unique constraint refused, or None if EXC is another integrity error
    (a foreign key or check: a bug, not bad input, so it stays a 500)."""
    cause = exc.__cause__
    diag = getattr(cause, "diag", None)
    if diag is not None:  # PostgreSQL
        if getattr(cause, "sqlstate", None) != "23505":
            return None
        match = _POSTGRESQL_KEY.match(diag.message_detail or "")
        return match.group(1) if match else "non_field_errors"
    match = _SQLITE_UNIQUE.match(str(exc))
    return match.group(1) if match else None


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        exc = exceptions.ValidationError(exc.messages)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, exceptions.ParseError):
        exc = exceptions.ValidationError({"non_field_errors": [str(exc.detail)]})
    elif isinstance(exc, RequestDataTooBig):
        # Not a SuspiciousOperation to log with a traceback: the client is told the limit.
        return Response(body_too_large(), status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    elif isinstance(exc, IntegrityError) and unique_violation_field(exc) is not None:
        # Two requests passed the same uniqueness check at once; the database kept one.
        exc = exceptions.ValidationError({unique_violation_field(exc): [ALREADY_EXISTS]})
    elif isinstance(exc, (OperationalError, InterfaceError)):
        # The database is unreachable (restarting, failing over): fail fast and say so.
        response = Response({"detail": DATABASE_UNAVAILABLE}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        response["Retry-After"] = "5"
        return response
    elif isinstance(exc, DatabaseError):
        raise exc
    return drf_exception_handler(exc, context)


def server_error(request, *args, **kwargs):
    """handler500: an exception that escaped a view or a middleware (e.g. the database
    refused the connection while a session or the request transaction was opened) is a
    503 when the database is away, else a JSON 500. Never an HTML page."""
    exc = sys.exc_info()[1]
    if isinstance(exc, (OperationalError, InterfaceError)):
        response = JsonResponse({"detail": DATABASE_UNAVAILABLE}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        response["Retry-After"] = "5"
        return response
    return JsonResponse({"detail": "Server error."}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)


def not_found(request, exception=None):
    """handler404: a path no route matches answers JSON like every other 404."""
    return JsonResponse({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)


def bad_request(request, exception=None):
    """handler400 (e.g. a disallowed Host header): JSON, never an HTML page. A body over
    the limit read outside DRF (e.g. by a form) is 413 here too."""
    if isinstance(exception, RequestDataTooBig):
        return JsonResponse(body_too_large(), status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    return JsonResponse({"detail": "Bad request."}, status=status.HTTP_400_BAD_REQUEST)


def permission_denied(request, exception=None):
    """handler403 (e.g. a CSRF failure of a session-authenticated write): JSON."""
    return JsonResponse({"detail": "You do not have permission to perform this action."},
                        status=status.HTTP_403_FORBIDDEN)
