"""Web routes of the transfers area (included by web/urls.py under the `web` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("transfers/", views.TransferListView.as_view(), name="transfer-list"),
    path("transfers/<int:pk>/", views.TransferDetailView.as_view(), name="transfer-detail"),
    path("transfers/<int:pk>/accept/", views.TransferAcceptView.as_view(), name="transfer-accept"),
    path("transfers/<int:pk>/decline/", views.TransferDeclineView.as_view(), name="transfer-decline"),
    path("cases/<int:case_pk>/transfers/new/", views.TransferRequestView.as_view(), name="case-transfer-create"),
]
