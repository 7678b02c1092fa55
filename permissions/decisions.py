"""The slice's decisions that both doors take: the API (permissions/drf.py) and the web
(web/slice.py) call these, so each rule of the object descriptions (a create read
against its parent, the roles an account may be given, a sub-resource's "view else
404, action else 403") has one implementation. Framework-neutral: each answers None
(allowed) or a `Refusal` that the door turns into its own 404 or 403."""

from dataclasses import dataclass
from functools import reduce

from .actor import Actor
from .policy import SliceObject, assignable_roles, grants_for, slice_object
from .scopes import allowed, allowed_on_parent, allowed_on_parent_by_row

NOT_FOUND, DENIED = "not_found", "denied"


@dataclass(frozen=True)
class Refusal:
    """Why not: NOT_FOUND (outside the caller's slice: the object does not exist for
    them) or DENIED (inside, not permitted), with a message for the caller."""

    kind: str
    message: str | None = None

    @property
    def not_found(self) -> bool:
        return self.kind == NOT_FOUND


def parent_object(target: "str | SliceObject") -> SliceObject | None:
    """The object a TARGET sits under, by its description (`Parent`), or None."""
    parent = slice_object(target).parent
    return None if parent is None else slice_object(parent.object)


def has_grant(actor: Actor, target: "str | SliceObject", action: str) -> bool:
    """Does any grant of the row apply to this caller at all (no query)?"""
    try:
        return bool(grants_for(target, action, actor))
    except LookupError:
        return False


def may_give_role(actor: Actor, target: "str | SliceObject", role) -> bool:
    """The description's `RoleLimit`: may the caller give ROLE (True without a limit)?"""
    return slice_object(target).role_limit is None or role in assignable_roles(actor)


def role_of(target: "str | SliceObject", obj):
    """The role an object holds at its `RoleLimit.path` (None when it has none)."""
    limit = slice_object(target).role_limit
    return reduce(lambda value, name: getattr(value, name, None), limit.path.split("."), obj)


def create_refusal(actor: Actor, target: "str | SliceObject", action: str, *, parent=None,
                   role=None) -> Refusal | None:
    """May the caller ACTION (create) a new TARGET? No applicable grant: denied (asked
    before any body is read, with neither PARENT nor ROLE); under PARENT (the URL's or
    the one the body names, already found in the caller's view slice), the row is read
    against the parent; ROLE (the body's, for an object with a `RoleLimit`) must be
    one the caller may give."""
    target = slice_object(target)
    if not has_grant(actor, target, action):
        return Refusal(DENIED)
    if parent is not None and not allowed_on_parent(actor, target, action, parent, target.parent.object):
        return Refusal(DENIED)
    if role is not None and not may_give_role(actor, target, role):
        return Refusal(DENIED, f"You may not give the role {role!r}.")
    return None


def creates_allowed_under(actor: Actor, rows, parent) -> set[tuple[str, str]]:
    """Of ROWS ((target, action) pairs whose described parent is PARENT's kind), those
    `create_refusal(..., parent=PARENT)` lets through (no ROLE): one query for all of
    them (a page's several "add ..." buttons) instead of one each."""
    return allowed_on_parent_by_row(actor, [(slice_object(target).name, action) for target, action in rows], parent)


def object_refusal(actor: Actor, target: "str | SliceObject", action: str, obj, *,
                   sub_resource: bool = False) -> Refusal | None:
    """May the caller ACTION this object, found in the view slice of its own object?
    A SUB_RESOURCE (the meeting's pack: another object's rows read against it) the
    caller may not view does not exist (404); then the row of ACTION decides (403), and
    an account whose role the caller may not give cannot be changed (403)."""
    target = slice_object(target)
    if sub_resource and not allowed(actor, target, "view", obj):
        return Refusal(NOT_FOUND)
    if action == target.reach(action):
        return None  # found within this very row (the view slice, a report's subject)
    if not allowed(actor, target, action, obj):
        return Refusal(DENIED)
    if target.role_limit is not None:
        role = role_of(target, obj)
        if not may_give_role(actor, target, role):
            return Refusal(DENIED, f"You may not change an account with the role {role!r}.")
    return None
