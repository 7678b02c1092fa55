"""What every SliceViewSet does for trust, so that no endpoint can forget it:

- Audit: every successful read (list page or single object) and write appends audit
  events, one bulk INSERT per request (marac.audit). Custom actions declare their audit
  action in `audit_actions` (e.g. {"download": "download"}) or call `self.audit(...)`.
- Optimistic concurrency: a single-object GET answers an ETag; an unsafe request on a
  single object locks its row (SELECT ... FOR UPDATE) inside the request transaction
  and compares `If-Match` with the current ETag: stale -> 412 and nothing is changed.
- Idempotency: a POST with `Idempotency-Key` is claimed per user inside the request
  transaction; a replay gets the first response, a different body 422. A replay
  re-checks the slice first: the object it addressed, or the one it created, must
  still be visible to the caller (else 404, like any object outside the slice).
- Unsafe requests run in one transaction; an error response rolls it back, so a 4xx
  writes nothing (not even the idempotency key or an audit row).
"""

import hashlib
import json
from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from marac.audit.services import AuditContext, record_events
from marac.client_address import client_address  # the same rule as the throttles and the admin audit
from marac.idempotency.services import (
    MAX_KEY_LENGTH,
    KeyReusedWithDifferentRequest,
    claim_key,
    request_fingerprint,
    store_response,
)
from permissions.actor import actor_for
from permissions.scopes import slice_queryset

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
REPLAYED_RESPONSE_HEADERS = ("ETag", "Location")


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The object has changed since you read it (stale If-Match). Fetch it again and retry."
    default_code = "precondition_failed"


class IdempotencyKeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "This Idempotency-Key was already used with a different request."
    default_code = "idempotency_key_reused"


class _Replay(Exception):
    def __init__(self, record):
        self.record = record


def request_id(request) -> str:
    return getattr(request._request if hasattr(request, "_request") else request, "request_id", "") or ""


def etag_of(obj, representation) -> str:
    """A strong validator of the representation this caller is shown (including the rows
    nested in it). Only what the caller may see feeds it: a field hidden from them by the
    field-level slice (e.g. a requirement's notes) never reaches their ETag, not even as
    a hash. Everyone who may change a field is shown it, so every change they can make
    changes their ETag."""
    payload = json.dumps([type(obj)._meta.label_lower, obj.pk, representation], sort_keys=True, default=str)
    return '"' + hashlib.sha256(payload.encode()).hexdigest()[:40] + '"'


def if_match_values(header: str) -> list[str]:
    values = []
    for part in header.split(","):
        part = part.strip()
        if part.startswith("W/"):
            part = part[2:]
        if part:
            values.append(part)
    return values


