"""Machinery for permission-matrix tests generated from the slice's object
descriptions (permissions/policy.py): the same rows and parents production reads.

Each endpoint row says which object's policy row governs it and how to call it. For
every role (plus platform admin) x every agency kind x inside/outside the case, a test
builds a small world once, calls every endpoint of its area for real, each in a
savepoint rolled back afterwards (`rolled_back`), and compares each status with what
the description's rows say, read by `permits` below: an evaluator written from the
rows' documented meaning, independent of the production code that applies them. The
mismatches are collected and asserted together, one line per endpoint.
tests/permissions/test_matrix_routes.py fails when a route of api/urls.py is in no matrix.

MARACs: every object of a world belongs to the default MARAC. Coordinators and chairs
serve it, except in the worlds `OTHER_MARAC_IN` / `OTHER_MARAC_OUT` (for a
coordination agency and a police force), where they serve a second MARAC of their own:
whether the caller serves the objects' MARAC is then a fact of the world (the "marac"
condition), and across MARACs they meet 404 like any agency outside its slice.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from types import SimpleNamespace

from django.core.cache import cache
from django.db import transaction

from marac.agencies.models import AgencyKind, Role
from marac.maracs.services import default_marac
from permissions.actor import PLATFORM_ADMIN
from permissions.policy import slice_object
from tests.factories import (
    CaseFactory,
    make_agency,
    make_marac,
    make_platform_admin,
    make_referral,
    make_user,
)

ROLES = [*Role.values, PLATFORM_ADMIN]
KINDS = list(AgencyKind.values)
# "inside" of a world whose coordinator or chair serves ANOTHER MARAC than its objects',
# with the caller's agency on the case (IN) or not (OUT).
OTHER_MARAC_IN, OTHER_MARAC_OUT = "other-marac-in", "other-marac-out"
SERVING_ROLES = (Role.COORDINATOR, Role.CHAIR)
OTHER_MARAC_KINDS = (AgencyKind.MARAC_COORDINATION, AgencyKind.POLICE)
# The world being built: does its caller serve the MARAC its objects belong to?
_world_facts = {"marac": True}


def principals():
    """(role, kind) pairs: every role of every agency kind, and platform admins."""
    for role in Role.values:
        for kind in KINDS:
            yield role, kind
    yield PLATFORM_ADMIN, None


def permits(target: str, action: str, role: str, kind: str | None, facts: dict[str, bool]) -> bool:
    """Does the object's row allow ROLE of a KIND agency to ACTION an object with FACTS?"""
    for grant in slice_object(target).row(action):
        if role == PLATFORM_ADMIN:
            applies = PLATFORM_ADMIN in grant.roles
        else:
            applies = role in grant.roles and (grant.kinds is None or kind in grant.kinds)
        if applies and all(condition == "all" or _fact(facts, condition) for condition in grant.scope):
            return True
    return False


def _fact(facts: dict[str, bool], condition: str) -> bool:
    if condition == "marac" and condition not in facts:
        return _world_facts["marac"]
    return facts[condition]


@dataclass
class Endpoint:
    """One endpoint of the matrix.

    target/action: the policy row. parent: for nested or create-on-parent endpoints,
    (parent target, facts function); the parent's view decides 404. obj_facts: the
    scope facts of the object acted on (detail endpoints). success: the status when allowed.
    """

    name: str
    method: str
    path: Callable[[SimpleNamespace], str]
    target: str
    action: str
    success: int
    body: Callable[[SimpleNamespace], dict] | None = None
    obj_facts: Callable[[SimpleNamespace], dict] | None = None
    parent: tuple[str, Callable[[SimpleNamespace], dict]] | None = None
    extra: dict = field(default_factory=dict)


def has_applicable_grant(target: str, action: str, role: str, kind: str | None) -> bool:
    for grant in slice_object(target).row(action):
        if role == PLATFORM_ADMIN:
            if PLATFORM_ADMIN in grant.roles:
                return True
        elif role in grant.roles and (grant.kinds is None or kind in grant.kinds):
            return True
    return False


def expected_status(endpoint: Endpoint, world: SimpleNamespace) -> int:
    role, kind = world.role, world.kind
    if "body_parent" in endpoint.extra:
        # A create whose parent comes in the body: no applicable grant at all is 403
        # (before the body is read); a parent outside the caller's view slice is the
        # same 400 as a missing one; inside it, the row decides.
        parent_target, parent_facts = endpoint.extra["body_parent"]
        if not has_applicable_grant(endpoint.target, endpoint.action, role, kind):
            return 403
        if not permits(parent_target, "view", role, kind, parent_facts(world)):
            return 400
        return endpoint.success if permits(endpoint.target, endpoint.action, role, kind, parent_facts(world)) else 403
    if endpoint.parent is not None:
        parent_target, parent_facts = endpoint.parent
        assert parent_target == slice_object(endpoint.target).parent.object, "the description's parent"
        if not permits(parent_target, "view", role, kind, parent_facts(world)):
            return 404
        facts = parent_facts(world)
    elif endpoint.obj_facts is not None:
        facts = endpoint.obj_facts(world)
        if not permits(endpoint.target, "view", role, kind, facts):
            return 404
    else:
        facts = {}
    if endpoint.action == "view":
        return endpoint.success
    return endpoint.success if permits(endpoint.target, endpoint.action, role, kind, facts) else 403


