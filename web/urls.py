"""The web app's routes, namespace `web`. Each area owns its urls.py (included at the
root, so an area chooses its own paths); names the primary navigation links to are
listed in web/navigation.py (e.g. `case-list`, `meeting-list`)."""

from django.urls import include, path

from .home.views import HomeView

app_name = "web"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("web.accounts.urls")),
    path("", include("web.notifications.urls")),
    path("", include("web.users.urls")),
    path("platform/", include("web.platform_admin.urls")),
    path("", include("web.cases.urls")),
    path("", include("web.meetings.urls")),
    path("", include("web.orders.urls")),
    path("", include("web.spo_requests.urls")),
    path("", include("web.reports.urls")),
    path("", include("web.transfers.urls")),
]
