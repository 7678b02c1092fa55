"""The Django admin's login, throttled like the API's token endpoint.

Same throttle classes and cache keys as `POST /api/v1/auth/token/` (marac.throttling),
so password guesses against one account or from one address count together whichever
door they knock on. Wraps the site's own login view, so the form, CSRF and redirects
stay Django's.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse

from .throttling import login_throttle_wait


def throttled_login(site):
    """`site.login`, answering 429 with Retry-After to a POST over the login rate."""

    @login_not_required
    def login(request, extra_context=None):
        if request.method == "POST":
            wait = login_throttle_wait(request)
            if wait is not None:
                response = JsonResponse(
                    {"detail": f"Request was throttled. Expected available in {wait} second{'s' if wait != 1 else ''}."},
                    status=429)
                response["Retry-After"] = str(wait)
                return response
        return site.login(request, extra_context)

    return login
