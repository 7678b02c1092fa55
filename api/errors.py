"""One error format: 400 with messages keyed by field, for every kind of bad input,
whether DRF, Django or a domain rule found it."""

import sys

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.db import DatabaseError, InterfaceError, OperationalError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from marac.errors import DomainError

DATABASE_UNAVAILABLE = "The database is temporarily unavailable. Try again shortly."


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        exc = exceptions.ValidationError(exc.messages)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, exceptions.ParseError):
        exc = exceptions.ValidationError({"non_field_errors": [str(exc.detail)]})
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
    """handler400 (e.g. a disallowed Host header): JSON, never an HTML page."""
    return JsonResponse({"detail": "Bad request."}, status=status.HTTP_400_BAD_REQUEST)


def permission_denied(request, exception=None):
    """handler403 (e.g. a CSRF failure of a session-authenticated write): JSON."""
    return JsonResponse({"detail": "You do not have permission to perform this action."},
                        status=status.HTTP_403_FORBIDDEN)
