"""Platform administration pages, under /platform/ (Django's own admin keeps /admin/)."""

from django.urls import path

from .views import AgencyCreateView, AgencyListView, MaracCreateView, MaracEditView, MaracListView

urlpatterns = [
    path("agencies/", AgencyListView.as_view(), name="admin-agency-list"),
    path("agencies/new/", AgencyCreateView.as_view(), name="admin-agency-create"),
    path("maracs/", MaracListView.as_view(), name="admin-marac-list"),
    path("maracs/new/", MaracCreateView.as_view(), name="admin-marac-create"),
    path("maracs/<int:pk>/", MaracEditView.as_view(), name="admin-marac-edit"),
]
