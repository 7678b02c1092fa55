"""Web routes of the meetings area (included by web/urls.py under the `web` namespace):
meetings, their agenda, minutes, actions agreed and pack, and the actions worklist."""

from django.urls import path

from . import views

urlpatterns = [
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/new/", views.MeetingCreateView.as_view(), name="meeting-create"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("meetings/<int:pk>/minutes/", views.MinutesView.as_view(), name="meeting-minutes"),
    path("meetings/<int:pk>/status/", views.MeetingStatusView.as_view(), name="meeting-status"),
    path("meetings/<int:pk>/agenda/add/", views.AgendaAddView.as_view(), name="meeting-agenda-add"),
    path("meetings/<int:pk>/agenda/<int:item_pk>/minutes/", views.CaseMinutesView.as_view(),
         name="meeting-case-minutes"),
    path("meetings/<int:pk>/actions/new/", views.ActionCreateView.as_view(), name="meeting-action-create"),
    path("meetings/<int:pk>/pack/", views.PackStatusView.as_view(), name="meeting-pack"),
    path("meetings/<int:pk>/pack/generate/", views.PackGenerateView.as_view(), name="meeting-pack-generate"),
    path("meetings/<int:pk>/pack/sign-off/", views.PackSignOffView.as_view(), name="meeting-pack-sign-off"),
    path("meetings/<int:pk>/pack/pdf/", views.PackDownloadView.as_view(kind="pdf"), name="meeting-pack-pdf"),
    path("meetings/<int:pk>/pack/json/", views.PackDownloadView.as_view(kind="json"), name="meeting-pack-json"),
    path("actions/", views.ActionListView.as_view(), name="action-list"),
    path("actions/<int:pk>/", views.ActionDetailView.as_view(), name="action-detail"),
    path("actions/<int:pk>/update/", views.ActionUpdateView.as_view(), name="action-update"),
    path("actions/<int:pk>/carry-over/", views.CarryOverView.as_view(), name="action-carry-over"),
]
