from django.contrib.auth import authenticate, get_user_model
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from knox.views import LogoutAllView as KnoxLogoutAllView
from knox.views import LogoutView as KnoxLogoutView
from rest_framework import mixins, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from marac.agencies.models import Agency, Role
from marac.agencies.services import create_agency, create_user, update_user
from marac.throttling import LOGIN_THROTTLES
from permissions.policy import AGENCY, USER

from ..authentication import TokenAuthentication
from ..viewsets import SliceViewSet
from .serializers import (
    AgencySerializer,
    MeSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    UserSerializer,
    UserUpdateSerializer,
)

User = get_user_model()


class UserFilter(filters.FilterSet):
    agency = filters.NumberFilter(field_name="membership__agency")
    role = filters.ChoiceFilter(field_name="membership__role", choices=Role.choices)

    class Meta:
        model = User
        fields = ["agency", "role"]


class TokenView(APIView):
    """Exchange a username and password for an API token. Throttled per client. Each
    login issues a new token (shown only in this answer) that expires after
    MARAC_TOKEN_TTL (default 10 hours)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = list(LOGIN_THROTTLES)  # per client address and per username, shared with /admin/login/

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer}, auth=[])
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request, **serializer.validated_data)
        if user is None or not user.is_active:
            return Response({"non_field_errors": ["Unable to log in with those credentials."]},
                            status=status.HTTP_400_BAD_REQUEST)
        instance, token = AuthToken.objects.create(user=user)
        return Response(TokenSerializer({"token": token, "expiry": instance.expiry}).data)


class LogoutView(KnoxLogoutView):
    """Revoke the token this request is made with."""

    authentication_classes = [TokenAuthentication]

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format)


class LogoutAllView(KnoxLogoutAllView):
    """Revoke every token of the caller (every device, every integration)."""

    authentication_classes = [TokenAuthentication]

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format)


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class AgencyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, SliceViewSet):
    """Any user lists agencies; platform administrators create them."""

    slice_object = AGENCY
    audit_reads = False  # the directory is not case data; creating an agency is still audited
    queryset = Agency.objects.order_by("name")
    serializer_class = AgencySerializer
    filterset_fields = ["kind"]

    def perform_create(self, serializer):
        serializer.instance = create_agency(**serializer.validated_data)


class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  mixins.UpdateModelMixin, SliceViewSet):
    """Platform administrators create users in any agency with any role; managers in
    their own agency, as practitioners or managers only. The same callers deactivate
    those accounts (`PATCH {is_active: false}`), which revokes their tokens and sessions.
    Only platform administrators set `maracs`, the MARACs a coordinator or chair serves
    (anyone else naming them: 403)."""

    slice_object = USER
    http_method_names = ["get", "post", "patch", "head", "options"]
    audit_reads = False  # the directory is not case data; creating a user is still audited
    queryset = (User.objects.filter(membership__isnull=False).select_related("membership__agency")
                .prefetch_related("membership__maracs").order_by("username"))
    serializer_class = UserSerializer
    filterset_class = UserFilter

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        membership = data.pop("membership")
        serializer.instance = create_user(agency=membership["agency"], role=membership["role"],
                                          maracs=membership.get("maracs"), **data)

    def get_serializer_class(self):
        if self.action == "partial_update":
            return UserUpdateSerializer
        return super().get_serializer_class()

    @extend_schema(responses=UserSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def perform_update(self, serializer):
        serializer.instance = update_user(serializer.instance, by=self.request.user, **serializer.validated_data)
