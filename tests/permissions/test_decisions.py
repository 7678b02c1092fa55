"""The decisions both doors take (permissions.decisions): the API's permission class
and the web's mixins call the same functions, so each rule has one implementation."""

import inspect

import pytest
from django.test import RequestFactory

from marac.agencies.models import AgencyKind, Role
from permissions import drf
from permissions.actor import Actor, actor_for
from permissions.decisions import DENIED, NOT_FOUND, create_refusal, object_refusal, parent_object
from tests.factories import CaseFactory, make_agency, make_user
from tests.meetings.helpers import make_meeting
from web import slice as web_slice

pytestmark = pytest.mark.django_db


def actor_of(user) -> Actor:
    request = RequestFactory().get("/")
    request.user = user
    return actor_for(request)


def test_both_doors_take_the_same_decisions():
    for door in (drf, web_slice):
        source = inspect.getsource(door)
        assert "create_refusal" in source and "object_refusal" in source
        assert "allowed_on_parent" not in source  # the parent is read by the decisions only


def test_a_create_is_read_against_the_parent_its_description_names():
    police = make_agency(AgencyKind.POLICE)
    case = CaseFactory(participants=[police])
    assert parent_object("research").name == "case"
    assert create_refusal(actor_of(make_user(police)), "research", "create", parent=case) is None
    outsider = actor_of(make_user(make_agency(AgencyKind.HEALTH)))
    assert create_refusal(outsider, "research", "create", parent=case).kind == DENIED


def test_an_account_is_given_only_a_role_the_caller_may_give():
    manager = actor_of(make_user(make_agency(AgencyKind.POLICE), Role.MANAGER))
    refusal = create_refusal(manager, "user", "create", role="coordinator")
    assert refusal.kind == DENIED and "coordinator" in refusal.message
    assert create_refusal(manager, "user", "create", role=Role.PRACTITIONER) is None


def test_a_sub_resource_is_not_found_unless_viewable_and_denied_unless_permitted():
    police = make_agency(AgencyKind.POLICE)
    case = CaseFactory(participants=[police])
    meeting = make_meeting(cases=[case])
    practitioner = actor_of(make_user(police))
    assert object_refusal(practitioner, "pack", "view", meeting, sub_resource=True).kind == NOT_FOUND
    coordinator = actor_of(make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR))
    assert object_refusal(coordinator, "pack", "view", meeting, sub_resource=True) is None
    assert object_refusal(coordinator, "pack", "sign_off", meeting, sub_resource=True).kind == DENIED
