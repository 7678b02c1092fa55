from django.contrib import admin
from django.urls import include, path
from django.utils.module_loading import import_string

from marac.admin_login import throttled_login

admin.site.site_header = "MARAC platform administration"

urlpatterns = [
    path("admin/login/", throttled_login(admin.site)),  # before the site's own login/ route
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    # The web app for people (web/): everything else, at the site's root.
    path("", include("web.urls")),
]

# Systems get JSON errors (the API's and the admin's paths); people get the GOV.UK pages.
_SYSTEM_PREFIXES = ("/api/", "/admin/", "/static/")


def _by_audience(system_handler: str, web_handler: str):
    def handler(request, *args, **kwargs):
        name = system_handler if request.path.startswith(_SYSTEM_PREFIXES) else web_handler
        return import_string(name)(request, *args, **kwargs)

    return handler


handler500 = _by_audience("api.errors.server_error", "web.errors.server_error")
handler400 = _by_audience("api.errors.bad_request", "web.errors.bad_request")
handler403 = _by_audience("api.errors.permission_denied", "web.errors.permission_denied")
handler404 = _by_audience("api.errors.not_found", "web.errors.page_not_found")