def build_world(role: str, kind: str | None, inside) -> SimpleNamespace:
    """The caller, a case with another agency on it (the caller's agency too when
    inside), a referral (the caller's agency's own when inside) and a spare agency, all
    of the default MARAC (`marac`); with OTHER_MARAC_IN/OUT the caller serves another
    (`other_marac`) and is inside the case or not."""
    other_marac = make_marac("Southshire MARAC") if inside in (OTHER_MARAC_IN, OTHER_MARAC_OUT) else None
    serves_marac = other_marac is None and role in SERVING_ROLES
    inside = inside in (True, OTHER_MARAC_IN)
    _world_facts["marac"] = serves_marac
    marac = default_marac()
    other = make_agency(AgencyKind.POLICE)
    other_user = make_user(other)
    if role == PLATFORM_ADMIN:
        actor, agency = make_platform_admin(), None
    else:
        agency = make_agency(kind)
        actor = make_user(agency, role, maracs=[other_marac] if other_marac else None)
    case = CaseFactory(participants=[other] + ([agency] if inside and agency else []))
    referral_author = actor if (inside and agency) else other_user
    referral = make_referral(user=referral_author)
    return SimpleNamespace(
        role=role, kind=kind, inside=inside and agency is not None, actor=actor, agency=agency,
        marac=marac, other_marac=other_marac, serves_marac=serves_marac,
        other=other, other_user=other_user, spare=make_agency(AgencyKind.HOUSING), case=case, referral=referral,
    )


def case_facts(world) -> dict[str, bool]:
    return {"participant": world.inside}


def principals_in_out():
    """(role, kind, inside): every role of every kind inside and outside the case, and
    platform admins (who are never inside: they have no agency); coordinators and chairs
    of a coordination agency or a police force also serving another MARAC than the
    world's objects (OTHER_MARAC_IN / OTHER_MARAC_OUT)."""
    for role, kind in principals():
        for inside in ((False,) if role == PLATFORM_ADMIN else (True, False)):
            yield role, kind, inside
        if role in SERVING_ROLES and kind in OTHER_MARAC_KINDS:
            yield role, kind, OTHER_MARAC_IN
            yield role, kind, OTHER_MARAC_OUT


def _inside_id(inside) -> str:
    return {True: "in", False: "out"}.get(inside, inside)


def principal_params():
    import pytest

    return [pytest.param(role, kind, inside, id=f"{role}-{kind}-{_inside_id(inside)}")
            for role, kind, inside in principals_in_out()]


def rolled_back(world: SimpleNamespace, check: Callable[[], list[str]]) -> list[str]:
    """Run `check` in a savepoint rolled back afterwards, so that one call's writes
    never reach the next: its rows and audit events, the throttle counters it spends
    (the cache starts empty, as for a test of its own) and any attribute it adds to or
    replaces on the world (e.g. an object made on first use)."""
    attributes = dict(vars(world))
    cache.clear()
    try:
        with transaction.atomic():
            try:
                return check()
            finally:
                transaction.set_rollback(True)
    finally:
        vars(world).clear()
        vars(world).update(attributes)


def status_mismatch(client, endpoint: Endpoint, world: SimpleNamespace, expected=expected_status) -> list[str]:
    """Call the endpoint as the world's caller and compare with the table's answer
    (`expected_status`, unless an area reads the table its own way): no line when they
    agree, else `METHOD path (endpoint name): got X, expected Y` and the answer's body."""
    path = endpoint.path(world)
    where = f"{endpoint.method.upper()} {path} ({endpoint.name})"
    body = endpoint.body(world) if endpoint.body else None
    try:
        response = getattr(client, endpoint.method)(path, body, format="json")
    except Exception as exc:  # noqa: BLE001 - a crash (or a contract violation) is this endpoint's failure
        return [f"{where}: raised {type(exc).__name__}: {exc}"]
    wanted = expected(endpoint, world)
    if response.status_code == wanted:
        return []
    return [f"{where}: got {response.status_code}, expected {wanted}: {response.content[:300]!r}"]


def failed_check(check: Callable[..., None], *args) -> list[str]:
    """Run a check that asserts; its failure as one line naming it, for the same list."""
    try:
        check(*args)
    except AssertionError as exc:
        return [f"{_check_name(check)}: {exc}"]
    return []


def _check_name(check: Callable) -> str:
    if isinstance(check, partial):
        arguments = [*map(repr, check.args), *(f"{key}={value!r}" for key, value in check.keywords.items())]
        return f"{check.func.__name__}({', '.join(arguments)})"
    return check.__name__


def assert_world_follows_policy(client, world: SimpleNamespace, endpoints: Iterable[Endpoint] = (),
                                checks: Iterable[Callable] = (), expected=expected_status) -> None:
    """Every endpoint called as the world's caller, then every check(client, world) run,
    each in its own savepoint rolled back; all the mismatches reported together."""
    wrong = []
    for endpoint in endpoints:
        wrong += rolled_back(world, partial(status_mismatch, client, endpoint, world, expected))
    for check in checks:
        wrong += rolled_back(world, partial(failed_check, check, client, world))
    assert not wrong, f"{len(wrong)} mismatch(es) with the policy table as {_caller(world)}:\n" + "\n".join(wrong)


def _caller(world: SimpleNamespace) -> str:
    where = getattr(world, "where", None) or ("inside" if world.inside else "outside")
    if getattr(world, "other_marac", None) is not None:
        where += ", serving another MARAC"
    return f"{world.role} of a {world.kind} agency, {where}"
