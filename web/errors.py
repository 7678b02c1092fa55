"""The GOV.UK error pages of the web app: "Page not found" (404, also for anything
outside the caller's slice), "You cannot do this" (403), and the service problem page
(500, or 503 while the database is away). marac/urls.py sends the API's paths to the
API's JSON handlers and everything else here."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader


def _render(request, template, status, with_request=True):
    # The service's name comes from settings, not the context processor: a page rendered
    # without the request still names the service in its title and header link (axe:
    # a link needs discernible text).
    context = {"service_name": settings.MARAC_NAME}
    try:
        body = loader.render_to_string(template, context, request=request if with_request else None)
    except Exception:  # noqa: BLE001  the error page must never fail (e.g. no database for the header)
        body = loader.render_to_string(template, context)
    return HttpResponse(body, status=status)


def page_not_found(request, exception=None):
    return _render(request, "web/errors/404.html", 404)


def permission_denied(request, exception=None):
    return _render(request, "web/errors/403.html", 403)


def bad_request(request, exception=None):
    return _render(request, "web/errors/400.html", 400, with_request=False)


def server_error(request, *args, **kwargs):
    """Rendered without the request: the header's name and navigation need the database,
    which may be what failed."""
    exc = sys.exc_info()[1]
    if isinstance(exc, (OperationalError, InterfaceError)):
        response = _render(request, "web/errors/500.html", 503, with_request=False)
        response["Retry-After"] = "5"
        return response
    return _render(request, "web/errors/500.html", 500, with_request=False)
