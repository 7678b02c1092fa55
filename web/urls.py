"""The web app's routes, namespace `web`. Each area owns its urls.py (included at the
root, so an area chooses its own paths); names the primary navigation links to are
listed in web/navigation.py (e.g. `case-list`, `meeting-list`)."""

from django.urls import include, path

from .accounts.views import SignInView, SignOutView
from .home.views import HomeView

app_name = "web"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("sign-in/", SignInView.as_view(), name="sign-in"),
    path("sign-out/", SignOutView.as_view(), name="sign-out"),
    path("", include("web.cases.urls")),
    path("", include("web.meetings.urls")),
    path("", include("web.orders.urls")),
    path("", include("web.reports.urls")),
]
