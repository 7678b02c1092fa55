"""Platform administration pages, under /platform/ (Django's own admin keeps /admin/)."""

from django.urls import path

from .views import AgencyCreateView, AgencyListView

urlpatterns = [
    path("agencies/", AgencyListView.as_view(), name="admin-agency-list"),
    path("agencies/new/", AgencyCreateView.as_view(), name="admin-agency-create"),
]
