"""The base viewsets. Every case-data endpoint derives from SliceViewSet, so the slice
(filter backend + permission class) and the trust machinery of api.trust (audit events,
ETag / If-Match, Idempotency-Key, one transaction per write) cannot be forgotten by a
new endpoint."""

from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer

from permissions.actor import actor_for
from permissions.drf import SliceFilterBackend, SlicePermission
from permissions.policy import SliceObject, slice_object
from permissions.scopes import slice_queryset

from .filters import StrictDjangoFilterBackend
from .trust import TrustMixin


class SliceViewSet(TrustMixin, viewsets.GenericViewSet):
    """Subclasses set `slice_object` (the object's description in permissions.policy),
    a queryset, serializers and a filterset; the slice is applied here, and TrustMixin
    audits, versions and de-duplicates every request.

    `slice_actions` maps the viewset's own actions to policy actions where the default
    (permissions.drf.DEFAULT_ACTIONS) does not fit; see permissions.drf.slice_action_of.
    The api app's system check (api/checks.py) refuses to start when either names
    nothing in the policy."""

    slice_object: SliceObject
    # The object's name (audit and idempotency records, and older viewsets that give
    # only the name): set from `slice_object`.
    slice_target: str
    slice_actions: dict = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        described = cls.__dict__.get("slice_object")
        if isinstance(described, SliceObject):
            cls.slice_target = described.name
    permission_classes = [IsAuthenticated, SlicePermission]
    filter_backends = [SliceFilterBackend, StrictDjangoFilterBackend]
    # The list may read its page from another queryset over the same objects (e.g.
    # api.listing.plain_rows: rows, not model instances); the slice, filters, order and
    # count apply to it exactly as to `queryset`.
    list_queryset = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if getattr(self, "detail", False):
            # A detail route (retrieve, update, history, pack, carry-over...) addresses one
            # object by id: only the slice narrows it. The list's filters neither apply to
            # it (`?status=` would 404 the parent) nor appear in its schema.
            self.filter_backends = [b for b in self.filter_backends if issubclass(b, SliceFilterBackend)]

    def get_queryset(self):
        if self.action == "list" and self.list_queryset is not None:
            return self.list_queryset.all()
        return super().get_queryset()

    @property
    def actor(self):
        return actor_for(self.request)

    def options(self, request, *args, **kwargs):
        """OPTIONS answers for an object (or a nested route's parent) only where GET
        would: outside the caller's slice it is 404 too, so ids leak nothing."""
        if self.detail:
            self.get_object()
        elif hasattr(self, "get_slice_parent") and self.kwargs.get(self.parent_lookup_kwarg) is not None:
            self.get_slice_parent()
        return super().options(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # An object id in the path is ASCII digits, as in the nested routes' <int:...>.
        # The router's `[^/.]+` lets `/cases/١/` through, and int("١") == 1 is case 1.
        # (Not a lookup_value_regex: the schema would then type every id as a string.)
        lookup = kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        if isinstance(lookup, str) and not (lookup.isascii() and lookup.isdigit()):  # <int:pk> is already an int
            raise NotFound()

    def finalize_response(self, request, response, *args, **kwargs):
        # An error is JSON even when the client negotiated a file format (Accept:
        # application/pdf or ?format=pdf on a download).
        if response.status_code >= 400 and not isinstance(getattr(request, "accepted_renderer", None), JSONRenderer):
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        # Whatever its form (JSON, a FileResponse download...), it may carry case data:
        # api.middleware.ApiResponseHeadersMiddleware keeps it out of every cache.
        response.carries_case_data = True
        return response


class NestedSliceViewSet(SliceViewSet):
    """Objects under a parent in the URL (`/cases/{case_pk}/research/`): the parent is
    the object's described `Parent`, looked up inside the caller's slice first: outside
    it, 404. Subclasses name the URL's parameter (`parent_lookup_kwarg`)."""

    parent_lookup_kwarg = "case_pk"

    @property
    def parent_target(self) -> str:
        return slice_object(self.slice_target).parent.object

    @property
    def parent_field(self) -> str:
        return slice_object(self.slice_target).parent.field

    @property
    def parent_queryset(self):
        return slice_object(self.parent_target).model_class()._default_manager.all()

    def get_slice_parent(self):
        if not hasattr(self, "_slice_parent"):
            parents = slice_queryset(self.actor, self.parent_target, "view", self.parent_queryset)
            self._slice_parent = get_object_or_404(parents, pk=self.kwargs[self.parent_lookup_kwarg])
        return self._slice_parent

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request
            return super().get_queryset().none()
        return super().get_queryset().filter(**{self.parent_field: self.get_slice_parent()})

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.kwargs.get(self.parent_lookup_kwarg) is not None and not getattr(self, "swagger_fake_view", False):
            context["parent"] = self.get_slice_parent()
        return context
