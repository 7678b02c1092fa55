"""The /api/v1/ routes. Each domain area registers its viewsets here."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from .accounts.views import AgencyViewSet, LogoutAllView, LogoutView, MeView, TokenView, UserViewSet
from .audit.views import AuditEventViewSet
from .cases.views import CaseViewSet, IncidentViewSet, ResearchViewSet, VictimHistoryViewSet
from .orders.views import (
    BreachViewSet,
    OrderBreachViewSet,
    OrderNotifiableChangeViewSet,
    OrderRequirementViewSet,
    OrderViewSet,
    RequirementViewSet,
    CaseSpoRequestViewSet,
    SpoRequestViewSet,
)
from .maracs.views import MaracViewSet
from .meetings.views import ActionViewSet, AgendaViewSet, MeetingViewSet
from .notifications.views import NotificationViewSet
from .referrals.checklists import ChecklistViewSet
from .referrals.views import ReferralViewSet
from .reports.views import ActionsReportViewSet, DataReturnViewSet, SpoPerformanceViewSet
from .root import ApiRootView
from .support.views import SupportPlanViewSet
from .transfers.views import CaseTransferViewSet, TransferViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("agencies", AgencyViewSet, basename="agency")
router.register("maracs", MaracViewSet, basename="marac")
router.register("users", UserViewSet, basename="user")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("cases", CaseViewSet, basename="case")
router.register("orders", OrderViewSet, basename="order")
router.register("requirements", RequirementViewSet, basename="requirement")
router.register("breaches", BreachViewSet, basename="breach")
router.register("spo-requests", SpoRequestViewSet, basename="spo-request")
router.register("support-plans", SupportPlanViewSet, basename="support-plan")
router.register("audit-events", AuditEventViewSet, basename="audit-event")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("actions", ActionViewSet, basename="action")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("checklists", ChecklistViewSet, basename="checklist")
router.register("transfers", TransferViewSet, basename="transfer")


urlpatterns = [
    path("", ApiRootView.as_view(), name="api-root"),
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("auth/logout/", LogoutView.as_view(), name="auth-logout"),
    path("auth/logout-all/", LogoutAllView.as_view(), name="auth-logout-all"),
    path("me/", MeView.as_view(), name="me"),
    path("cases/<int:case_pk>/research/", ResearchViewSet.as_view({"get": "list", "post": "create"}),
         name="case-research-list"),
    path("cases/<int:case_pk>/incidents/", IncidentViewSet.as_view({"get": "list", "post": "create"}),
         name="case-incident-list"),
    path("cases/<int:case_pk>/spo-requests/", CaseSpoRequestViewSet.as_view({"get": "list", "post": "create"}),
         name="case-spo-request-list"),
    path("cases/<int:case_pk>/victim-history/", VictimHistoryViewSet.as_view({"get": "list"}),
         name="case-victim-history-list"),
    path("cases/<int:case_pk>/transfers/", CaseTransferViewSet.as_view({"post": "create"}),
         name="case-transfer-list"),
    path("orders/<int:order_pk>/requirements/",
         OrderRequirementViewSet.as_view({"get": "list", "post": "create"}), name="order-requirement-list"),
    path("orders/<int:order_pk>/breaches/", OrderBreachViewSet.as_view({"get": "list", "post": "create"}),
         name="order-breach-list"),
    path("orders/<int:order_pk>/notifications/",
         OrderNotifiableChangeViewSet.as_view({"get": "list", "post": "create"}, detail=False),
         name="order-notification-list"),
    path("orders/<int:order_pk>/notifications/<int:pk>/",
         OrderNotifiableChangeViewSet.as_view({"get": "retrieve", "patch": "partial_update"}, detail=True),
         name="order-notification-detail"),
    path("meetings/<int:meeting_pk>/agenda/", AgendaViewSet.as_view({"get": "list", "post": "create"}),
         name="meeting-agenda-list"),
    path("reports/data-return/", DataReturnViewSet.as_view({"get": "report_view"}), name="report-data-return"),
    path("reports/spo-performance/", SpoPerformanceViewSet.as_view({"get": "report_view"}), name="report-spo-performance"),
    path("reports/actions/", ActionsReportViewSet.as_view({"get": "report_view"}), name="report-actions"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("", include(router.urls)),
]
