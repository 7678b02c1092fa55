"""Web matrix rows for web-core's pages: sign in/out, home, account, notifications,
users and the platform administrators' pages."""

from marac.agencies.models import AgencyKind, Role
from marac.notifications.services import notify
from permissions.actor import PLATFORM_ADMIN
from tests.factories import make_user
from tests.permissions.matrix import permits
from tests.web.matrix import WebRoute


def _notification(world):
    """One notification for the caller's agency (or another agency's, for a platform
    admin, who has none), for every role."""
    agency = world.agency or world.other
    world.notification = notify(agency=agency, kind="matrix", message="Matrix notification",
                                dedupe_key=f"matrix-{agency.pk}")


def _own_notification_facts(world):
    # Addressed to every role of its agency: "addressed_to_role" holds.
    return {"own_agency": world.agency is not None, "addressed_to_role": True}


def _colleague(world):
    """A practitioner of the caller's agency (another agency's for a platform admin)."""
    world.colleague = make_user(world.agency or world.other, Role.PRACTITIONER)


def _colleague_facts(world):
    return {"own_agency": world.agency is not None}


def _account_change_expected(world, success=302):
    """The `user.change` row, plus the API's assignable-roles rule (a practitioner's
    account: managers and platform admins may change it)."""
    facts = _colleague_facts(world)
    if not permits("user", "view", world.role, world.kind, facts):
        return 404
    may_assign = world.role in (Role.MANAGER, PLATFORM_ADMIN)
    return success if permits("user", "change", world.role, world.kind, facts) and may_assign else 403


def _new_user_body(world):
    body = {"first_name": "Mat", "last_name": "Rix", "username": "matrix.person", "email": "",
            "password": "a-long-matrix-passphrase-9", "role": Role.PRACTITIONER}
    if world.agency is None:
        body["agency"] = world.other.pk
    return body


def _marac(world):
    from marac.maracs.services import default_marac

    world.marac = default_marac()


ROUTES = [
    # Signed in already: the sign-in page sends you on (LoginView.redirect_authenticated_user).
    WebRoute("sign-in", lambda w: "/sign-in/", expected=lambda w: 302),
    WebRoute("sign-out", lambda w: "/sign-out/", method="post"),
    WebRoute("home", lambda w: "/"),
    WebRoute("account", lambda w: "/account/"),
    WebRoute("account-password", lambda w: "/account/password/"),
    WebRoute("notification-list", lambda w: "/notifications/"),
    WebRoute("notification-read", lambda w: f"/notifications/{w.notification.pk}/read/", method="post",
             setup=_notification, obj_facts=_own_notification_facts),
    WebRoute("user-list", lambda w: "/users/"),
    WebRoute("user-create", lambda w: "/users/new/", expected=lambda w: 200 if permits(
        "user", "create", w.role, w.kind, {"own_agency": True}) else 403),
    WebRoute("user-create", lambda w: "/users/new/", method="post", data=_new_user_body,
             expected=lambda w: 302 if permits("user", "create", w.role, w.kind, {"own_agency": True}) else 403),
    WebRoute("user-detail", lambda w: f"/users/{w.colleague.pk}/", setup=_colleague, obj_facts=_colleague_facts),
    WebRoute("user-edit", lambda w: f"/users/{w.colleague.pk}/edit/", setup=_colleague,
             expected=lambda w: _account_change_expected(w, success=200)),
    WebRoute("user-edit", lambda w: f"/users/{w.colleague.pk}/edit/", method="post", setup=_colleague,
             data=lambda w: {"first_name": "Mat", "last_name": "Rix", "email": "mat.rix@example.org"},
             expected=_account_change_expected),
    WebRoute("user-deactivate", lambda w: f"/users/{w.colleague.pk}/deactivate/", method="post",
             setup=_colleague, expected=_account_change_expected),
    WebRoute("user-reactivate", lambda w: f"/users/{w.colleague.pk}/reactivate/", method="post",
             setup=_colleague, expected=_account_change_expected),
    # Everyone signed in may ask; the slice leaves managers their agency's events, platform
    # admins all, anyone else none (as GET /api/v1/audit-events/).
    WebRoute("audit-list", lambda w: "/audit/"),
    WebRoute("admin-agency-list", lambda w: "/platform/agencies/"),
    WebRoute("admin-agency-create", lambda w: "/platform/agencies/new/"),
    WebRoute("admin-agency-create", lambda w: "/platform/agencies/new/", method="post",
             data=lambda w: {"name": "Matrix Agency", "kind": AgencyKind.HOUSING}),
    # The MARAC directory follows the agency row's create action (platform admins).
    WebRoute("admin-marac-list", lambda w: "/platform/maracs/"),
    WebRoute("admin-marac-create", lambda w: "/platform/maracs/new/", method="post",
             data=lambda w: {"name": "Matrix MARAC", "is_active": "on"}),
    WebRoute("admin-marac-edit", lambda w: f"/platform/maracs/{w.marac.pk}/", setup=_marac),
    WebRoute("admin-marac-edit", lambda w: f"/platform/maracs/{w.marac.pk}/", method="post", setup=_marac,
             data=lambda w: {"name": w.marac.name, "local_area": "Matrixshire"}),
]
