"""What every page of the web app gets from its middleware (and the API does not):

- sign-in required by default: any view routed under the `web` namespace needs a
  session unless it is marked `login_not_required` (the sign-in page); the API keeps
  its own authentication and answers 401 rather than a redirect;
- pages carry case data and the signed-in person's name: no cache keeps them.

Sessions end after MARAC_WEB_SESSION_IDLE_MINUTES without activity: each request
slides the expiry (SESSION_COOKIE_AGE, settings), written at most once a minute
(`SlidingSessionMiddleware`).
"""

import time

from django.contrib.auth.middleware import LoginRequiredMiddleware

# A session's expiry is written again once this many seconds have passed since the last write.
SESSION_REFRESH_SECONDS = 60
REFRESHED_AT = "refreshed_at"


def seconds_now() -> int:
    return int(time.time())


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


def stamp_new_session(sender, request, user, **kwargs):
    """Signing in writes the session: its first page need not write it again."""
    session = getattr(request, "session", None)
    if session is not None:
        session[REFRESHED_AT] = seconds_now()


class SlidingSessionMiddleware:
    """The idle expiry slides with each request, as SESSION_SAVE_EVERY_REQUEST does,
    but the session is written (an UPDATE and its COMMIT: three round trips of every
    page) only when its last write is a minute old. A session therefore ends between
    MARAC_WEB_SESSION_IDLE_MINUTES - 1 and MARAC_WEB_SESSION_IDLE_MINUTES after its
    last request: never later. Sessions nothing read (the API's token requests) are
    left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.accessed and session.session_key and not session.is_empty():
            now = seconds_now()
            if now - session.get(REFRESHED_AT, 0) >= SESSION_REFRESH_SECONDS:
                session[REFRESHED_AT] = now  # modified: SessionMiddleware saves it, sliding the expiry
        return response
