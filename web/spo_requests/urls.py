"""Web routes of requests that police consider an SPO (included by web/urls.py under the
`web` namespace). Police answer a request by recording the order that names it
(web.orders: the order form's "Answers the request" choice)."""

from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:case_pk>/spo-requests/new/", views.SpoRequestCreateView.as_view(), name="spo-request-create"),
]
