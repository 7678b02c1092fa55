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
