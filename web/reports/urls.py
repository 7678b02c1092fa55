"""Web routes of the reports area (included by web/urls.py under the `web` namespace)."""

from django.urls import path

from .views import ActionsReportView, DataReturnView, ReportListView, SpoPerformanceView

urlpatterns = [
    path("reports/", ReportListView.as_view(), name="report-list"),
    path("reports/data-return/", DataReturnView.as_view(), name="report-data-return"),
    path("reports/spo-performance/", SpoPerformanceView.as_view(), name="report-spo-performance"),
    path("reports/actions/", ActionsReportView.as_view(), name="report-actions"),
]
