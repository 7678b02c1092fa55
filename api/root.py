"""GET /api/v1/: where everything is. Only URLs, so no authentication is needed."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

# key -> URL name; the collections an integrator starts from, then the contract itself.
LINKS = {
    "auth_token": "auth-token",
    "me": "me",
    "agencies": "agency-list",
    "users": "user-list",
    "referrals": "referral-list",
    "cases": "case-list",
    "orders": "order-list",
    "requirements": "requirement-list",
    "breaches": "breach-list",
    "support_plans": "support-plan-list",
    "meetings": "meeting-list",
    "actions": "action-list",
    "notifications": "notification-list",
    "audit_events": "audit-event-list",
    "schema": "schema",
    "docs": "docs",
}


ApiRootSerializer = type("ApiRootSerializer", (serializers.Serializer,), {
    "__doc__": "Absolute URLs of the API's collections, its OpenAPI schema and its docs.",
    "__module__": __name__,
    **{key: serializers.URLField() for key in LINKS},
})


class ApiRootView(APIView):
    """The API's entry point: links to the main collections, the schema and the docs."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=ApiRootSerializer, auth=[], operation_id="api_root")
    def get(self, request):
        return Response({key: request.build_absolute_uri(reverse(name)) for key, name in LINKS.items()})
