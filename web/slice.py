"""The web app's one door to the slice (permissions/). Every web view that shows or
changes case data derives from a mixin here, so no view checks a permission by hand.

A view declares only its object, `slice_target` (an object description of
permissions/policy.py, the same names the API viewsets use), and `slice_action` (the
policy action its page needs: "view" for a page that only shows, "change"/"create"/...
for a form and its POST). Everything else comes from the description, through the
decisions the API takes too (permissions.decisions): the parent a page adds under
(`Parent`), the roles an account may be given (`RoleLimit`). Then:

- an object outside the caller's view slice is 404 (the GOV.UK "Page not found" page),
  so ids leak nothing; inside it but not permitted, 403 ("You cannot do this");
- a list is filtered in the database through the same slice as the API's lists;
- reads and writes are audited exactly as the API audits them (marac.audit: the same
  object types and actions, one INSERT per request), and a POST runs in one
  transaction that an error rolls back, so a form with errors writes nothing.

Platform administrators hold no case grant in the policy, so every case page is 404
for them without any check written for it here.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from marac.audit.services import AuditContext, record_events
from marac.client_address import client_address
from permissions.actor import Actor, actor_for
from permissions.case_reads import OnCase, read_case, read_on_case
from permissions.counting import SliceCountPaginator
from permissions.decisions import (
    create_refusal,
    creates_allowed_under,
    has_grant,
    object_refusal,
    parent_object,
)
from permissions.policy import assignable_roles, slice_object
from permissions.scopes import (
    allowed,
    allowed_ids_by_action,
    allowed_on_and_under,
    slice_queryset,
)

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

__all__ = [
    "Actor", "SliceView", "SliceObjectMixin", "CasePageMixin", "SliceListMixin", "SliceParentMixin",
    "AccountAdminMixin", "actor_of", "may", "may_any", "may_on", "may_on_parent", "require_on_parent", "has_parent",
    "roles_assignable_by", "visible", "report_subject_of", "report_subjects", "ids_allowed",
    "SliceCountPaginator", "may_on_parent_rows", "OnCase", "read_on_case", "ids_allowed_and_creatable",
]


def actor_of(request) -> Actor:
    return actor_for(request)


def may(actor: Actor, target: str, action: str) -> bool:
    """Does any grant of the row apply to this caller at all (e.g. to show a nav entry or
    a button)? Object-level reach is decided by `may_on` / the mixins."""
    return has_grant(actor, target, action)


def may_any(actor: Actor, target: str) -> bool:
    """Does a grant of ANY row of TARGET apply to this caller (the Reports entry: one
    report or another)? Read from the description, so a new row counts at once."""
    return any(has_grant(actor, target, action) for action in slice_object(target).rows)


def policy_row_exists(target: str | None, action: str) -> bool:
    """For the system check (web.checks): the object a view names is described, with
    the row of its action."""
    try:
        return action in slice_object(target).rows
    except (LookupError, TypeError):
        return False


def has_parent(target: str) -> bool:
    """For the system check: the description of TARGET names a parent (`Parent`)."""
    try:
        return parent_object(target) is not None
    except LookupError:
        return False


def may_on(actor: Actor, target: str, action: str, obj) -> bool:
    """May the caller ACTION this object (one EXISTS at most)? For showing a button."""
    return allowed(actor, target, action, obj)


def ids_allowed(actor: Actor, target: str, actions, queryset, objects) -> dict[str, set]:
    """Per row, which of ACTIONS the caller may do on each of OBJECTS (one query for a
    page): field-level rows such as transfer.view_record / view_summary, as the API's
    row-sliced lists read them."""
    return allowed_ids_by_action(actor, target, list(actions), queryset, [obj.pk for obj in objects])


def may_on_parent(actor: Actor, target: str, action: str, parent) -> bool:
    """May the caller ACTION a new TARGET under PARENT (research on a case, a user in
    an agency)? The parent is the one the description names."""
    return create_refusal(actor, target, action, parent=parent) is None


def may_on_parent_rows(actor: Actor, rows, parent) -> set[tuple[str, str]]:
    """Of ROWS ((target, action) pairs), those `may_on_parent` allows under PARENT, in
    one query for all of them (a page's several "add ..." buttons)."""
    return creates_allowed_under(actor, rows, parent)


def ids_allowed_and_creatable(actor: Actor, target: str, actions, obj, rows) -> tuple[dict[str, set], set]:
    """`ids_allowed` of ACTIONS on OBJ and `may_on_parent_rows` of ROWS under it, in one
    query for both (a case page's field-level rows and its "add ..." buttons)."""
    rows = [(slice_object(row_target).name, action) for row_target, action in rows]
    return allowed_on_and_under(actor, target, list(actions), obj, rows)


def require_on_parent(actor: Actor, target: str, action: str, parent) -> None:
    """For a create whose parent comes from the form (an action's case, a user's
    agency): the 403 half, the same decision as the API's."""
    if create_refusal(actor, target, action, parent=parent) is not None:
        raise PermissionDenied


def visible(actor: Actor, target: str, queryset, action: str = "view"):
    """The queryset narrowed to the caller's slice for ACTION (lists, home panels)."""
    return slice_queryset(actor, target, action, queryset)


def report_subject_of(actor: Actor, report: str, subjects, pk):
    """The subject (a MARAC, a police force) of a report the caller asked for, as the
    API's report endpoints find it: 403 for a role that never sees this report, 404
    outside the reach of the report's row (`SliceObject.reach`)."""
    if not may(actor, "report", report):
        raise PermissionDenied
    subject = report_subjects(actor, report, subjects).filter(pk=pk).first()
    if subject is None:
        raise Http404
    return subject


def report_subjects(actor: Actor, report: str, subjects):
    """The subjects of REPORT the caller may see (its row, read against each subject)."""
    return visible(actor, "report", subjects, action=report)


def roles_assignable_by(actor: Actor) -> frozenset[str]:
    """The roles this caller may give (the API's ASSIGNABLE_ROLES rule)."""
    return assignable_roles(actor)


def audit_context(request) -> AuditContext:
    """Who acts and from where, built as api.trust builds it."""
    user = request.user
    membership = getattr(user, "membership", None)
    return AuditContext(user_id=user.pk, username=user.get_username(),
                        agency_id=getattr(membership, "agency_id", None),
                        request_id=getattr(request, "request_id", "") or "",
                        client_address=client_address(request))


class SliceView:
    """Base of every web view: the caller's actor, the slice decided before the handler
    runs (`authorise`), audit events written when the response succeeds, and one
    transaction per unsafe request (rolled back on a 4xx, or when a form re-renders
    with errors: views mark that with `self.rollback()`)."""

    slice_target: str | None = None
    slice_action: str = "view"
    # The audit object type; defaults to slice_target.
    audit_object_type: str | None = None
    # Reads of this page's objects are audited (case data). Directory pages switch it off.
    audit_reads = True
    # The operation recorded on the audit events; defaults to "web:<url name>".
    audit_operation: str = ""

    @property
    def actor(self) -> Actor:
        return actor_for(self.request)

    def audit(self, action: str, objects, object_type: str | None = None) -> None:
        """Record audit events (view/create/update/delete/download) for these objects or
        ids, written with the request's others when the response succeeds."""
        if not isinstance(objects, (list, tuple, set)):
            objects = [objects]
        ids = [getattr(o, "pk", o) for o in objects]
        self._web_audit.append((action, object_type or self.audit_object_type or self.slice_target, ids))

    def rollback(self) -> None:
        """A POST that re-renders its form with errors writes nothing."""
        self._web_rollback = True

    def authorise(self) -> None:
        """Raise Http404 (outside the slice) or PermissionDenied (inside, not allowed)."""

    def dispatch(self, request, *args, **kwargs):
        self._web_audit = []
        self._web_rollback = False
        if request.method in SAFE_METHODS:
            self.authorise()
            response = super().dispatch(request, *args, **kwargs)
            self._flush_audit(request, response)
            return response
        with transaction.atomic():
            self.authorise()
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code >= 400 or self._web_rollback:
                transaction.set_rollback(True)
            else:
                self._flush_audit(request, response)
        return response

    def default_audit_events(self, request) -> list:
        return []

    def _flush_audit(self, request, response):
        if response.status_code >= 400 or self._web_rollback or not request.user.is_authenticated:
            return
        events = self.default_audit_events(request) + self._web_audit
        if request.method in SAFE_METHODS and not self.audit_reads:
            events = [event for event in events if event[0] != "view"]
        events = [(action, object_type, ids) for action, object_type, ids in events if ids and action]
        if events:
            match = request.resolver_match
            record_events(audit_context(request), events,
                          operation=self.audit_operation or f"web:{match.url_name if match else ''}")


class SliceObjectMixin(SliceView):
    """One object addressed by the URL (`pk_url_kwarg`): looked up in the caller's view
    slice (404 outside), then `slice_action` checked on it (403 inside but not allowed).
    An unsafe request locks its row first. A GET is audited as a `view` of it, a
    successful POST as `audit_write_action` ("update" unless the view says otherwise)."""

    queryset = None
    pk_url_kwarg = "pk"
    audit_write_action: str | None = "update"
    # A page of this object whose form creates ANOTHER object whose parent the form
    # names (an action agreed at a meeting names its case): 403 without a grant of that
    # row; the POST reads it against the named parent (`require_on_parent`).
    slice_creates: str | None = None

    def get_slice_queryset(self):
        return self.queryset.all()

    def authorise(self) -> None:
        self.get_object()

    def get_object(self):
        if getattr(self, "_slice_object", None) is not None:
            return self._slice_object
        pk = self.kwargs.get(self.pk_url_kwarg)
        queryset = self.get_slice_queryset()
        if self.request.method not in SAFE_METHODS:
            list(queryset.model._default_manager.select_for_update().filter(pk=pk).values_list("pk", flat=True))
        obj = self.find_in_slice(queryset, pk)
        if obj is None:
            raise Http404
        if object_refusal(self.actor, self.slice_target, self.slice_action, obj) is not None:
            raise PermissionDenied
        if self.slice_creates is not None and create_refusal(self.actor, self.slice_creates, "create") is not None:
            raise PermissionDenied
        self._slice_object = obj
        return obj

    def find_in_slice(self, queryset, pk):
        """The object PK of QUERYSET if it is in the caller's view slice, else None."""
        return visible(self.actor, self.slice_target, queryset).filter(pk=pk).first()

    def default_audit_events(self, request) -> list:
        obj = getattr(self, "_slice_object", None)
        if obj is None:
            return []
        action = "view" if request.method in SAFE_METHODS else self.audit_write_action
        return [(action, self.audit_object_type or self.slice_target, [obj.pk])]


class CasePageMixin(SliceObjectMixin):
    """A case's own page (GET): its row, with the CASE_RELATED rows it names, read by
    permissions.case_reads.read_case, whose statement is compiled once per caller.
    QUERYSET must be a class attribute (it keys that statement)."""

    slice_target = "case"
    case_related: tuple[str, ...] = ()

    def find_in_slice(self, queryset, pk):
        return read_case(self.actor, self.queryset, int(pk), self.case_related)


class SliceParentMixin(SliceView):
    """A page that adds an object under its parent in the URL (research on a case): the
    parent is the one `slice_target`'s description names (`Parent`), looked up in the
    caller's view slice (404 outside), then the row of `slice_target`/`slice_action` is
    read against it (403 if not allowed), as the API does. Record what was created
    with `self.audit("create", obj)`."""

    # Narrows or prefetches the parent's objects; the parent's model by default.
    parent_queryset = None
    parent_url_kwarg = "case_pk"

    @classmethod
    def parent_target(cls) -> str:
        return parent_object(cls.slice_target).name

    def get_parent_queryset(self):
        if self.parent_queryset is not None:
            return self.parent_queryset.all()
        return parent_object(self.slice_target).model_class()._default_manager.all()

    def authorise(self) -> None:
        self.get_parent()

    def get_parent(self):
        if getattr(self, "_slice_parent", None) is not None:
            return self._slice_parent
        pk = self.kwargs.get(self.parent_url_kwarg)
        parent = visible(self.actor, self.parent_target(), self.get_parent_queryset()).filter(pk=pk).first()
        if parent is None:
            raise Http404
        if self.slice_action != "view" and create_refusal(
                self.actor, self.slice_target, self.slice_action, parent=parent) is not None:
            raise PermissionDenied
        self._slice_parent = parent
        return parent


class SliceListMixin(SliceView):
    """A list page: `get_queryset()` is the caller's view slice of `queryset`; call
    `self.audit_page(objects)` with the objects the page shows (audited as `view`s,
    one INSERT). A page whose form creates (`slice_action` = "create") needs a grant of
    that row for the caller's role and agency kind (403 otherwise)."""

    queryset = None

    def authorise(self) -> None:
        if self.slice_action != "view" and not may(self.actor, self.slice_target, self.slice_action):
            raise PermissionDenied

    def get_queryset(self):
        return visible(self.actor, self.slice_target, self.queryset.all())

    def audit_page(self, objects) -> None:
        self.audit("view", list(objects))


class AccountAdminMixin(SliceObjectMixin):
    """A page that changes a person's account (deactivate, reactivate): the `user` row's
    `change` action; the description's `RoleLimit` (read by SliceObjectMixin, as by the
    API's PATCH /users/{id}/) refuses an account whose role the caller may not give: a
    manager never changes a coordinator's account (403)."""

    slice_target = "user"
    slice_action = "change"
