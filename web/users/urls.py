from django.urls import path

from .views import (
    AuditTrailView,
    UserCreateView,
    UserDeactivateView,
    UserDetailView,
    UserEditView,
    UserListView,
    UserReactivateView,
)

urlpatterns = [
    path("users/", UserListView.as_view(), name="user-list"),
    path("users/new/", UserCreateView.as_view(), name="user-create"),
    path("users/<int:pk>/", UserDetailView.as_view(), name="user-detail"),
    path("users/<int:pk>/edit/", UserEditView.as_view(), name="user-edit"),
    path("users/<int:pk>/deactivate/", UserDeactivateView.as_view(), name="user-deactivate"),
    path("audit/", AuditTrailView.as_view(), name="audit-list"),
    path("users/<int:pk>/reactivate/", UserReactivateView.as_view(), name="user-reactivate"),
]
