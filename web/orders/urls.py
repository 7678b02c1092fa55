"""Web routes of the orders area (included by web/urls.py under the `web` namespace):
Stalking Protection Orders, positive requirements, breaches, and (web.support) victim
support plans."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("orders/", views.OrderListView.as_view(), name="order-list"),
    path("cases/<int:case_pk>/orders/new/", views.OrderCreateView.as_view(), name="order-create"),
    path("orders/<int:pk>/", views.OrderDetailView.as_view(), name="order-detail"),
    path("orders/<int:pk>/edit/", views.OrderEditView.as_view(), name="order-edit"),
    path("orders/<int:pk>/status/", views.OrderStatusView.as_view(), name="order-status"),
    path("orders/<int:pk>/history/", views.OrderHistoryView.as_view(), name="order-history"),
    path("orders/<int:pk>/prohibitions/new/", views.ProhibitionAddView.as_view(), name="prohibition-add"),
    path("orders/<int:pk>/prohibitions/<int:index>/remove/", views.ProhibitionRemoveView.as_view(),
         name="prohibition-remove"),
    path("orders/<int:order_pk>/requirements/new/", views.RequirementCreateView.as_view(), name="requirement-create"),
    path("orders/<int:order_pk>/breaches/new/", views.BreachCreateView.as_view(), name="breach-create"),
    path("orders/<int:order_pk>/notifiable-changes/new/", views.NotifiableChangeCreateView.as_view(),
         name="notifiable-change-create"),
    path("notifiable-changes/<int:pk>/", views.NotifiableChangeEditView.as_view(), name="notifiable-change-edit"),
    path("requirements/", views.RequirementListView.as_view(), name="requirement-list"),
    path("requirements/<int:pk>/", views.RequirementDetailView.as_view(), name="requirement-detail"),
    path("requirements/<int:pk>/update/", views.RequirementUpdateView.as_view(), name="requirement-update"),
    path("requirements/<int:pk>/events/new/", views.ComplianceEventCreateView.as_view(), name="compliance-event-add"),
    path("breaches/<int:pk>/", views.BreachDetailView.as_view(), name="breach-detail"),
    path("breaches/<int:pk>/respond/", views.BreachRespondView.as_view(), name="breach-respond"),
    path("", include("web.support.urls")),
]