class TrustMixin:
    """Mixed into SliceViewSet (api.viewsets)."""

    # Reads of this endpoint's objects are audited (case data). Directory-style endpoints
    # (agencies, users, the audit log itself) switch it off.
    audit_reads = True
    # The object_type recorded; defaults to the viewset's slice_target.
    audit_object_type: str | None = None
    # Audit action for custom @actions, by viewset action name ("download": "download");
    # None switches the default event off for that action.
    audit_actions: dict[str, str | None] = {}

    # ---- request lifecycle -------------------------------------------------------------

    def dispatch(self, request, *args, **kwargs):
        self._audit_page = None
        self._audit_object = None
        self._audit_object_pk = None
        self._audit_serializer = None
        self._audit_extra = []
        self._idempotency_record = None
        if request.method in SAFE_METHODS:
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic():
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True)
        return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if request.method == "POST" and key is not None:
            key = key.strip()
            if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
                raise ValidationError({IDEMPOTENCY_HEADER: [f"Send 1 to {MAX_KEY_LENGTH} printable characters."]})
            fingerprint = request_fingerprint(request.method, request.path, request.data)
            try:
                claim = claim_key(request.user, key, fingerprint)
            except KeyReusedWithDifferentRequest:
                raise IdempotencyKeyReused() from None
            if claim.replay:
                self._check_replay_in_slice(claim.record)
                raise _Replay(claim.record)
            self._idempotency_record = claim.record

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            record = exc.record
            response = Response(record.response_body, status=record.status_code)
            for name, value in (record.response_headers or {}).items():
                response[name] = value
            response[REPLAYED_HEADER] = "true"
            self._replayed = True
            return response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(self, "_replayed", False) or not (200 <= response.status_code < 300):
            return response
        self._set_etag(request, response)
        subject = self._default_audit_event(request, response)
        self._write_audit(request, subject)
        if self._idempotency_record is not None:
            body = json.loads(JSONRenderer().render(response.data)) if response.data is not None else None
            headers = {name: response[name] for name in REPLAYED_RESPONSE_HEADERS if response.has_header(name)}
            object_id = self._audit_object_pk if self._audit_object_pk is not None else self._created_pk(response)
            store_response(self._idempotency_record, response.status_code, body, headers,
                           object_type=self.slice_target, object_id="" if object_id is None else object_id)
        return response

    def _check_replay_in_slice(self, record):
        """The permission class has run again (role, parent in the slice); what the first
        request addressed (a detail route) or created must still be the caller's to see,
        else its stored body would outlive the caller's place on the case."""
        visible = slice_queryset(actor_for(self.request), self.slice_target, "view", self.get_queryset())
        if self.detail:
            lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
            try:
                obj = visible.filter(**{self.lookup_field: self.kwargs[lookup_url_kwarg]}).first()
            except (TypeError, ValueError, DjangoValidationError):
                obj = None
            if obj is None:
                raise Http404
            self.check_object_permissions(self.request, obj)
        elif record.object_id and record.object_type == self.slice_target:
            if not visible.filter(pk=record.object_id).exists():
                raise Http404

    # ---- object access -----------------------------------------------------------------

    def get_object(self):
        unsafe = self.request.method not in SAFE_METHODS
        if unsafe:
            self._lock_row()
        obj = super().get_object()
        self._audit_object, self._audit_object_pk = obj, obj.pk
        if_match = self.request.headers.get("If-Match")
        if unsafe and if_match is not None:
            values = if_match_values(if_match)
            if "*" not in values and self.etag_for(obj) not in values:
                raise PreconditionFailed()
        return obj

    def _lock_row(self):
        """Lock the addressed row for the rest of the request's transaction, so that
        the If-Match comparison and the write see no concurrent change."""
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        if lookup_url_kwarg not in self.kwargs:
            return
        model = self.get_queryset().model
        try:
            list(model._default_manager.select_for_update()
                 .filter(**{self.lookup_field: self.kwargs[lookup_url_kwarg]}).values_list("pk", flat=True))
        except (TypeError, ValueError, DjangoValidationError):
            pass  # not a valid id: get_object answers 404

    def etag_for(self, obj, representation=None) -> str:
        if representation is None:
            representation = self.representation_for_etag(obj)
        return etag_of(obj, representation)

    def representation_for_etag(self, obj):
        """What a GET of this object shows this caller. Viewsets that render a GET
        differently from `get_serializer` (e.g. field-sliced rows) override it."""
        saved = self.action
        self.action = "retrieve"
        try:
            return self.get_serializer(obj).data
        finally:
            self.action = saved

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            self._audit_page = page
        return page

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if kwargs.get("many") and self._audit_page is None and args:
            self._audit_page = args[0]  # an unpaginated list: the (cached) queryset itself
        elif "data" in kwargs and self._audit_serializer is None:
            self._audit_serializer = serializer
        return serializer

    # ---- ETag --------------------------------------------------------------------------

    def _set_etag(self, request, response):
        if request.method == "GET" and self.action == "retrieve" and self._audit_object is not None:
            response["ETag"] = self.etag_for(self._audit_object, response.data)
        elif self.action in ("update", "partial_update") and self._audit_object_pk is not None:
            fresh = self.filter_queryset(self.get_queryset()).filter(pk=self._audit_object_pk).first()
            if fresh is not None:
                response["ETag"] = self.etag_for(fresh)

    # ---- audit -------------------------------------------------------------------------

    def audit(self, action: str, objects, object_type: str | None = None) -> None:
        """Record an extra audit event (e.g. "download") for these objects or ids; written
        with the request's other events when the response succeeds."""
        if not isinstance(objects, (list, tuple, set)):
            objects = [objects]
        ids = [getattr(o, "pk", o) for o in objects]
        self._audit_extra.append((action, object_type or self._audit_type(), ids))

    def _audit_type(self) -> str:
        return self.audit_object_type or self.slice_target

    def _created_pk(self, response):
        """The object a create answered with: the instance its serializer saved, else the
        `id` of the body (views that build their own response, e.g. through a domain
        service and a read serializer)."""
        instance = getattr(self._audit_serializer, "instance", None)
        if instance is not None and getattr(instance, "pk", None) is not None:
            return instance.pk
        data = getattr(response, "data", None)
        if isinstance(data, Mapping) and isinstance(data.get("id"), (int, str)) and data["id"] != "":
            return data["id"]
        return None

    def _default_audit_event(self, request, response):
        action = self.action
        if action == "metadata":
            return None  # OPTIONS describes the endpoint, not the object
        if action in self.audit_actions:
            audit_action = self.audit_actions[action]
            if audit_action is None:
                return None
        elif request.method in SAFE_METHODS:
            audit_action = "view"
        elif action == "destroy":
            audit_action = "delete"
        elif action in ("update", "partial_update") or self._audit_object_pk is not None:
            audit_action = "update"
        elif response.status_code == status.HTTP_201_CREATED:
            audit_action = "create"
        else:
            audit_action = "view"  # e.g. a case already on the agenda: nothing new, shown again

        if request.method in SAFE_METHODS:
            if audit_action == "view" and not self.audit_reads:
                return None
            if self._audit_page is not None:
                return audit_action, [obj.pk for obj in self._audit_page]
            if self._audit_object_pk is not None:
                return audit_action, [self._audit_object_pk]
            return None
        if self._audit_object_pk is not None:
            return audit_action, [self._audit_object_pk]
        created = self._created_pk(response)
        if created is not None:
            return audit_action, [created]
        return None

    def _write_audit(self, request, default):
        events = []
        if default is not None:
            events.append((default[0], self._audit_type(), default[1]))
        events.extend(self._audit_extra)
        events = [(action, object_type, ids) for action, object_type, ids in events if ids]
        if not events:
            return
        user = request.user
        membership = getattr(user, "membership", None)
        context = AuditContext(user_id=user.pk, username=user.get_username(),
                               agency_id=getattr(membership, "agency_id", None),
                               request_id=request_id(request), client_address=client_address(request))
        record_events(context, events, operation=self.action or "")
