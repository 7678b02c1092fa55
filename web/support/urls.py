"""Web routes of support plans (included by web/orders/urls.py under the `web` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("support-plans/", views.SupportPlanListView.as_view(), name="support-plan-list"),
    path("cases/<int:case_pk>/support-plan/", views.CaseSupportPlanView.as_view(), name="case-support-plan"),
    path("cases/<int:case_pk>/support-plan/new/", views.SupportPlanCreateView.as_view(), name="support-plan-create"),
    path("support-plans/<int:pk>/", views.SupportPlanDetailView.as_view(), name="support-plan-detail"),
    path("support-plans/<int:pk>/edit/", views.SupportPlanEditView.as_view(), name="support-plan-edit"),
]
