from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from marac.admin_login import throttled_login

admin.site.site_header = "MARAC platform administration"

urlpatterns = [
    path("admin/login/", throttled_login(admin.site)),  # before the site's own login/ route
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    # Until the web app exists, the site's address leads to the API's docs (temporary: 302).
    path("", RedirectView.as_view(pattern_name="docs", permanent=False), name="home"),
]

handler500 = "api.errors.server_error"
handler400 = "api.errors.bad_request"
handler403 = "api.errors.permission_denied"
handler404 = "api.errors.not_found"
