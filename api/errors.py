"""One error format: 400 with messages keyed by field, for every kind of bad input,
whether DRF, Django or a domain rule found it."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from marac.errors import DomainError


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
        response = Response({"detail": "The database is temporarily unavailable. Try again shortly."},
                            status=status.HTTP_503_SERVICE_UNAVAILABLE)
        response["Retry-After"] = "5"
        return response
    elif isinstance(exc, DatabaseError):
        raise exc
    return drf_exception_handler(exc, context)
