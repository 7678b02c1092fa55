"""What every page of the web app gets from its middleware (and the API does not):

- sign-in required by default: any view routed under the `web` namespace needs a
  session unless it is marked `login_not_required` (the sign-in page); the API keeps
  its own authentication and answers 401 rather than a redirect;
- pages carry case data and the signed-in person's name: no cache keeps them.

Sessions end after MARAC_WEB_SESSION_IDLE_MINUTES without activity through Django's
sliding session expiry (SESSION_COOKIE_AGE + SESSION_SAVE_EVERY_REQUEST, settings).
"""

from django.contrib.auth.middleware import LoginRequiredMiddleware


def is_web_request(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and "web" in match.namespaces


class WebLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, for the web app's views only."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_web_request(request):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

    def __call__(self, request):
        response = super().__call__(request)
        if is_web_request(request):
            response.setdefault("Cache-Control", "no-store")
        return response
