"""Web matrix rows for sign-in, sign-out and home (web-core)."""

from tests.web.matrix import WebRoute

ROUTES = [
    # Signed in already: the sign-in page sends you on (LoginView.redirect_authenticated_user).
    WebRoute("sign-in", lambda w: "/sign-in/", expected=lambda w: 302),
    WebRoute("sign-out", lambda w: "/sign-out/", method="post"),
    WebRoute("home", lambda w: "/"),
]
